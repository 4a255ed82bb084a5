import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv, toCsv } from './csv';

describe('csv', () => {
  it('parses RFC 4180 quoting: commas, doubled quotes, line breaks, CRLF', () => {
    const text = 'a,b,c\r\n"x,1","say ""hi""","two\r\nlines"\r\n,,\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['x,1', 'say "hi"', 'two\r\nlines'],
      ['', '', ''],
    ]);
  });

  it('keeps a last record without a line end and skips blank lines', () => {
    expect(parseCsv('a,b\n\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('refuses broken quoting', () => {
    expect(() => parseCsv('a\n"open')).toThrow(CsvError);
    expect(() => parseCsv('a\n"x"y')).toThrow(CsvError);
    expect(() => parseCsv('a\nx"y')).toThrow(CsvError);
  });

  it('round-trips through toCsv', () => {
    const rows = [
      { a: 'x,"y"', b: 'line\nbreak', c: 5 },
      { a: ' padded', b: null },
    ];
    const text = toCsv(['a', 'b', 'c'], rows);
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['x,"y"', 'line\nbreak', '5'],
      [' padded', '', ''],
    ]);
  });
});
