// An XLSX cell the sheet cannot give a value for is the row's error, named by
// its cell; a formula's saved result is used; a number longer than a spreadsheet keeps, in a
// text field, is an error ("store this column as text"), never an id with lost digits.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DraftAddResult } from '../../src/shared/drafts';
import type { ApiFixture } from '../helpers/layer';
import { draftsApi, importFile, ledgerLines, workbook } from './fixtures';

let fx: ApiFixture;
beforeEach(async () => {
  fx = await draftsApi();
});
afterEach(async () => {
  await fx.close();
});

const at = { block: 1, source: 'cells.xlsx' };

describe('XLSX cells', () => {
  it('a formula without a saved result, an error cell and a 20-digit number are row errors naming the cell', async () => {
    // A 20-digit id typed into a number cell: the sheet holds a double, its last digits gone.
    const bytes = await workbook([
      ['id', 'productId', 'quantity', 'siteId', 'locationId', 'externalReferenceId'],
      [Number('12345678901234567890'), 'D0001', 1, '1', '13'],
      ['x-3', { formula: 'A1&"x"' } as never, 2, '1', '13'],
      ['x-4', 'D0002', { error: '#DIV/0!' } as never, '1', '13'],
      ['x-5', 'D0003', 3, '1', '13', Number('98765432109876543210')],
      ['x-6', 'D0004', 4, '1', '13', 123456789012345],
    ]);
    const res = await importFile(fx, 'cells.xlsx', bytes, '&post=true');
    expect(res.status).toBe(422);
    const body = res.body as unknown as DraftAddResult;
    expect(body.errors).toEqual([
      {
        ...at,
        row: 2,
        field: 'id',
        cell: 'A2',
        message:
          'cell A2 holds the number 12345678901234567000, longer than the 15 digits a spreadsheet keeps, so digits may be lost: store this column as text and enter the values again',
      },
      {
        ...at,
        row: 3,
        field: 'productId',
        cell: 'B3',
        message:
          'cell B3 holds a formula (=A1&"x") without a saved result: open the file in Excel, save it, and import it again',
      },
      {
        ...at,
        row: 4,
        field: 'quantity',
        cell: 'C4',
        message: 'cell C4 holds the error #DIV/0!: correct it in the file',
      },
      {
        ...at,
        row: 5,
        field: 'externalReferenceId',
        cell: 'F5',
        message:
          'cell F5 holds the number 98765432109876540000, longer than the 15 digits a spreadsheet keeps, so digits may be lost: store this column as text and enter the values again',
      },
    ]);
    // 15 digits a spreadsheet keeps exactly: read as the text it shows.
    const rows = fx.layer.drafts.get(body.draft.draftId, 10, 0).rows;
    expect(rows.find((r) => r.row === 6)!.line.externalReferenceId).toBe('123456789012345');
    expect(JSON.stringify(rows)).not.toContain('[object Object]');
    expect(ledgerLines(fx.layer)).toEqual([]);
  });

  it('a formula with a saved result gives that result, 0 and text results included', async () => {
    const bytes = await workbook([
      ['productId', 'quantity', 'siteId', 'locationId', 'costPrice'],
      [
        { formula: '"D"&"0004"', result: 'D0004' } as never,
        { formula: '1+1', result: 2 } as never,
        '1',
        '13',
      ],
      [
        'D0005',
        7,
        { formula: 'TEXT(1,"0")', result: '1' } as never,
        '13',
        { formula: 'A1-A1', result: 0 } as never,
      ],
    ]);
    const res = await importFile(fx, 'cells.xlsx', bytes, '&post=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 2 });
    const lines = ledgerLines(fx.layer).sort((x, y) => x.productId.localeCompare(y.productId));
    expect(lines.map((l) => [l.productId, l.quantity, l.dimensions.siteId, l.costPrice])).toEqual([
      ['D0004', 2, '1', null],
      ['D0005', 7, '1', 0],
    ]);
  });
});
