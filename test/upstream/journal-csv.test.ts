import { describe, expect, it } from 'vitest';
import { buildCsv, plainNumber } from '../../src/main/upstream/journal-csv';

/** Minimal RFC 4180 reader, independent of the writer, to prove the file round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const COLUMNS = [
  'InventoryServiceTransactionId',
  'JournalNameId',
  'ItemNumber',
  'InventorySiteId',
  'InventoryWarehouseId',
  'InventoryQuantity',
  'UnitCost',
];

describe('journal CSV', () => {
  it('writes the header row, CRLF-terminated', () => {
    expect(buildCsv(COLUMNS, [])).toBe(`${COLUMNS.join(',')}\r\n`);
  });

  it('quotes commas, quotes and newlines and round-trips every value', () => {
    const csv = buildCsv(COLUMNS, [
      ['agg-1', 'IV, "main"', 'line1\nline2', 'a\r\nb', ' 13 ', -2.5, null],
      ['agg-2', undefined, 'D0001', '1', '13', 1e-7, 12.75],
    ]);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv).toContain('"IV, ""main"""');
    expect(csv).toContain('"line1\nline2"');
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(3);
    const header = rows[0]!;
    const first = Object.fromEntries(header.map((h, i) => [h, rows[1]![i]]));
    expect(first.JournalNameId).toBe('IV, "main"');
    expect(first.ItemNumber).toBe('line1\nline2');
    expect(first.InventorySiteId).toBe('a\r\nb');
    expect(first.InventoryWarehouseId).toBe(' 13 ');
    expect(first.InventoryQuantity).toBe('-2.5');
    expect(first.UnitCost).toBe('');
    const second = Object.fromEntries(header.map((h, i) => [h, rows[2]![i]]));
    expect(second.JournalNameId).toBe('');
    expect(second.InventoryQuantity).toBe('0.0000001');
    expect(second.UnitCost).toBe('12.75');
    expect(rows.every((r) => r.length === COLUMNS.length)).toBe(true);
  });

  it('writes numbers in plain decimal with a dot, never an exponent', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [5, '5'],
      [-5, '-5'],
      [0.1, '0.1'],
      [-0.25, '-0.25'],
      [1e-7, '0.0000001'],
      [-1.5e-7, '-0.00000015'],
      [1.2345e-10, '0.00000000012345'],
      [1e21, '1000000000000000000000'],
      [-1.5e22, '-15000000000000000000000'],
      [123456789.125, '123456789.125'],
      [1e12, '1000000000000'],
    ];
    for (const [n, s] of cases) {
      expect(plainNumber(n)).toBe(s);
      expect(Number(plainNumber(n))).toBe(n === 0 ? 0 : n);
    }
    expect(() => plainNumber(Number.NaN)).toThrow(RangeError);
    expect(() => plainNumber(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
