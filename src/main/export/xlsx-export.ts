import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { CompiledQuery } from 'kysely';
import type { FileOffer } from '../../shared/file-upload';
import type { AggregatedQuery, LinesQuery } from '../../shared/queries';
import type { AggregatedLine, DetailedLine } from '../../shared/views';
import type { DownloadOffers } from '../downloads/offers';
import { yieldEvery } from '../event-loop';
import type { Ledger } from '../ledger';
import { orderedScan } from '../ledger/ordered-scan';
import { aggregatedColumns, type Column, lineColumns, type Named } from './sheet-columns';

/** Rows read per statement: about 1 ms through the lines' view (grid-query.ts). */
const PAGE = 100;

/**
 * XML exceljs has handed to the zip and the compressor has not taken yet. exceljs writes a
 * sheet's XML on without waiting (its StreamBuf ignores backpressure), so where compression is
 * slower than the rows (a busy PC), 200,000 lines left 70 MB of XML waiting in memory. The
 * export waits for the compressor instead: memory stays flat, whatever the number of lines.
 */
const BACKLOG_MAX_BYTES = 4 * 1024 * 1024;

type WorksheetWriter = ReturnType<InstanceType<typeof ExcelJS.stream.xlsx.WorkbookWriter>['addWorksheet']>;

type Piped = { writableLength?: number; _writableState?: { length: number } };

function notCompressed(sheet: WorksheetWriter): number {
  // Its next stream is archiver's PassThrough (readable-stream 2, which has no writableLength).
  const pipes = (sheet as unknown as { stream?: { pipes?: Piped[] } }).stream?.pipes ?? [];
  return pipes.reduce((sum, next) => sum + (next.writableLength ?? next._writableState?.length ?? 0), 0);
}

async function compressorCaughtUp(sheet: WorksheetWriter): Promise<void> {
  while (notCompressed(sheet) > BACKLOG_MAX_BYTES / 4) await new Promise((r) => setTimeout(r, 5));
}

interface Sheet<T> {
  title: string;
  columns: (dimensionNames: string[]) => Column<Named<T>>[];
  scan: CompiledQuery;
  /** The rows of a page of seqs, in order, with what they are shown with (a line's SCM outcome). */
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
async function writeSheet<T extends { organizationId: string; productId: string }>(
  ctx: ExportContext,
  sheetOf: Sheet<T>,
  out: string,
): Promise<void> {
  const seqFile = ctx.downloads.tempFile('.order');
  try {
    const scan = await orderedScan(sheetOf.scan, { ...ctx, out: seqFile });
    const columns = sheetOf.columns(scan.dimensionNames);
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
      const rows = sheetOf.rowsAt(seqs);
      const names = ctx.ledger.masterData.productNames(rows);
      for (const r of rows) {
        const named = { ...r, itemName: names.get(`${r.organizationId}\u0000${r.productId}`) ?? null };
        sheet.addRow(columns.map((c) => c.value(named))).commit();
      }
      const turn = pause();
      if (turn) await turn;
      if (notCompressed(sheet) > BACKLOG_MAX_BYTES) await compressorCaughtUp(sheet);
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
 * The grids' .xlsx export for people (sheet-columns.ts), in the grid's order: written to a
 * temporary file and offered once for download (downloads/offers.ts), never carried whole in
 * memory or in an RPC answer.
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
          columns: lineColumns,
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
          columns: aggregatedColumns,
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
