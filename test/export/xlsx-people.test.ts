/**
 * The XLSX export is for people: the grids' words as headers, the item's name from the store's
 * copy of SCM's master data, statuses in words, and the grid's order (newest first). Read back
 * with exceljs, as a spreadsheet would open it. Before, it carried the CSV's field names
 * (productId, scmStatus), raw statuses (FnOPosted), no item name, and creation order.
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import { FIELD_WORDS } from '../../src/shared/column-words';
import type { FileOffer } from '../../src/shared/file-upload';
import { AGGREGATED_STATUS_WORDS, LINE_STATUS_WORDS } from '../../src/shared/status-words';
import type { AggregatedLine } from '../../src/shared/views';
import { seedLine } from '../helpers/layer';
import { seedMasterData } from '../helpers/master-data';
import { asAdmin, call } from '../helpers/people';
import { syncTest } from '../helpers/sync-stack';

async function exported(l: BusinessLayer, input: object): Promise<{ headers: string[]; rows: unknown[][] }> {
  const reply = await call(l, await asAdmin(l), 'export.xlsx', input);
  if (!reply.ok) throw new Error(reply.error.message);
  const offered = l.downloads.take((reply.value as FileOffer).downloadId)!;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(offered.file);
  offered.done();
  const sheet = workbook.worksheets[0]!;
  const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
  const rows: unknown[][] = [];
  for (let n = 2; n <= sheet.rowCount; n++) rows.push(values(n));
  return { headers: values(1) as string[], rows };
}

const column = (sheet: { headers: string[]; rows: unknown[][] }, header: string) => {
  const at = sheet.headers.indexOf(header);
  expect(at, `column ${header}`).toBeGreaterThanOrEqual(0);
  return sheet.rows.map((r) => r[at] ?? null);
};

syncTest(
  'detailed lines: words for headers and statuses, the item name from the copy, newest first',
  async ({ stack }) => {
    const { l } = await stack.open();
    await seedMasterData(l, 'usmf');
    stack.add([
      seedLine({ id: 'p-1', productId: 'D0001' }),
      seedLine({ id: 'p-2', productId: 'D0002', dimensions: { siteId: '1', locationId: '13' } }),
      seedLine({
        id: 'p-3',
        productId: 'D0009',
        quantity: -2,
        dimensions: { siteId: '1', locationId: '13' },
      }),
    ]);
    // D0009 has no stock at 1/13: SCM's posting job refuses the journal, which shows as failed once
    // "Posting overdue after" (1.5 s of the stack's clock) has passed.
    await l.sync.run('all');
    await stack.pass(2_000);
    await stack.syncUntilSettled();
    // One more, voided before it left the ledger.
    const [voided] = stack.add([seedLine({ id: 'p-4', productId: 'D0001', quantity: 1 })]);
    expect(
      await call(l, await asAdmin(l), 'lines.void', { lineRecordId: voided, reason: 'typed twice' }),
    ).toMatchObject({
      ok: true,
    });

    const sheet = await exported(l, { kind: 'lines', query: {} });
    const W = FIELD_WORDS;
    // The grid's columns first, in its order and words; one column per dimension.
    expect(sheet.headers.slice(0, 9)).toEqual([
      W.createdAt,
      W.productId,
      W.itemName,
      W.organizationId,
      W.siteId,
      W.locationId,
      'Colour (colorId)',
      'Size (sizeId)',
      'Style (styleId)',
    ]);
    expect(sheet.headers).toEqual(
      expect.arrayContaining([W.quantity, W.status, W.scmStatus, W.lineRecordId]),
    );
    for (const machine of ['productId', 'lineRecordId', 'scmStatus', 'dimensions', 'siteId', 'status'])
      expect(sheet.headers).not.toContain(machine);

    // Newest first, as the grid and its CSV.
    expect(column(sheet, W.id)).toEqual(['p-4', 'p-3', 'p-2', 'p-1']);
    expect(column(sheet, W.itemName)).toEqual([
      'Speaker cable 1',
      null,
      'Speaker cable 2',
      'Speaker cable 1',
    ]);
    const all = l.ledger.lines.withScm(l.ledger.lines.list(query()).value);
    const lines = (id: string) => all.find((x) => x.id === id)!;
    const statuses = column(sheet, W.status);
    expect(statuses[0]).toBe(LINE_STATUS_WORDS.Voided);
    expect(statuses.slice(1)).toEqual(['p-3', 'p-2', 'p-1'].map((id) => LINE_STATUS_WORDS[lines(id).status]));
    const inScm = column(sheet, W.scmStatus);
    expect(inScm[0]).toBeNull();
    expect(inScm.slice(1)).toEqual(
      ['p-3', 'p-2', 'p-1'].map((id) => AGGREGATED_STATUS_WORDS[lines(id).scm!.status]),
    );
    expect(column(sheet, W.quantity)).toEqual([1, -2, 5, 5]);
    expect(column(sheet, 'Colour (colorId)')).toEqual(['red', null, null, 'red']);

    // Sorted as the grid may be: by product, then creation.
    const byProduct = await exported(l, { kind: 'lines', query: { orderBy: 'productId', direction: 'asc' } });
    expect(column(byProduct, W.id)).toEqual(['p-1', 'p-4', 'p-2', 'p-3']);
  },
  60_000,
);

syncTest(
  'aggregated lines: statuses in words, the item name, newest first',
  async ({ stack }) => {
    const { l } = await stack.open();
    await seedMasterData(l, 'usmf');
    stack.add([seedLine({ id: 'a-1', productId: 'D0001' })]);
    await stack.syncUntilSettled();
    stack.add([seedLine({ id: 'a-2', productId: 'D0002', dimensions: { siteId: '1', locationId: '13' } })]);
    await stack.syncUntilSettled();
    const sheet = await exported(l, { kind: 'aggregated', query: {} });
    const W = FIELD_WORDS;
    expect(sheet.headers.slice(0, 6)).toEqual([
      W.createdAt,
      W.status,
      W.statusReason,
      W.productId,
      W.itemName,
      W.organizationId,
    ]);
    const aggregated = l.ledger.aggregated.list({ ...query(), orderBy: 'createdAt', direction: 'desc' })
      .value as AggregatedLine[];
    expect(aggregated).toHaveLength(2);
    expect(column(sheet, W.aggregatedLineId)).toEqual(aggregated.map((a) => a.aggregatedLineId));
    expect(column(sheet, W.productId)).toEqual(['D0002', 'D0001']);
    expect(column(sheet, W.itemName)).toEqual(['Speaker cable 2', 'Speaker cable 1']);
    expect(column(sheet, W.status)).toEqual(aggregated.map((a) => AGGREGATED_STATUS_WORDS[a.status]));
    expect(column(sheet, W.status)).not.toContain('FnOPosted');
  },
  60_000,
);

/** A grid query as zod's defaults make it. */
function query() {
  return { top: 1000, skip: 0, orderBy: 'createdAt' as const, direction: 'asc' as const };
}

syncTest('leaves no temporary file behind once a download is done', async ({ stack }) => {
  const { l } = await stack.open({ start: 'no' });
  stack.add([seedLine({ id: 't-1' })]);
  const reply = await call(l, await asAdmin(l), 'export.xlsx', { kind: 'lines', query: {} });
  const offered = l.downloads.take((reply as { value: FileOffer }).value.downloadId)!;
  expect(fs.existsSync(offered.file)).toBe(true);
  offered.done();
  await expect.poll(() => fs.existsSync(offered.file)).toBe(false);
});
