// Hostile files and blocks get what the bulk API gets. A file that cannot be read is
// refused in words naming the row, column or cell, and leaves no draft; a bad row is kept in its
// draft with its error, to fix; nothing enters the ledger; never a stack trace, never a 500.
import { Zip, ZipDeflate, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DraftAddResult, MAX_IMPORT_BYTES } from '../../src/shared/drafts';
import type { ApiFixture } from '../helpers/layer';
import { draftsApi, importFile, ledgerLines, rpc, workbook } from './fixtures';

let fx: ApiFixture;
beforeEach(async () => {
  fx = await draftsApi();
});
afterEach(async () => {
  await fx.close();
});

const HEADER = 'productId,quantity,siteId,locationId';

/** Refused as a whole: the status and words asked for, no draft left, nothing in the ledger. */
async function refused(name: string, body: Uint8Array | string, status: number, words: RegExp) {
  const res = await importFile(fx, name, body);
  expect(res.status, res.text).toBe(status);
  expect(res.text).not.toMatch(/\n\s+at /);
  expect((res.body.error as { message: string }).message).toMatch(words);
  expect(fx.layer.drafts.list()).toEqual([]);
  expect(ledgerLines(fx.layer)).toEqual([]);
  return res;
}

/** Kept to fix: the rows' errors, and nothing in the ledger. */
async function rowErrors(name: string, body: Uint8Array | string) {
  const res = await importFile(fx, name, body, '&post=true');
  expect(res.status, res.text).toBe(422);
  expect(ledgerLines(fx.layer)).toEqual([]);
  return res.body as unknown as DraftAddResult;
}

/** A zip of one part of `mb` megabytes of zeros, written a megabyte at a time. */
function zeros(mb: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    parts.push(chunk);
  });
  const file = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 1 });
  zip.add(file);
  const mega = new Uint8Array(1024 * 1024);
  for (let i = 0; i < mb; i++) file.push(mega, i === mb - 1);
  zip.end();
  return Buffer.concat(parts);
}

describe('hostile input to the draft import', () => {
  it('control and invisible characters, NFC twins and huge values are errors of their row and field', async () => {
    const nfd = 'cafe\u0301-1';
    const csv = [
      `id,${HEADER},externalReferenceId`,
      'café-1,D0001,1,1,13,',
      `${nfd},D0002,1,1,13,`,
      'x-3,D\u00070003,1,1,13,',
      'x-4,D\u200b0004,1,1,13,',
      `x-5,D0005,1,1,13,${'R'.repeat(100_000)}`,
    ].join('\n');
    const added = await rowErrors('hostile.csv', csv);
    const at = { block: 1, source: 'hostile.csv' };
    expect(added.errors).toEqual([
      { ...at, row: 3, field: 'id', message: 'repeats the id of row 2 of hostile.csv' },
      { ...at, row: 4, field: 'productId', message: 'must not contain control characters' },
      {
        ...at,
        row: 5,
        field: 'productId',
        message: 'must not contain invisible characters (zero-width, direction marks, separators)',
      },
      {
        ...at,
        row: 6,
        field: 'externalReferenceId',
        cell: 'F6',
        message: 'cell F6 holds 100,000 characters: no field takes more than 256',
      },
    ]);
    // A huge value is kept only as far as needed to show it.
    const rows = fx.layer.drafts.get(added.draft.draftId, 10, 0).rows;
    expect(String(rows[4]!.line.externalReferenceId)).toHaveLength(1_000);
  });

  it('a file of 20 MB is read; one row of a single 20 MB cell is that cell’s error', async () => {
    const head = `${HEADER},externalReferenceId\nD0001,1,1,13,`;
    const csv = head + 'x'.repeat(MAX_IMPORT_BYTES - head.length);
    expect(Buffer.byteLength(csv)).toBe(MAX_IMPORT_BYTES);
    const added = await rowErrors('big.csv', csv);
    expect(added.errors).toEqual([
      expect.objectContaining({
        row: 2,
        cell: 'E2',
        message: expect.stringMatching(/^cell E2 holds 20,971,4\d\d characters/),
      }),
    ]);
  });

  it('refuses more rows than a draft holds, and a 5,000,001-character paste, in words', async () => {
    const rows = [HEADER];
    for (let i = 0; i < 200_001; i++) rows.push('D1,1,1,13');
    await refused(
      'many.csv',
      rows.join('\n'),
      400,
      /a draft holds at most 200,000 rows \(this one has 0, the file 200,001\)/,
    );

    const draft = fx.layer.drafts.create('Paste');
    const tooLong = await rpc(fx.layer, 'drafts.paste', {
      draftId: draft.draftId,
      text: 'x'.repeat(5_000_001),
    });
    expect(tooLong).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        errors: [{ field: 'text', message: expect.stringMatching(/^must be at most 5000000 characters/) }],
      },
    });
    const block = `productId\tquantity\tsiteId\tlocationId\n${'D1\t1\t1\t13\n'.repeat(454_541)}`.slice(
      0,
      5_000_000,
    );
    const full = await rpc(fx.layer, 'drafts.paste', { draftId: draft.draftId, text: block });
    expect(full).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/more than 200,000 rows/) },
    });
    expect(fx.layer.drafts.get(draft.draftId, 10, 0)).toMatchObject({ rowCount: 0, imports: [] });
  }, 60_000);

  it('refuses a 10,000-column row and two columns for one field, naming row and columns', async () => {
    const wide = Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',');
    await refused(
      'wide.csv',
      `${wide}\n`,
      400,
      /^Nothing was added: Row 1 has 10,000 cells: a row may have at most 200\.$/,
    );
    await refused('wide.csv', `${HEADER}\nD1,1,1,13\n${wide}\n`, 400, /Row 3 has 10,000 cells/);
    const sheet = await workbook([HEADER.split(','), Array.from({ length: 10_000 }, (_, i) => i)]);
    await refused('wide.xlsx', sheet, 400, /Row 2 has 10,000 cells/);
    await refused(
      'twice.csv',
      'productId,Qty,siteId,locationId,Qty\nD1,1,1,13,2\n',
      400,
      /Columns B \(Qty\) and E \(Qty\) both give quantity: keep one\./,
    );
  });

  it('refuses a CSV with a NUL byte, an XLSX that is not a zip, a zip that is no workbook, and zip bombs', async () => {
    // Built before any request: building them holds this process for seconds, and a kept-alive
    // socket reused after that may have been closed meanwhile (HTTP keep-alive's own race).
    // 300 MB of zeros in 300 KB: refused from what the zip says it holds.
    const bomb = zeros(300);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    // The same, saying it holds 1 KB: refused from what it really unpacks to.
    const liar = Buffer.from(bomb);
    const directory = liar.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    liar.writeUInt32LE(1024, directory + 24);
    await refused(
      'nul.csv',
      `${HEADER}\nD1,1,1,13\nD2,1\u0000,1,13\n`,
      400,
      /^Nothing was added: Row 3 holds a NUL byte/,
    );
    await refused(
      'stock.xlsx',
      `${HEADER}\nD1,1,1,13\n`,
      400,
      /stock\.xlsx is not an XLSX workbook \(it is not a zip file\)/,
    );
    const notBook = zipSync({ 'readme.txt': new TextEncoder().encode('hello') });
    await refused('stock.xlsx', notBook, 400, /not a readable XLSX workbook/);

    await refused('bomb.xlsx', bomb, 400, /unpacks to more than 256 MB/);
    await refused('liar.xlsx', liar, 400, /unpacks to more than 256 MB/);
  }, 120_000);

  it('reads a CSV saved as Windows-1252 and says so; refuses a locale that is no language tag', async () => {
    const latin1 = Buffer.from(`${HEADER}\nCaf\u00e9,1,1,13\n`, 'latin1');
    const res = await importFile(fx, 'ansi.csv', latin1);
    expect(res.status).toBe(200);
    const added = res.body as unknown as DraftAddResult;
    expect(added.notes).toEqual([
      expect.stringMatching(/^The file is not UTF-8 text: it was read as Windows-1252/),
    ]);
    expect(fx.layer.drafts.get(added.draft.draftId, 10, 0).rows[0]!.line.productId).toBe('Café');
    const bad = await importFile(fx, 'x.csv', `${HEADER}\nD1,1,1,13\n`, '&locale=not%20a%20locale');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errors: [{ field: 'locale' }] });
    // A file or draft name is shown in every row's words: plain text only.
    const named = await importFile(fx, 'x\u202e.csv', `${HEADER}\nD1,1,1,13\n`, `&name=${'n'.repeat(101)}`);
    expect(named.status).toBe(400);
    expect(named.body).toMatchObject({
      errors: [
        { field: 'fileName', message: 'must not contain control or invisible characters' },
        { field: 'name', message: 'must be at most 100 characters' },
      ],
    });
    expect(fx.layer.drafts.list().map((d) => d.name)).toEqual(['ansi.csv']);
  });
});
