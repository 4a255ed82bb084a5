// RFC 4180 CSV: fields separated by commas, records by CRLF or LF, "" escapes a quote
// inside a quoted field, quoted fields may hold commas and line breaks.

export class CsvError extends Error {}

export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let line = 1;
  // Whether the current field started with a quote, and whether we are inside it.
  let quoted = false;
  let inQuotes = false;
  let afterQuote = false;

  const endField = () => {
    record.push(field);
    field = '';
    quoted = false;
    afterQuote = false;
  };
  const endRecord = () => {
    endField();
    // A blank line is no record (DMF skips it too).
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  };

  while (i < text.length) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        afterQuote = true;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === ',') {
      endField();
    } else if (c === '\r' && text[i + 1] === '\n') {
      endRecord();
      line++;
      i++;
    } else if (c === '\n') {
      endRecord();
      line++;
    } else if (afterQuote) {
      throw new CsvError(`Line ${line}: unexpected character after a closing quote.`);
    } else if (c === '"') {
      if (field !== '' || quoted) throw new CsvError(`Line ${line}: a quote inside an unquoted field.`);
      quoted = true;
      inQuotes = true;
    } else {
      field += c;
    }
    i++;
  }
  if (inQuotes) throw new CsvError(`Line ${line}: a quoted field is not closed.`);
  if (field !== '' || quoted || record.length > 0) endRecord();
  return records;
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** CSV text with a header row; missing values are written blank. CRLF line ends, as RFC 4180 asks. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map(quote).join(',')];
  for (const row of rows) {
    lines.push(
      columns.map((c) => quote(row[c] === undefined || row[c] === null ? '' : String(row[c]))).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
