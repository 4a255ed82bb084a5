// Drafts that can be repaired. Rows keep the number their spreadsheet shows; a row is
// edited (judged again by the entry pipeline) or deleted; the same file imported twice, into any
// draft, is flagged and its lines enter the ledger once unless the clerk says otherwise; large
// quantities are asked about once per batch; people's numbers are read in the UI's language.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DraftAddResult } from '../../src/shared/drafts';
import { type ApiFixture, postJson } from '../helpers/layer';
import { author } from '../helpers/people';
import { draftsApi, importFile, ledgerLines, rpc, workbook } from './fixtures';

let fx: ApiFixture;
beforeEach(async () => {
  fx = await draftsApi();
});
afterEach(async () => {
  await fx.close();
});

const DELIVERY = 'productId,quantity,siteId,locationId\nD0001,4,1,13\nD0002,-1,1,11\nT0001,2,2,21\n';
const ALREADY = /^already imported on \d{4}-\d\d-\d\d \d\d:\d\d \(draft 'Delivery A'\)$/;

describe('row numbering', () => {
  it('every row keeps the number its sheet or block shows: blank rows counted, each block from its own header', async () => {
    const sheet = await workbook([
      ['Item', 'Qty', 'Site', 'Warehouse'],
      ['D0001', 1, '1', '13'],
      [],
      [],
      ['D0002', 'x', '1', '13'],
    ]);
    const draft = fx.layer.drafts.create('Numbered');
    const fromSheet = await fx.layer.drafts.import(draft.draftId, 'shelf.xlsx', sheet);
    expect(fromSheet.errors).toEqual([
      {
        block: 1,
        source: 'shelf.xlsx',
        row: 5,
        field: 'quantity',
        cell: 'B5',
        message: "must be a number, not 'x'",
      },
    ]);
    const pasted = await fx.layer.drafts.paste(
      draft.draftId,
      'Item\tQty\tSite\tWarehouse\n\nD0003\t2\t1\t13\nD0004\t\t1\t13',
    );
    expect(pasted.errors).toEqual([
      { block: 2, source: 'pasted block 2', row: 4, field: 'quantity', message: 'is required' },
    ]);
    const detail = fx.layer.drafts.get(draft.draftId, 10, 0);
    expect(detail.rows.map((r) => [r.source, r.row])).toEqual([
      ['shelf.xlsx', 2],
      ['shelf.xlsx', 5],
      ['pasted block 2', 3],
      ['pasted block 2', 4],
    ]);
    expect(detail.errors).toEqual([...fromSheet.errors, ...pasted.errors]);
    expect(detail.imports.map((i) => [i.block, i.sourceName, i.rowCount])).toEqual([
      [1, 'shelf.xlsx', 2],
      [2, 'pasted block 2', 2],
    ]);
  });
});

describe('editing and deleting rows', () => {
  it('an edited row is judged again by the pipeline; a deleted row is gone; then the batch posts', async () => {
    const draft = fx.layer.drafts.create('Shelf 4');
    await fx.layer.drafts.paste(
      draft.draftId,
      'id\tItem\tQty\tSite\tWarehouse\nA-1\tD0001\t12a\t1\t13\nA-2\tD0002\t1\t1\t\nA-3\tD0003\t1\t1\t13',
    );
    expect(fx.layer.drafts.get(draft.draftId, 10, 0)).toMatchObject({ rowCount: 3, errorCount: 2 });

    // The quantity typed in the UI's language; the field named as a header would name it.
    const edited = await rpc(fx.layer, 'drafts.editRow', {
      draftId: draft.draftId,
      block: 1,
      row: 2,
      values: { Qty: '1.500' },
      locale: 'de-DE',
    });
    expect(edited).toMatchObject({
      ok: true,
      value: {
        draft: { errorCount: 1, cautionCount: 1 },
        row: {
          row: 2,
          line: { quantity: 1500 },
          errors: [],
          cautions: [
            { field: 'quantity', message: "'1.500' was read as 1500 (de-DE)" },
            {
              field: 'quantity',
              message:
                "1500 is at or beyond the store's large-quantity threshold of 100: Post batch asks before posting it",
            },
          ],
        },
      },
    });
    // An edit that repeats another row's id is that row's error; one naming no field changes nothing.
    const repeated = fx.layer.drafts.editRow(draft.draftId, 1, 4, { id: 'A-1' });
    expect(repeated.row!.errors).toEqual([
      { field: 'id', message: 'repeats the id of row 2 of pasted block 1' },
    ]);
    expect(() => fx.layer.drafts.editRow(draft.draftId, 1, 4, { colour: 'red', id: 'A-3' })).toThrow(
      /Nothing was changed: 'colour' names no field of a line/,
    );
    expect(fx.layer.drafts.get(draft.draftId, 10, 0).rows[2]!.line.id).toBe('A-1');
    fx.layer.drafts.editRow(draft.draftId, 1, 4, { id: 'A-3' });

    const deleted = fx.layer.drafts.deleteRow(draft.draftId, 1, 3);
    expect(deleted.draft).toMatchObject({ rowCount: 2, errorCount: 0 });
    expect(fx.layer.drafts.get(draft.draftId, 10, 0).rows.map((r) => r.row)).toEqual([2, 4]);
    expect(() => fx.layer.drafts.deleteRow(draft.draftId, 1, 3)).toThrow(
      /Row 3 of block 1 in draft 'Shelf 4' was not found/,
    );

    // 1,500 is large: Post batch asks once, and posts once confirmed.
    await expect(fx.layer.drafts.post(draft.draftId, author('clerk'))).rejects.toMatchObject({
      code: 'needs_confirmation',
      message: 'Nothing was posted yet. 1 row at or beyond 100: post them?',
    });
    expect(ledgerLines(fx.layer)).toEqual([]);
    const posted = await fx.layer.drafts.post(draft.draftId, author('clerk'), { largeQuantity: true });
    expect(posted).toMatchObject({ created: 2, draft: { state: 'Posted' } });
    expect(
      ledgerLines(fx.layer)
        .map((l) => [l.id, l.quantity])
        .sort(),
    ).toEqual([
      ['A-1', 1500],
      ['A-3', 1],
    ]);
    expect(() => fx.layer.drafts.editRow(draft.draftId, 1, 2, { Qty: '2' })).toThrow(/was posted/);
  });

  it('over HTTP: a row is edited and deleted, a draft listed, read with its problem rows, and deleted', async () => {
    const res = await importFile(
      fx,
      'shelf.csv',
      'productId,quantity,siteId,locationId\nD1,x,1,13\nD2,1,1,13\n',
    );
    const { draft } = res.body as unknown as DraftAddResult;
    const base = `${fx.api}/drafts/${draft.draftId}`;
    const edit = await postJson(`${base}/rows/1/2`, { values: { quantity: '1,5' }, locale: 'de-DE' });
    expect(edit.status).toBe(200);
    expect(await edit.json()).toMatchObject({
      draft: { errorCount: 0 },
      row: { row: 2, line: { quantity: 1.5 } },
    });
    const unknown = await postJson(`${base}/rows/1/9`, { values: { quantity: '1' } });
    expect(unknown.status).toBe(404);
    expect((await postJson(`${base}/rows/1/3/delete`, '')).status).toBe(200);
    const read = await fetch(`${base}?problemsOnly=true`, {
      headers: { authorization: 'Bearer test-api-key-0123456789' },
    });
    expect(await read.json()).toMatchObject({ rowCount: 1, rowsTotal: 0, rows: [] });
    expect((await postJson(`${base}/delete`, '')).status).toBe(200);
    expect(fx.layer.drafts.list()).toEqual([]);
  });

  it('a draft is deleted with its rows; a posted one stays', async () => {
    const a = fx.layer.drafts.create('Gone');
    await fx.layer.drafts.import(a.draftId, 'delivery.csv', Buffer.from(DELIVERY));
    await fx.layer.drafts.delete(a.draftId);
    expect(fx.layer.drafts.list()).toEqual([]);
    // Its import is forgotten too: the same file again is not flagged.
    const b = fx.layer.drafts.create('Kept');
    const again = await fx.layer.drafts.import(b.draftId, 'delivery.csv', Buffer.from(DELIVERY));
    expect(again.block.earlier).toBeNull();
    await fx.layer.drafts.post(b.draftId, author('clerk'));
    await expect(fx.layer.drafts.delete(b.draftId)).rejects.toThrow(/was posted: it stays/);
  });
});

describe('the same file imported twice', () => {
  it('into two drafts: the second is flagged, posting it adds nothing unless confirmed, and confirmed it adds new lines', async () => {
    const a = await importFile(fx, 'delivery.csv', DELIVERY, '&name=Delivery%20A&post=true');
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ created: 3 });

    const b = await importFile(fx, 'delivery.csv', DELIVERY, '&name=Delivery%20B&post=true');
    expect(b.status).toBe(409);
    const bBody = b.body as unknown as DraftAddResult & { error: { message: string } };
    expect(bBody.block.earlier!.said).toMatch(ALREADY);
    expect(bBody.notes[0]).toMatch(
      /^delivery\.csv was already imported on .* Post batch will ask before posting its rows again\.$/,
    );
    expect(bBody.error.message).toMatch(
      /^Nothing was posted yet\. delivery\.csv \(3 rows\) was already imported on .* \(draft 'Delivery A'\): post its rows again, as new lines\?$/,
    );
    expect(bBody).toMatchObject({ errors: [{ field: 'confirmReimport' }] });
    // Its rows are the same lines as A's (ids from the file's content), and the ledger holds them.
    const detail = fx.layer.drafts.get(bBody.draft.draftId, 10, 0);
    expect(detail.cautions.map((c) => c.message)).toEqual(
      Array(3).fill(expect.stringMatching(/^already in the ledger since /)),
    );
    expect(ledgerLines(fx.layer)).toHaveLength(3);

    const confirmed = await postJson(`${fx.api}/drafts/${bBody.draft.draftId}/post?confirmReimport=true`, '');
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({ created: 3, alreadyPosted: 0 });
    const ids = ledgerLines(fx.layer).map((l) => l.id);
    expect(new Set(ids).size).toBe(6);
    expect(ids.filter((id) => id.startsWith(`${bBody.draft.draftId}-1-f`))).toHaveLength(3);
  });

  it('into two open drafts, both posted: each line enters the ledger once', async () => {
    const a = fx.layer.drafts.create('Delivery A');
    const b = fx.layer.drafts.create('Delivery B');
    await fx.layer.drafts.import(a.draftId, 'delivery.csv', Buffer.from(DELIVERY));
    const second = await fx.layer.drafts.import(b.draftId, 'delivery (1).csv', Buffer.from(DELIVERY));
    await fx.layer.drafts.post(a.draftId, author('clerk'));
    const postingB = await fx.layer.drafts.post(b.draftId, author('clerk')).then(
      () => null,
      (error: unknown) => error,
    );
    expect(ledgerLines(fx.layer)).toHaveLength(3);
    expect(postingB).toMatchObject({ code: 'needs_confirmation' });
    expect(second.block.earlier!.said).toMatch(ALREADY);
  });

  it('twice into one draft: flagged too; the second copy is taken out, and the draft posts without a question', async () => {
    const d = fx.layer.drafts.create('Twice');
    await fx.layer.drafts.import(d.draftId, 'delivery.csv', Buffer.from(DELIVERY));
    const twice = await fx.layer.drafts.import(d.draftId, 'delivery.csv', Buffer.from(DELIVERY));
    expect(twice.block.earlier).toMatchObject({ draftId: d.draftId, draftName: 'Twice' });
    // The question counts the rows still there: one of the copy's rows was deleted.
    fx.layer.drafts.deleteRow(d.draftId, 2, 3);
    await expect(fx.layer.drafts.post(d.draftId, author('clerk'))).rejects.toThrow(
      /^Nothing was posted yet\. delivery\.csv \(2 rows\) was already imported on .* \(draft 'Twice'\)/,
    );
    const removed = await rpc(fx.layer, 'drafts.deleteBlock', { draftId: d.draftId, block: 2 });
    expect(removed).toMatchObject({ ok: true, value: { rowCount: 3, errorCount: 0 } });
    expect(fx.layer.drafts.get(d.draftId, 10, 0).imports.map((i) => i.block)).toEqual([1]);
    expect(await fx.layer.drafts.post(d.draftId, author('clerk'))).toMatchObject({ created: 3 });
  });

  it('the HTTP import reads numbers in ?locale=, en-US by default, and shows what a grouped number was read as', async () => {
    const csv =
      'productId;quantity;siteId;locationId\nD0001;"1,000";1;13\nD0002;2.5;1;13\nD0003;1.000;1;13\n';
    const us = await importFile(fx, 'us.csv', csv);
    expect(us.status).toBe(200);
    const usBody = us.body as unknown as DraftAddResult;
    expect(fx.layer.drafts.get(usBody.draft.draftId, 10, 0).rows.map((r) => r.line.quantity)).toEqual([
      1000, 2.5, 1,
    ]);
    expect(usBody.cautions).toEqual([
      expect.objectContaining({ row: 2, cell: 'B2', message: "'1,000' was read as 1000 (en-US)" }),
      expect.objectContaining({ row: 2, message: expect.stringMatching(/^1000 is at or beyond/) }),
    ]);
    // In German "1.000" is a thousand, "1,000" is one, and "2.5" is no number at all.
    const de = await importFile(fx, 'de.csv', csv, '&locale=de-DE');
    expect(de.status).toBe(422);
    const deBody = de.body as unknown as DraftAddResult;
    const rows = fx.layer.drafts.get(deBody.draft.draftId, 10, 0).rows;
    expect(rows.map((r) => r.line.quantity)).toEqual([1, '2.5', 1000]);
    expect(deBody.errors).toEqual([
      expect.objectContaining({
        row: 3,
        cell: 'B3',
        message: "must be a number like 5, -3 or 2,5, not '2.5'",
      }),
    ]);
    expect(deBody.cautions).toEqual([
      expect.objectContaining({ row: 4, cell: 'B4', message: "'1.000' was read as 1000 (de-DE)" }),
      expect.objectContaining({ row: 4, message: expect.stringMatching(/^1000 is at or beyond/) }),
    ]);
  });
});
