/**
 * An XLSX file → rows of typed cells (xlsx: the first worksheet, exceljs), each row keeping the
 * number the sheet shows. Before exceljs unpacks anything the zip is checked: exceljs (JSZip)
 * inflates every part into memory, so a zip bomb (a few MB that unpack to gigabytes) must be
 * refused from what the zip says and from what it really unpacks to, a slice at a time.
 */
import ExcelJS from 'exceljs';
import { Unzip, UnzipInflate, unzipSync } from 'fflate';
import { MAX_DRAFT_ROWS } from '../../shared/drafts';
import { backgroundTurn } from '../event-loop';
import {
  type Cell,
  MAX_CELLS_PER_ROW,
  type SourceTable,
  TableError,
  tooLong,
  tooWide,
  trimRow,
} from './table';

/**
 * What a workbook may unpack to. Our own export of 100,000 lines unpacks to about 150 MB;
 * past this, exceljs's model of the sheet would take gigabytes.
 */
export const MAX_XLSX_UNPACKED = 256 * 1024 * 1024;
const MAX_XLSX_PARTS = 10_000;
/** Compressed bytes inflated per step: at most ~1,000 times that comes out of one step. */
const INFLATE_STEP = 16 * 1024;

const NOT_READABLE = 'The file is not a readable XLSX workbook: save it again as .xlsx or .csv.';
const tooBig = () =>
  new TableError(
    `The workbook unpacks to more than ${MAX_XLSX_UNPACKED / 1024 / 1024} MB (a zip bomb, or a sheet far larger than a draft holds): split it or save it as CSV.`,
  );

/** The zip's own directory: how many parts, and what they say they unpack to. */
function checkDirectory(bytes: Uint8Array): void {
  let parts = 0;
  let declared = 0;
  try {
    unzipSync(bytes, {
      filter: (file) => {
        parts++;
        declared += file.originalSize;
        return false;
      },
    });
  } catch {
    throw new TableError(NOT_READABLE);
  }
  if (parts > MAX_XLSX_PARTS) throw new TableError(`${NOT_READABLE} (it holds ${parts} parts)`);
  if (declared > MAX_XLSX_UNPACKED) throw tooBig();
}

/** What the parts really unpack to (a zip may understate it), counted without keeping any of it. */
async function checkInflated(bytes: Uint8Array): Promise<void> {
  let total = 0;
  let failure: TableError | null = null;
  const unzip = new Unzip((file) => {
    file.ondata = (error, data) => {
      if (failure) return;
      total += data?.length ?? 0;
      if (error) failure = new TableError(NOT_READABLE);
      else if (total > MAX_XLSX_UNPACKED) failure = tooBig();
      if (failure) file.terminate();
    };
    try {
      file.start();
    } catch {
      failure ??= new TableError(NOT_READABLE);
    }
  });
  unzip.register(UnzipInflate);
  for (let at = 0; at < bytes.length && !failure; at += INFLATE_STEP) {
    const end = Math.min(bytes.length, at + INFLATE_STEP);
    try {
      unzip.push(bytes.subarray(at, end), end === bytes.length);
    } catch {
      failure ??= new TableError(NOT_READABLE);
    }
    await backgroundTurn();
  }
  if (failure) throw failure;
}

export async function parseXlsx(bytes: Uint8Array): Promise<SourceTable> {
  checkDirectory(bytes);
  await checkInflated(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new TableError(NOT_READABLE);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet)
    throw new TableError(
      'The file is not a readable XLSX workbook (it has no worksheet): save it again as .xlsx or .csv.',
    );
  if (sheet.actualRowCount > MAX_DRAFT_ROWS + 1) throw tooLong();
  const rows: SourceTable['rows'] = [];
  let failure: TableError | null = null;
  sheet.eachRow({ includeEmpty: false }, (row) => {
    if (failure) return;
    const cells: Cell[] = [];
    // cellCount is the last column used: a 10,000-column row is refused before it is read.
    const width = row.cellCount;
    for (let c = 1; c <= Math.min(width, MAX_CELLS_PER_ROW + 1); c++) cells.push(cellOf(row.getCell(c)));
    const trimmed = trimRow(cells);
    if (trimmed.length > MAX_CELLS_PER_ROW) failure = tooWide(row.number, width);
    else if (trimmed.length > 0) rows.push({ row: row.number, cells: trimmed });
  });
  if (failure) throw failure;
  return {
    rows,
    notes:
      sheet.name && workbook.worksheets.length > 1
        ? [`Only the first sheet, "${sheet.name}", was read.`]
        : [],
  };
}

type ErrorValue = { error: string };
const isErrorValue = (v: unknown): v is ErrorValue =>
  typeof v === 'object' && v !== null && 'error' in v && typeof (v as ErrorValue).error === 'string';

/**
 * A cell as the sheet holds it: numbers stay numbers (never read in a language), dates stay
 * dates; a formula gives its saved result, and one without a result, or an error, is a fault
 * the row names by its cell.
 */
function cellOf(cell: ExcelJS.Cell): Cell {
  const V = ExcelJS.ValueType;
  switch (cell.type) {
    case V.Null:
    case V.Merge: // only the merged range's first cell holds the value, as the sheet shows it
      return '';
    case V.Formula: {
      // Read from the model: exceljs's value copy drops a result of 0, '' or false.
      const result = cell.result as unknown;
      if (result === undefined || result === null) return { fault: 'formula', formula: formulaOf(cell) };
      if (isErrorValue(result)) return { fault: 'error', error: result.error };
      return plain(result);
    }
    case V.Error:
      return { fault: 'error', error: isErrorValue(cell.value) ? cell.value.error : '#VALUE!' };
    default:
      return plain(cell.value);
  }
}

function formulaOf(cell: ExcelJS.Cell): string {
  try {
    return cell.formula ?? '';
  } catch {
    return '';
  }
}

function plain(value: unknown): Cell {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText))
      return value.richText.map((r: { text?: unknown }) => String(r.text ?? '')).join('');
    if ('text' in value) return plain(value.text);
    if ('result' in value) return plain(value.result);
    if (isErrorValue(value)) return { fault: 'error', error: value.error };
  }
  // Never "[object Object]": a value exceljs has no reading for is the cell's error.
  return { fault: 'error', error: 'a value this import cannot read' };
}
