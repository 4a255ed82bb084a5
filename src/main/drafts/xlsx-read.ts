/**
 * An XLSX file → rows of typed cells (xlsx: the first worksheet, exceljs), each row keeping the
 * number the sheet shows. This runs in the zip worker (src/main/zip-worker.ts): exceljs holds the
 * whole sheet as objects, seconds of work and a gigabyte for 100,000 rows. Before exceljs
 * unpacks anything the zip is checked (zipwork/limits.ts): exceljs (JSZip) inflates every part
 * into memory, so a zip bomb (a few MB that unpack to gigabytes) must be refused from what the
 * zip says and from what it really unpacks to.
 */
import ExcelJS from 'exceljs';
import { MAX_DRAFT_ROWS } from '../../shared/drafts';
import { checkDirectory, inflateChecked } from '../zipwork/limits';
import { XLSX_RULES } from '../zipwork/rules';
import {
  type Cell,
  MAX_CELLS_PER_ROW,
  type SourceTable,
  TableError,
  tooLong,
  tooWide,
  trimRow,
} from './table';

export async function readXlsx(bytes: Uint8Array): Promise<SourceTable> {
  inflateChecked(bytes, XLSX_RULES, checkDirectory(bytes, XLSX_RULES));
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new TableError(XLSX_RULES.words.unreadable);
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
