// The app's own exports read back as drafts. The CSV export puts the
// spreadsheet-safety apostrophe before formula-like text ('@iv); reading it back must give the
// lines as they were, never store '@iv, and keep a value that really starts with ' as it is.
// Re-importing an export into the ledger it came from is recognised by the lines' ids.
import fs from 'node:fs';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DraftAddResult, DraftDetail } from '../../src/shared/drafts';
import { linesQuerySchema } from '../../src/shared/queries';
import { type ApiFixture, postJson } from '../helpers/layer';
import { AS_OS_USER, author } from '../helpers/people';
import { draftsApi, importFile, ledgerLines, line } from './fixtures';

let a: ApiFixture;
let b: ApiFixture;
beforeEach(async () => {
  a = await draftsApi();
  b = await draftsApi();
});
afterEach(async () => {
  await a.close();
  await b.close();
});

/** Lines with everything an export must carry back: formula-like text, apostrophes, extra dimensions. */
const SEEDED = [
  line('rt-1', {
    quantity: 5,
    dimensions: { siteId: '1', locationId: '13', colorId: 'red', sizeId: 'S' },
    externalReferenceCategory: 'Count',
    externalReferenceId: "'t Hof",
    costPrice: 2.5,
    transDate: '2026-11-02',
  }),
  line('rt-2', {
    productId: '=SUM(A1)',
    quantity: -3.25,
    dimensions: { siteId: '1', locationId: '11', shelf: '-A1' },
    externalReferenceId: "''=1+1",
    fnoJournalNameId: 'IMov',
  }),
  line("'quoted-3", { productId: '+D0002', quantity: 1234567.125, quantityDataSource: "'custom" }),
];

/** What makes a line the line (the export's other columns are the ledger's record of it). */
const LINE_COLUMNS = [
  'id',
  'organizationId',
  'productId',
  'siteId',
  'locationId',
  'dimensions',
  'quantityDataSource',
  'physicalMeasure',
  'quantity',
  'externalReferenceCategory',
  'externalReferenceId',
  'fnoJournalNameId',
  'costPrice',
  'transDate',
];

async function exportCsv(fx: ApiFixture): Promise<string> {
  const res = await fetch(`${fx.api}/adjustment/lines.csv`, {
    headers: { authorization: `Bearer test-api-key-0123456789` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

const lineCells = (csv: string) =>
  Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true })
    .data.map((r) => LINE_COLUMNS.map((c) => r[c]))
    .sort((x, y) => String(x[0]).localeCompare(String(y[0])));

const asLines = (fx: ApiFixture) =>
  ledgerLines(fx.layer)
    .map((l) => ({
      id: l.id,
      organizationId: l.organizationId,
      productId: l.productId,
      dimensions: l.dimensions,
      quantityDataSource: l.quantityDataSource,
      physicalMeasure: l.physicalMeasure,
      quantity: l.quantity,
      externalReferenceCategory: l.externalReferenceCategory,
      externalReferenceId: l.externalReferenceId,
      fnoJournalNameId: l.fnoJournalNameId,
      costPrice: l.costPrice,
      transDate: l.transDate,
    }))
    .sort((x, y) => x.id.localeCompare(y.id));

describe('reading our own exports back', () => {
  beforeEach(async () => {
    const res = await postJson(`${a.api}/adjustment/bulk`, SEEDED);
    expect(res.status).toBe(200);
  });

  it('a draft of the CSV export stores @iv, not the export’s apostrophe, and keeps values that start with one', async () => {
    const csv = await exportCsv(a);
    expect(csv).toContain(",'@iv,");
    const res = await importFile(b, 'adjustment-lines.csv', csv);
    expect(res.status).toBe(200);
    const { draft } = res.body as unknown as DraftAddResult;
    const rows = b.layer.drafts.get(draft.draftId, 10, 0).rows.map((r) => r.line);
    expect(rows.map((r) => r.quantityDataSource).sort()).toEqual(["'custom", '@iv', '@iv']);
    expect(rows.map((r) => r.externalReferenceId).sort()).toEqual(["''=1+1", "'t Hof", undefined]);
    expect(rows.map((r) => r.productId).sort()).toEqual(['+D0002', '=SUM(A1)', 'D0001']);
  });

  it('the CSV export imported into another ledger reproduces the lines; no apostrophe the export added is stored', async () => {
    const csv = await exportCsv(a);
    // The export does protect formula-like cells: every data source cell is '@iv or ''custom.
    expect(csv).toContain(",'@iv,");
    expect(csv).toContain(",''custom,");

    // 1,234,567.125 is beyond the store's large-quantity threshold: the import asks, as a clerk is asked.
    const asked = await importFile(b, 'adjustment-lines.csv', csv, '&post=true');
    expect(asked.status).toBe(409);
    expect(asked.body).toMatchObject({
      error: { message: 'Nothing was posted yet. 1 row at or beyond 100: post them?' },
      errors: [{ field: 'confirmLargeQuantity', message: '1 row at or beyond 100: post them?' }],
    });
    expect(ledgerLines(b.layer)).toEqual([]);
    // The rows wait in the draft the answer names, for the caller to post once confirmed.
    const draftId = (asked.body.draft as { draftId: string }).draftId;
    const confirmed = await postJson(`${b.api}/drafts/${draftId}/post?confirmLargeQuantity=true`, '');
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({ created: 3, alreadyPosted: 0 });
    expect(asLines(b)).toEqual(asLines(a));
    expect(
      ledgerLines(b.layer)
        .map((l) => l.quantityDataSource)
        .sort(),
    ).toEqual(["'custom", '@iv', '@iv']);
    // And exported again from there, the same cells as the first export.
    expect(lineCells(await exportCsv(b))).toEqual(lineCells(csv));
  });

  it('reads the export’s columns: the dimensions JSON, the ledger’s own columns skipped with a note, ids kept', async () => {
    const csv = await exportCsv(a);
    const res = await importFile(a, 'adjustment-lines.csv', csv);
    expect(res.status).toBe(200);
    const added = res.body as unknown as DraftAddResult;
    expect(added.notes[0]).toMatch(
      /^This is a Store Ledger export: its columns lineRecordId, status, aggregatedLineId, source, createdAt, createdBy, approvedBy, ivPostedAt, aggregatedAt, attempts, lastError are the ledger's record/,
    );
    const detail = a.layer.drafts.get(added.draft.draftId, 10, 0) as DraftDetail;
    const rows = detail.rows.map((r) => r.line).sort((x, y) => String(x.id).localeCompare(String(y.id)));
    expect(rows.map((r) => r.quantityDataSource)).toEqual(["'custom", '@iv', '@iv']);
    expect(rows.map((r) => r.externalReferenceId)).toEqual([undefined, "'t Hof", "''=1+1"]);
    expect(rows[2]!.dimensions).toEqual({ locationId: '11', shelf: '-A1', siteId: '1' });
    expect(JSON.stringify(detail.rows)).not.toContain("'@iv");
    // The same ledger holds these ids: each row is flagged, and posting adds nothing.
    const inLedger = detail.cautions.filter((c) => c.field === 'id');
    expect(inLedger).toHaveLength(3);
    for (const c of inLedger)
      expect(c).toMatchObject({
        field: 'id',
        message: expect.stringMatching(/^already in the ledger since \d{4}-\d\d-\d\d \d\d:\d\d/),
      });
    const posted = await a.layer.drafts.post(added.draft.draftId, author('clerk'));
    expect(posted).toMatchObject({ created: 0, alreadyPosted: 3 });
    expect(a.layer.ledger.lines.list(linesQuerySchema.parse({})).count).toBe(3);
  });

  it('the XLSX export imported into another ledger reproduces the lines, dimension columns included', async () => {
    const offer = await a.layer.handlers['export.xlsx'](
      { kind: 'lines', query: linesQuerySchema.parse({}) },
      AS_OS_USER,
    );
    const res = await importFile(
      b,
      'adjustment-lines.xlsx',
      fs.readFileSync(a.layer.downloads.take(offer.downloadId)!.file),
      '&post=true&confirmLargeQuantity=true',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 3 });
    expect(asLines(b)).toEqual(asLines(a));
  });
});
