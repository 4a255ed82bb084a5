/**
 * Spreadsheet text → rows of cells: a block pasted from Excel or LibreOffice (tab-separated),
 * a CSV file (papaparse: quotes, BOM, `;` or `,`), an XLSX file (exceljs, first worksheet).
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';

export class TableError extends Error {}

export function parseTabSeparated(text: string): Promise<string[][]> {
  // Excel quotes a cell that holds a tab or line break; papaparse reads that quoting too.
  return parseDelimited(text, '\t');
}

export function parseCsv(bytes: Uint8Array): Promise<string[][]> {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('\u0000'))
    throw new TableError('The file is not a CSV text file (it holds binary data): save it as CSV or XLSX.');
  return parseDelimited(text, '');
}

/** Characters parsed per step: a 100,000-row file in one go stalled the event loop ~200 ms. */
const CHUNK_CHARS = 128 * 1024;

/** Parses a chunk at a time and lets the event loop run between chunks. */
function parseDelimited(text: string, delimiter: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const rows: string[][] = [];
    Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
      delimiter,
      skipEmptyLines: 'greedy',
      chunkSize: CHUNK_CHARS,
      chunk: (results: Papa.ParseResult<string[]>, parser: Papa.Parser) => {
        for (const row of results.data) rows.push(row.map((cell: unknown) => String(cell)));
        parser.pause();
        setImmediate(() => parser.resume());
      },
      complete: () => resolve(rows),
      error: (error: Error) => reject(error),
    });
  });
}

/** XLSX: the first worksheet's cells as text (dates as YYYY-MM-DD, numbers as numbers' text). */
export async function parseXlsx(bytes: Uint8Array): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new TableError('The file is not a readable XLSX workbook: save it again as .xlsx or .csv.');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new TableError('The workbook has no worksheet.');
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    rows.push(cells);
  });
  return rows;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
  }
  return String(value);
}

/** Which reader a file needs, by its first bytes (a zip is XLSX), then by its name. */
export function fileKind(fileName: string, bytes: Uint8Array): 'csv' | 'xlsx' | null {
  const zip =
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  const name = fileName.toLowerCase();
  if (zip) return name.endsWith('.csv') || name.endsWith('.txt') ? null : 'xlsx';
  if (name.endsWith('.csv') || name.endsWith('.txt') || name.endsWith('.tsv')) return 'csv';
  return null;
}
