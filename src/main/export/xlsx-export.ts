import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { AGGREGATED_COLUMNS, type CsvColumn, LINE_COLUMNS } from '../../shared/csv';
import type { AggregatedQuery, LinesQuery } from '../../shared/queries';
import type { AggregatedLine, DetailedLine } from '../../shared/views';
import { backgroundTurn } from '../event-loop';
import type { Ledger } from '../ledger';

type Cell = string | number | Date | null;
interface Column<T> {
  header: string;
  value: (row: T) => Cell;
  numFmt?: string;
  width: number;
}

const DATE_TIME = 'yyyy-mm-dd hh:mm:ss';
const DATE = 'yyyy-mm-dd';
/** Columns the CSV carries as ISO instants (UTC): the sheet shows them as local date and time. */
const INSTANTS = new Set(['createdAt', 'updatedAt', 'ivPostedAt', 'aggregatedAt']);
/** Rows read between two yields: the export never holds the event loop for long. */
const SLICE = 500;

/**
 * Excel has no time zones: a cell holds a wall-clock time. The clerk's local time is the
 * instant shifted by this PC's offset at that instant (so summer time comes out right).
 */
export function localWallClock(iso: string | null): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
}

function dayOf(date: string | null): Date | null {
  return date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : null;
}

/**
 * The CSV's own columns (src/shared/csv.ts), typed for a spreadsheet: instants as local
 * date-times, the trans date as a date, numbers as numbers, and the dimensions JSON spread
 * into one column per dimension.
 */
function sheetColumns<T extends { dimensions: Record<string, string> }>(
  csv: CsvColumn<T>[],
  dimensionNames: string[],
): Column<T>[] {
  const out: Column<T>[] = [];
  for (const c of csv) {
    if (c.header === 'dimensions') {
      const taken = new Set(csv.map((h) => h.header));
      for (const name of dimensionNames)
        out.push({
          // A dimension named like a column (say `status`) keeps its own header.
          header: taken.has(name) && name !== 'siteId' && name !== 'locationId' ? `dimension.${name}` : name,
          value: (r) => r.dimensions[name] ?? null,
          width: 14,
        });
      continue;
    }
    if (c.header === 'siteId' || c.header === 'locationId') continue; // among the dimensions
    if (INSTANTS.has(c.header))
      out.push({
        header: c.header,
        value: (r) => localWallClock(c.value(r) as string | null),
        numFmt: DATE_TIME,
        width: 20,
      });
    else if (c.header === 'transDate')
      out.push({
        header: c.header,
        value: (r) => dayOf(c.value(r) as string | null),
        numFmt: DATE,
        width: 12,
      });
    else
      out.push({
        header: c.header,
        value: (r) => c.value(r) ?? null,
        width: Math.max(10, c.header.length + 2),
      });
  }
  return out;
}

/** Detailed lines also say where they stand in SCM, through their aggregated line. */
const LINE_SCM_COLUMNS: CsvColumn<DetailedLine>[] = [
  { header: 'scmStatus', value: (l) => l.scm?.status ?? null },
  { header: 'journalNumber', value: (l) => l.scm?.journalNumber ?? null },
];

async function* slices<T>(rows: Iterable<T>): AsyncGenerator<T[]> {
  let slice: T[] = [];
  for (const row of rows) {
    slice.push(row);
    if (slice.length === SLICE) {
      yield slice;
      slice = [];
      await backgroundTurn();
    }
  }
  if (slice.length > 0) yield slice;
}

async function writeSheet<T extends { dimensions: Record<string, string> }>(
  title: string,
  csv: CsvColumn<T>[],
  read: () => Iterable<T>,
  enrich: (rows: T[]) => T[] = (rows) => rows,
): Promise<Buffer> {
  // First pass: which dimensions occur, so each gets its own column (site and warehouse first).
  const names = new Set<string>(['siteId', 'locationId']);
  for await (const slice of slices(read()))
    for (const r of slice) for (const k of Object.keys(r.dimensions)) names.add(k);
  const columns = sheetColumns(csv, [...names]);

  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({
    header: c.header,
    key: c.header,
    width: c.width,
    ...(c.numFmt && { style: { numFmt: c.numFmt } }),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for await (const slice of slices(read())) {
    for (const r of enrich(slice)) sheet.addRow(columns.map((c) => c.value(r))).commit();
  }
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}

export type ExportKind = 'lines' | 'aggregated';

/**
 * The grids' .xlsx export: typed cells (text is text, so no formula can run and nothing
 * needs an apostrophe), read in slices that yield to the event loop.
 */
export function exportXlsx(
  ledger: Ledger,
  kind: ExportKind,
  query: Partial<LinesQuery> | Partial<AggregatedQuery>,
): Promise<Buffer> {
  if (kind === 'lines')
    return writeSheet<DetailedLine>(
      'Adjustment lines',
      [...LINE_COLUMNS, ...LINE_SCM_COLUMNS],
      () => ledger.lines.iterate(query as Partial<LinesQuery>),
      (rows) => ledger.lines.withScm(rows),
    );
  return writeSheet<AggregatedLine>('Aggregated lines', AGGREGATED_COLUMNS, () =>
    ledger.aggregated.iterate(query as Partial<AggregatedQuery>),
  );
}
