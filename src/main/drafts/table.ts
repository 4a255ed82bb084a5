/**
 * Spreadsheet text → rows of cells, each row keeping the number its spreadsheet shows: a block
 * pasted from Excel or LibreOffice (tab-separated) and a CSV file (papaparse: quotes, BOM, `;` or
 * `,`). XLSX is read in xlsx.ts into the same shape, with typed cells.
 */
import Papa from 'papaparse';
import { csvTextOf } from '../../shared/csv';
import { MAX_DRAFT_ROWS } from '../../shared/drafts';

/** A cell a spreadsheet could not give a value for: a formula never calculated, or an error. */
export type CellFault = { fault: 'formula'; formula: string } | { fault: 'error'; error: string };
/** Text from a CSV or a paste; typed values from an XLSX. */
export type Cell = string | number | boolean | Date | CellFault;

export interface SourceRow {
  /** The row number the spreadsheet shows (header = 1; blank rows counted, never returned). */
  row: number;
  cells: Cell[];
}

export interface SourceTable {
  rows: SourceRow[];
  /** How the file was read, in words (an encoding other than UTF-8). */
  notes: string[];
}

/** A block or file refused as a whole, before anything is stored. */
export class TableError extends Error {}

/**
 * Cells one row may have: a 10,000-column row is not a row of adjustments, and refusing it
 * early keeps a hostile file from costing memory per row. Trailing blank cells do not count.
 */
export const MAX_CELLS_PER_ROW = 200;
/** Rows read at most: the draft's limit, its header and one more, so "too many" can be said. */
const MAX_SOURCE_ROWS = MAX_DRAFT_ROWS + 2;

export function isBlankCell(cell: Cell | undefined): boolean {
  return cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

/** The cells up to the last that is not blank. */
export function trimRow(cells: Cell[]): Cell[] {
  let end = cells.length;
  while (end > 0 && isBlankCell(cells[end - 1])) end--;
  return end === cells.length ? cells : cells.slice(0, end);
}

export function tooWide(row: number, cells: number): TableError {
  return new TableError(
    `Row ${row} has ${cells.toLocaleString('en-US')} cells: a row may have at most ${MAX_CELLS_PER_ROW}.`,
  );
}

export function tooLong(): TableError {
  return new TableError(
    `There are more than ${MAX_DRAFT_ROWS.toLocaleString('en-US')} rows: a draft holds at most that many, split the file.`,
  );
}

export function parseTabSeparated(text: string): Promise<SourceTable> {
  // Excel quotes a cell that holds a tab or line break; papaparse reads that quoting too.
  return parseDelimited(text, '\t', []);
}

export function parseCsv(bytes: Uint8Array): Promise<SourceTable> {
  const notes: string[] = [];
  const text = decodeText(bytes, notes);
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const row = countLines(text, nul) + 1;
    throw new TableError(
      `Row ${row} holds a NUL byte: the file is binary data, not CSV text. Save it as CSV or XLSX.`,
    );
  }
  return parseDelimited(text, '', notes);
}

/**
 * UTF-8 (with or without BOM), else Windows-1252: what Excel's plain "CSV (Comma delimited)"
 * writes on a Windows PC, where é in UTF-8 would be two wrong characters.
 */
function decodeText(bytes: Uint8Array, notes: string[]): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    notes.push('The file is not UTF-8 text: it was read as Windows-1252 (Excel’s "CSV (Comma delimited)").');
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function countLines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Characters parsed per step: a 100,000-row file in one go stalled the event loop ~200 ms. */
const CHUNK_CHARS = 128 * 1024;

/**
 * Parses a chunk at a time and lets the event loop run between chunks. Every record counts
 * as a row, blank ones too (a spreadsheet shows a blank line as an empty row), so each row
 * keeps the number the clerk sees; the spreadsheet-safety apostrophe of our own CSV export is
 * removed where the export added it (csv.ts).
 */
function parseDelimited(text: string, delimiter: string, notes: string[]): Promise<SourceTable> {
  return new Promise((resolve, reject) => {
    const rows: SourceRow[] = [];
    let row = 0;
    let failed: Error | null = null;
    Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
      delimiter,
      skipEmptyLines: false,
      chunkSize: CHUNK_CHARS,
      chunk: (results: Papa.ParseResult<string[]>, parser: Papa.Parser) => {
        try {
          for (const record of results.data) {
            row++;
            const cells = trimRow(record.map((cell: unknown) => csvTextOf(String(cell))));
            if (cells.length === 0) continue;
            if (cells.length > MAX_CELLS_PER_ROW) throw tooWide(row, cells.length);
            if (rows.length >= MAX_SOURCE_ROWS) throw tooLong();
            rows.push({ row, cells });
          }
        } catch (error) {
          failed = error as Error;
          parser.abort();
          return;
        }
        parser.pause();
        setImmediate(() => parser.resume());
      },
      complete: () => (failed ? reject(failed) : resolve({ rows, notes })),
      error: (error: Error) => reject(error),
    });
  });
}

/** Which reader a file needs, by its first bytes (a zip is XLSX), then by its name. */
export function fileKind(fileName: string, bytes: Uint8Array): 'csv' | 'xlsx' | 'not-zip' | null {
  const zip =
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  const name = fileName.toLowerCase();
  if (zip) return name.endsWith('.csv') || name.endsWith('.txt') ? null : 'xlsx';
  if (name.endsWith('.csv') || name.endsWith('.txt') || name.endsWith('.tsv')) return 'csv';
  if (name.endsWith('.xlsx')) return 'not-zip';
  return null;
}
