/** The files inside a journal package: RFC 4180 CSV, comma, CRLF, a header row [PK]. */

const CRLF = '\r\n';

export type CsvValue = string | number | null | undefined;

/** Header row plus one row per record, CRLF-terminated. */
export function buildCsv(columns: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [columns.map((c) => csvField(c)).join(',')];
  for (const row of rows) lines.push(columns.map((_, i) => csvField(row[i])).join(','));
  return lines.join(CRLF) + CRLF;
}

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? plainNumber(value) : value;
  // Quote what RFC 4180 requires, and edge whitespace so no importer trims it away.
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A finite number in plain decimal with `.`: the shortest round-trip digits of
 * `String(n)`, with any exponent expanded (1e-7 → 0.0000001, 1e21 → 1000000000000000000000).
 */
export function plainNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`cannot write ${n} to a journal file`);
  if (Object.is(n, -0) || n === 0) return '0';
  const s = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign = '', intPart = '', fracPart = '', expText = '0'] = m;
  const digits = intPart + fracPart;
  const point = intPart.length + Number(expText); // position of the decimal point within digits
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  out = out.replace(/^0+(?=\d)/, '');
  if (out.includes('.')) out = out.replace(/\.?0+$/, '');
  return sign + out;
}
