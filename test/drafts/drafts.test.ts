import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DraftAddResult, DraftPostResult } from '../../src/shared/drafts';
import { linesQuerySchema } from '../../src/shared/queries';
import { API_KEY, type ApiFixture, openLayer, startApi, tempDir } from '../helpers/layer';
import { AS_OS_USER, author } from '../helpers/people';

let fx: ApiFixture;

beforeEach(async () => {
  fx = await startApi();
  fx.layer.settings.update({ enableFeature: true, defaultOrganizationId: 'usmf' });
});
afterEach(async () => {
  await fx.close();
});

const ledgerCount = () => fx.layer.ledger.lines.list(linesQuerySchema.parse({})).count;

/** 50 rows as copied from a spreadsheet, rows 4 and 31 (spreadsheet numbering) bad. */
function pastedBlock(): string {
  const rows = ['Item\tQty\tSite\tWarehouse\tColor'];
  for (let i = 1; i <= 50; i++) {
    const row = i + 1;
    const qty = row === 4 ? '12a' : String(i);
    const warehouse = row === 31 ? '' : '13';
    rows.push(`D${String(i).padStart(4, '0')}\t${qty}\t1\t${warehouse}\tred`);
  }
  return rows.join('\r\n');
}

async function post(url: string, body: Uint8Array | string, contentType: string) {
  return fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': contentType },
    body,
  });
}

describe('drafts and spreadsheet import', () => {
  it('a pasted block of 50 rows with 2 bad ones names row and field, and posts nothing until fixed', async () => {
    const draft = await fx.layer.handlers['drafts.create']({ name: 'Shelf 4' }, AS_OS_USER);
    const added = await fx.layer.handlers['drafts.paste'](
      {
        draftId: draft.draftId,
        text: pastedBlock(),
        locale: 'en-US',
      },
      AS_OS_USER,
    );
    expect(added.added).toBe(50);
    // Named as the spreadsheet names them: the block, the row it shows, and the cell when one is the cause.
    const at = { block: 1, source: 'pasted block 1' };
    expect(added.errors).toEqual([
      {
        ...at,
        row: 4,
        field: 'quantity',
        cell: 'B4',
        message: "must be a number, not '12a': was that a scan? Scan items into the item field",
      },
      { ...at, row: 31, field: 'dimensions.locationId', message: 'is required' },
    ]);
    // The Color column names no field: said, not silently dropped.
    expect(added.notes).toEqual([expect.stringMatching(/^Column E \(Color\) was not read/)]);
    expect(fx.layer.drafts.get(draft.draftId, 10, 0).errors).toEqual(added.errors);
    await expect(fx.layer.drafts.post(draft.draftId, author('clerk'))).rejects.toThrow(
      /Nothing was posted: 2 rows of 'Shelf 4' need fixing first/,
    );
    expect(ledgerCount()).toBe(0);
  });

  it('refuses a block without a needed column in words and adds nothing; a mapping reads a block without header', async () => {
    const draft = fx.layer.drafts.create('No header');
    await expect(fx.layer.drafts.paste(draft.draftId, 'Item\tQty\tSite\nD0001\t1\t1')).rejects.toThrow(
      /Nothing was added: The block has no column for dimensions\.locationId/,
    );
    expect(fx.layer.drafts.get(draft.draftId, 10, 0).rowCount).toBe(0);
    const mapped = await fx.layer.drafts.paste(draft.draftId, 'D0001\t3\t1\t13\nD0002\t-2\t1\t13', [
      'productId',
      'quantity',
      'siteId',
      'locationId',
    ]);
    expect(mapped).toMatchObject({ added: 2, errors: [] });
    const posted = await fx.layer.drafts.post(draft.draftId, author('clerk'));
    expect(posted).toMatchObject({ created: 2, alreadyPosted: 0, draft: { state: 'Posted' } });
    expect(ledgerCount()).toBe(2);
  });

  it('the API imports a CSV and posts it; posting the draft again never doubles a line', async () => {
    const csv =
      '\ufeffproductId,quantity,siteId,locationId,externalReferenceId\nD0001,5,1,13,"count, aisle 4"\nD0002,-1,1,11,\n';
    const res = await post(`${fx.api}/drafts/import?fileName=stock.csv&post=true`, csv, 'text/csv');
    expect(res.status).toBe(200);
    const body = (await res.json()) as DraftPostResult & { lines: { row: number; id: string }[] };
    expect(body.created).toBe(2);
    // Without an id column, ids derive from the file's content and the row the spreadsheet shows.
    const hash = createHash('sha256').update(csv).digest('hex').slice(0, 16);
    expect(body.lines.map((l) => l.id)).toEqual([`f${hash}-2`, `f${hash}-3`]);
    const again = await fx.layer.drafts.post(body.draft.draftId, author('clerk'));
    expect(again.created).toBe(0);
    expect(ledgerCount()).toBe(2);
    const line = fx.layer.ledger.lines.list(
      linesQuerySchema.parse({ externalReferenceId: 'count, aisle 4' }),
    );
    expect(line.value[0]).toMatchObject({ productId: 'D0001', quantity: 5, source: 'import' });
  });

  it('imports an XLSX with per-row errors, and refuses a file that is neither CSV nor XLSX', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Count');
    sheet.addRow(['Item number', 'Quantity', 'Site', 'Warehouse', 'Date']);
    sheet.addRow(['D0001', 4, '1', '13', new Date(Date.UTC(2026, 10, 2))]);
    sheet.addRow(['D0002', 'lots', '1', '13', null]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const res = await post(`${fx.api}/drafts/import?fileName=count.xlsx`, bytes, 'application/octet-stream');
    expect(res.status).toBe(422);
    const body = (await res.json()) as DraftAddResult;
    expect(body.errors).toEqual([
      {
        block: 1,
        source: 'count.xlsx',
        row: 3,
        field: 'quantity',
        cell: 'B3',
        message: "must be a number, not 'lots'",
      },
    ]);
    const rows = fx.layer.drafts.get(body.draft.draftId, 10, 0).rows;
    expect(rows[0]!.line).toMatchObject({ productId: 'D0001', quantity: 4, transDate: '2026-11-02' });

    const pdf = await post(`${fx.api}/drafts/import?fileName=count.pdf`, '%PDF-1.4 ...', 'application/pdf');
    expect(pdf.status).toBe(400);
    expect(await pdf.json()).toMatchObject({
      errors: [{ field: 'fileName', message: 'must be a .csv or .xlsx file' }],
    });
    const big = await post(
      `${fx.api}/drafts/import?fileName=big.csv`,
      new Uint8Array(21 * 1024 * 1024),
      'text/csv',
    );
    expect(big.status).toBe(413);
    expect(ledgerCount()).toBe(0);
  });

  it('a repeated id, in one block or across two, is the row’s error and keeps the batch from posting', async () => {
    const draft = fx.layer.drafts.create('Twice');
    const first = await fx.layer.drafts.paste(
      draft.draftId,
      'id\tproductId\tquantity\tsiteId\tlocationId\nA-1\tD0001\t1\t1\t13\nA-1\tD0002\t1\t1\t13',
    );
    expect(first.errors).toEqual([
      {
        block: 1,
        source: 'pasted block 1',
        row: 3,
        field: 'id',
        message: 'repeats the id of row 2 of pasted block 1',
      },
    ]);
    const second = await fx.layer.drafts.paste(
      draft.draftId,
      'id\tproductId\tquantity\tsiteId\tlocationId\nA-1\tD0003\t1\t1\t13',
    );
    expect(second.errors).toEqual([
      {
        block: 2,
        source: 'pasted block 2',
        row: 2,
        field: 'id',
        message: 'repeats the id of row 2 of pasted block 1',
      },
    ]);
    await expect(fx.layer.drafts.post(draft.draftId, author('clerk'))).rejects.toThrow(
      /Nothing was posted: 2 rows/,
    );
    expect(ledgerCount()).toBe(0);
  });

  it('drafts survive a restart', async () => {
    const dir = tempDir();
    const first = openLayer(dir);
    first.settings.update({ defaultOrganizationId: 'usmf' });
    const draft = first.drafts.create('Overnight');
    await first.drafts.paste(draft.draftId, 'productId\tquantity\tsiteId\tlocationId\nD0001\t2\t1\t13');
    await first.close();
    const second = openLayer(dir);
    try {
      expect(second.drafts.list()).toMatchObject([{ name: 'Overnight', rowCount: 1, state: 'Open' }]);
      expect(second.drafts.get(draft.draftId, 10, 0).rows[0]!.line).toMatchObject({
        productId: 'D0001',
        quantity: 2,
      });
    } finally {
      await second.close();
    }
  });

  it('takes 100,000 rows in slices: the API keeps answering while they are read, and all arrive', async () => {
    const lines = ['productId,quantity,siteId,locationId'];
    for (let i = 0; i < 100_000; i++) lines.push(`D${String(i % 10).padStart(4, '0')},${(i % 7) + 1},1,13`);
    const importing = post(
      `${fx.api}/drafts/import?fileName=big.csv&post=true`,
      lines.join('\n'),
      'text/csv',
    );
    let done = false;
    void importing.then(() => {
      done = true;
    });
    // Wait until the import has started storing rows, then ask the API something.
    for (let i = 0; i < 500 && (fx.layer.drafts.list()[0]?.rowCount ?? 0) === 0; i++)
      await new Promise((r) => setTimeout(r, 5));
    const health = await fetch(`${fx.server.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(done).toBe(false);
    const res = await importing;
    expect(res.status).toBe(200);
    expect(((await res.json()) as DraftPostResult).created).toBe(100_000);
    expect(ledgerCount()).toBe(100_000);
  }, 60_000);
});
