// Reading a counted block pasted from a spreadsheet (counts/paste.ts): header or not, decimal
// commas, dimensions by name, and the block's own refusals. What each row holds is judged by the
// entry pipeline's rules (count-input.test.ts, over HTTP).
import { describe, expect, it } from 'vitest';
import { MAX_PASTE_CHARS, MAX_PASTED_COUNTS, parseCountBlock } from '../../src/main/counts/paste';

const messages = (text: string) => {
  const r = parseCountBlock(text);
  return 'errors' in r ? r.errors.map((e) => e.message) : [];
};

describe('a pasted count block', () => {
  it('reads bare item/counted rows, Windows line ends and a decimal comma', () => {
    expect(parseCountBlock('D0001\t95\r\nD0002\t2,5\r\n\r\n')).toEqual({
      rows: [
        { row: 1, productId: 'D0001', dimensions: {}, counted: 95, countedText: '95' },
        { row: 2, productId: 'D0002', dimensions: {}, counted: 2.5, countedText: '2,5' },
      ],
    });
  });

  it('reads columns by their header names in any order, dimensions included', () => {
    expect(parseCountBlock('Size\tQty\tItem\tColour\nL\t3\tT0001\tRed\n')).toEqual({
      rows: [
        {
          row: 2,
          productId: 'T0001',
          dimensions: { sizeId: 'L', colorId: 'Red' },
          counted: 3,
          countedText: '3',
        },
      ],
    });
  });

  it('reads a lone row with a word for a number as data whose counted is not a number', () => {
    expect(parseCountBlock('D0001\tninety-five')).toEqual({
      rows: [{ row: 1, productId: 'D0001', dimensions: {}, counted: null, countedText: 'ninety-five' }],
    });
  });

  it('asks for the columns it needs when the header names none it knows, echoing no hidden character', () => {
    expect(messages('Shelf\tWh\u200bere\nA\t3')).toEqual([
      'must name an item column (Item, Item number, Product) and a counted column (Counted, Count, Qty, Quantity, On shelf); found: Shelf, Wh?ere',
    ]);
  });

  it('reads a negative or signed count as no number (a shelf holds zero or more), and refuses an empty block', () => {
    const read = parseCountBlock('Item\tCounted\nD0001\t-1\nD0002\t+1');
    expect('rows' in read && read.rows.map((r) => r.counted)).toEqual([null, null]);
    expect(messages(' \n\t\n')).toEqual(['is empty: paste rows of item and counted']);
  });

  it('refuses a block longer than the limits rather than recording part of it', () => {
    const rows = Array.from({ length: MAX_PASTED_COUNTS + 1 }, (_, i) => `I${i}\t1`).join('\n');
    expect(messages(rows)).toEqual([`must hold at most ${MAX_PASTED_COUNTS} rows; paste the rest next`]);
    expect(messages(`D0001\t1\t${'x'.repeat(MAX_PASTE_CHARS)}`)).toEqual([
      'must be at most 200,000 characters: paste it in parts',
    ]);
  });
});
