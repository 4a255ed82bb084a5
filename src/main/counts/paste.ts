/**
 * A block of counted items pasted from a spreadsheet: tab-separated, with a header row naming
 * the item and counted columns (and, optionally, colour, size and style), or two bare columns
 * (item, counted). Read whole before anything is recorded: one bad row, or an item twice in the
 * block, and nothing is recorded.
 */
import type { FieldError } from '../../shared/adjustment';

export interface PastedCount {
  row: number;
  productId: string;
  dimensions: Record<string, string>;
  counted: number;
}

/** Pasted rows per block: each is compared with IV's on-hand as it is recorded. */
export const MAX_PASTED_COUNTS = 500;

const HEADERS: Record<string, 'productId' | 'counted' | 'colorId' | 'sizeId' | 'styleId'> = {
  item: 'productId',
  'item number': 'productId',
  product: 'productId',
  productid: 'productId',
  counted: 'counted',
  count: 'counted',
  qty: 'counted',
  quantity: 'counted',
  'on shelf': 'counted',
  colour: 'colorId',
  color: 'colorId',
  colorid: 'colorId',
  size: 'sizeId',
  sizeid: 'sizeId',
  style: 'styleId',
  styleid: 'styleId',
};

const DECIMAL = /^\d+([.,]\d+)?$/;

export function parseCountBlock(text: string): { items: PastedCount[] } | { errors: FieldError[] } {
  const rows = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line, i) => ({ row: i + 1, cells: line.split('\t').map((c) => c.trim()) }))
    .filter((r) => r.cells.some((c) => c !== ''));
  if (rows.length === 0)
    return { errors: [{ field: '(block)', message: 'is empty: paste rows of item and counted' }] };
  const first = rows[0]!;
  const named = first.cells.map((c) => HEADERS[c.toLowerCase()]);
  // A first row with no number where the rows below have one is a header, even one we cannot
  // read: better to say which columns we need than to call 'Shelf' an item. A lone row, or rows
  // without numbers, are data, so the clerk hears which counted is not a number.
  const numeric = (cells: string[]) => DECIMAL.test(cells[1] ?? '');
  const hasHeader =
    named.includes('productId') ||
    named.includes('counted') ||
    (!numeric(first.cells) && rows.slice(1).some((r) => numeric(r.cells)));
  const columns = hasHeader ? named : (['productId', 'counted'] as const);
  const productAt = columns.indexOf('productId');
  const countedAt = columns.indexOf('counted');
  if (productAt < 0 || countedAt < 0)
    return {
      errors: [
        {
          field: '(header)',
          message: `must name an item column and a counted column (found: ${first.cells.join(', ')})`,
        },
      ],
    };
  const body = hasHeader ? rows.slice(1) : rows;
  if (body.length > MAX_PASTED_COUNTS)
    return {
      errors: [
        { field: '(block)', message: `must hold at most ${MAX_PASTED_COUNTS} rows; paste the rest next` },
      ],
    };
  const errors: FieldError[] = [];
  const items: PastedCount[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of body) {
    const productId = cells[productAt] ?? '';
    const raw = cells[countedAt] ?? '';
    if (productId === '') errors.push({ index: row, field: 'item', message: `row ${row}: needs an item` });
    if (!DECIMAL.test(raw))
      errors.push({
        index: row,
        field: 'counted',
        message: `row ${row}: counted must be a number of 0 or more, not '${raw}'`,
      });
    const dimensions: Record<string, string> = {};
    columns.forEach((c, i) => {
      if ((c === 'colorId' || c === 'sizeId' || c === 'styleId') && cells[i]) dimensions[c] = cells[i]!;
    });
    const key = JSON.stringify([productId.toLowerCase(), dimensions]);
    const earlier = seen.get(key);
    if (earlier !== undefined && productId !== '')
      errors.push({
        index: row,
        field: 'item',
        message: `row ${row}: ${productId} is counted twice in this block (row ${earlier} too); keep one row`,
      });
    seen.set(key, row);
    items.push({ row, productId, dimensions, counted: Number(raw.replace(',', '.')) });
  }
  return errors.length > 0 ? { errors } : { items };
}
