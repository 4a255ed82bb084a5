// Reading a counted block pasted from a spreadsheet (counts/paste.ts): header or not, decimal
// commas, dimensions by name, and every refusal naming the row and the rule.
import { describe, expect, it } from 'vitest';
import { MAX_PASTED_COUNTS, parseCountBlock } from '../../src/main/counts/paste';

const messages = (text: string) => {
  const r = parseCountBlock(text);
  return 'errors' in r ? r.errors.map((e) => e.message) : [];
};

describe('a pasted count block', () => {
  it('reads bare item/counted rows, Windows line ends and a decimal comma', () => {
    expect(parseCountBlock('D0001\t95\r\nD0002\t2,5\r\n\r\n')).toEqual({
      items: [
        { row: 1, productId: 'D0001', dimensions: {}, counted: 95 },
        { row: 2, productId: 'D0002', dimensions: {}, counted: 2.5 },
      ],
    });
  });

  it('reads columns by their header names in any order, dimensions included', () => {
    expect(parseCountBlock('Size\tQty\tItem\tColour\nL\t3\tT0001\tRed\n')).toEqual({
      items: [{ row: 2, productId: 'T0001', dimensions: { sizeId: 'L', colorId: 'Red' }, counted: 3 }],
    });
  });

  it('tells a lone row with a word for a number that its counted is not a number', () => {
    expect(messages('D0001\tninety-five')).toEqual([
      "row 1: counted must be a number of 0 or more, not 'ninety-five'",
    ]);
  });

  it('asks for the columns it needs when the header names none it knows', () => {
    expect(messages('Shelf\tWhere\nA\t3')).toEqual([
      'must name an item column and a counted column (found: Shelf, Where)',
    ]);
  });

  it('refuses a negative count, a missing item, the same item twice and an empty block', () => {
    expect(messages('Item\tCounted\nD0001\t-1\n\t4\nD0002\t1\nd0002\t2')).toEqual([
      "row 2: counted must be a number of 0 or more, not '-1'",
      'row 3: needs an item',
      'row 5: d0002 is counted twice in this block (row 4 too); keep one row',
    ]);
    expect(messages(' \n\t\n')).toEqual(['is empty: paste rows of item and counted']);
  });

  it('refuses a block longer than the limit rather than recording part of it', () => {
    const rows = Array.from({ length: MAX_PASTED_COUNTS + 1 }, (_, i) => `I${i}\t1`).join('\n');
    expect(messages(rows)).toEqual([`must hold at most ${MAX_PASTED_COUNTS} rows; paste the rest next`]);
  });
});
