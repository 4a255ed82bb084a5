/**
 * A block of counted items pasted from a spreadsheet: tab-separated, with a header row naming
 * the item and counted columns (and, optionally, colour, size and style), or two bare columns
 * (item, counted). Read whole, and every row judged by the pipeline's rules (item-rules.ts),
 * before anything is recorded: one bad row, or an item twice in the block, and nothing is.
 */
import type { FieldError } from '../../shared/adjustment';
import type { EntryPipeline } from '../ingest/pipeline';
import { type CountedItem, type CountPlace, judgeCounted } from './item-rules';

export interface PastedRow {
  row: number;
  productId: string;
  dimensions: Record<string, string>;
  /** What the counted cell says; null when it is not a number of 0 or more. */
  counted: number | null;
  countedText: string;
}

/** Pasted rows per block: each is compared with IV's on-hand as it is recorded. */
export const MAX_PASTED_COUNTS = 500;
/** A block's size in characters (500 rows of long codes fit; a runaway clipboard does not). */
export const MAX_PASTE_CHARS = 200_000;

type Column = 'productId' | 'counted' | 'colorId' | 'sizeId' | 'styleId';

const HEADERS: Record<string, Column> = {
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

/** The column names a refusal uses: the clerk's words, not the API's. */
const LABELS: Record<string, string> = {
  productId: 'item',
  counted: 'counted',
  'dimensions.colorId': 'colour',
  'dimensions.sizeId': 'size',
  'dimensions.styleId': 'style',
};

const DECIMAL = /^\d+([.,]\d+)?$/;
/** A cell echoed in words: short, and no character that would hide or break the message. */
const shown = (cell: string) => cell.slice(0, 24).replace(/[\p{Cc}\p{Cf}]/gu, '?');

export function parseCountBlock(text: string): { rows: PastedRow[] } | { errors: FieldError[] } {
  if (text.length > MAX_PASTE_CHARS)
    return {
      errors: [{ field: '(block)', message: `must be at most 200,000 characters: paste it in parts` }],
    };
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
          message: `must name an item column (Item, Item number, Product) and a counted column (Counted, Count, Qty, Quantity, On shelf); found: ${first.cells.map(shown).join(', ')}`,
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
  return {
    rows: body.map(({ row, cells }) => {
      const countedText = cells[countedAt] ?? '';
      const dimensions: Record<string, string> = {};
      columns.forEach((c, i) => {
        if ((c === 'colorId' || c === 'sizeId' || c === 'styleId') && cells[i]) dimensions[c] = cells[i]!;
      });
      return {
        row,
        productId: cells[productAt] ?? '',
        dimensions,
        counted: DECIMAL.test(countedText) ? Number(countedText.replace(',', '.')) : null,
        countedText,
      };
    }),
  };
}

/**
 * Every row judged by the pipeline's rules; an item twice in the block (after normalising: case,
 * NFC, a barcode and its own item and variant) is refused. All problems at once, by row.
 */
export function judgePastedRows(
  entry: EntryPipeline,
  place: CountPlace,
  rows: readonly PastedRow[],
): { items: CountedItem[] } | { errors: FieldError[] } {
  const judged = judgeCounted(entry, place, rows);
  const errors: FieldError[] = [];
  const items: CountedItem[] = [];
  const seen = new Map<string, number>();
  rows.forEach(({ row, counted, countedText }, i) => {
    const say = (field: string, message: string) =>
      errors.push({ index: row, field, message: `row ${row}: ${message}` });
    if (counted === null)
      say('counted', `counted must be a number of 0 or more, not '${shown(countedText)}'`);
    const { item, errors: found } = judged[i]!;
    for (const e of found) {
      const label = LABELS[e.field] ?? e.field;
      say(label, `${label} ${e.message}`);
    }
    if (!item) return;
    const earlier = seen.get(item.key);
    if (earlier !== undefined)
      say('item', `${item.productId} is counted twice in this block (row ${earlier} too); keep one row`);
    else seen.set(item.key, row);
    items.push(item);
  });
  return errors.length > 0 ? { errors } : { items };
}
