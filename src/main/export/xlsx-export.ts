import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { CompiledQuery } from 'kysely';
import { AGGREGATED_COLUMNS, type CsvColumn, LINE_COLUMNS } from '../../shared/csv';
import type { FileOffer } from '../../shared/file-upload';
import type { AggregatedQuery, LinesQuery } from '../../shared/queries';
import type { AggregatedLine, DetailedLine } from '../../shared/views';
import type { DownloadOffers } from '../downloads/offers';
import { yieldEvery } from '../event-loop';
import type { Ledger } from '../ledger';
import { orderedScan } from './ordered-scan';

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
/** Rows read per statement: about 1 ms through the lines' view (grid-query.ts). */
const PAGE = 100;

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

interface Sheet<T extends { dimensions: Record<string, string> }> {
  title: string;
  csv: CsvColumn<T>[];
  scan: CompiledQuery;
  /** The rows of a page of seqs, in order, with whatever they are shown with. */
  rowsAt: (seqs: readonly number[]) => T[];
}

export interface ExportContext {
  ledger: Ledger;
  ledgerPath: string;
  nativeBinding?: string;
  downloads: DownloadOffers;
}

/**
 * Writes the sheet to a temporary file, memory flat in the number of lines: the worker's scan
 * leaves the rows' order in a file, each page of it is read, written as rows and let go, and
 * exceljs streams the workbook to disk. The event loop gets a turn whenever a slice's time is
 * spent, and steps back for requests someone waits on (event-loop.ts).
 */
async function writeSheet<T extends { dimensions: Record<string, string> }>(
  ctx: ExportContext,
  sheetOf: Sheet<T>,
  out: string,
): Promise<void> {
  const seqFile = ctx.downloads.tempFile('.order');
  try {
    const scan = await orderedScan(sheetOf.scan, { ...ctx, out: seqFile });
    // Site and warehouse first, then the others as met.
    const names = [...new Set(['siteId', 'locationId', ...scan.dimensionNames])];
    const columns = sheetColumns(sheetOf.csv, names);
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: out,
      useStyles: true,
      useSharedStrings: false,
    });
    const sheet = workbook.addWorksheet(sheetOf.title, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((c) => ({
      header: c.header,
      key: c.header,
      width: c.width,
      ...(c.numFmt && { style: { numFmt: c.numFmt } }),
    }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    const pause = yieldEvery();
    for await (const seqs of scan.pages(PAGE)) {
      for (const r of sheetOf.rowsAt(seqs)) sheet.addRow(columns.map((c) => c.value(r))).commit();
      const turn = pause();
      if (turn) await turn;
    }
    sheet.commit();
    await workbook.commit();
  } finally {
    fs.rm(seqFile, { force: true }, () => undefined);
  }
}

export type ExportKind = 'lines' | 'aggregated';

const FILE_NAMES: Record<ExportKind, string> = {
  lines: 'adjustment-lines.xlsx',
  aggregated: 'aggregated-adjustment-lines.xlsx',
};

/**
 * The grids' .xlsx export, in the grid's order: typed cells (text is text, so no formula can
 * run and nothing needs an apostrophe), written to a temporary file and offered once for
 * download (downloads/offers.ts), never carried whole in memory or in an RPC answer.
 */
export async function exportXlsx(
  ctx: ExportContext,
  kind: ExportKind,
  query: LinesQuery | AggregatedQuery,
): Promise<FileOffer> {
  const { ledger } = ctx;
  const out = ctx.downloads.tempFile('.xlsx');
  try {
    if (kind === 'lines')
      await writeSheet<DetailedLine>(
        ctx,
        {
          title: 'Adjustment lines',
          csv: [...LINE_COLUMNS, ...LINE_SCM_COLUMNS],
          scan: ledger.lines.orderedScan(query as LinesQuery),
          rowsAt: (seqs) => ledger.lines.withScm(ledger.lines.rowsAt(seqs)),
        },
        out,
      );
    else
      await writeSheet<AggregatedLine>(
        ctx,
        {
          title: 'Aggregated lines',
          csv: AGGREGATED_COLUMNS,
          scan: ledger.aggregated.orderedScan(query as AggregatedQuery),
          rowsAt: (seqs) => ledger.aggregated.rowsAt(seqs),
        },
        out,
      );
  } catch (error) {
    fs.rm(out, { force: true }, () => undefined);
    throw error;
  }
  const { size } = await fs.promises.stat(out);
  return ctx.downloads.offer({
    file: out,
    fileName: FILE_NAMES[kind],
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    bytes: size,
    temporary: true,
  });
}
