import { AGGREGATED_COLUMNS, type CsvColumn, csvRow, LINE_COLUMNS } from '../../../../shared/csv';
import type { AggregatedLine, DetailedLine, Page } from '../../../../shared/views';
import { rpc } from '../../rpc/client';
import { saveOffered } from '../../rpc/downloads';

type Kind = 'lines' | 'aggregated';
const FILE: Record<Kind, string> = {
  lines: 'adjustment-lines.csv',
  aggregated: 'aggregated-adjustment-lines.csv',
};

function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Builds the file from RPC pages with the API export's own columns (src/shared/csv.ts):
 * one way on both platforms, since Electron's window may not call the loopback API.
 */
async function buildFromRpc(kind: Kind, query: Record<string, unknown>): Promise<Blob> {
  const columns = (kind === 'lines' ? LINE_COLUMNS : AGGREGATED_COLUMNS) as CsvColumn<
    DetailedLine | AggregatedLine
  >[];
  const parts = [`\ufeff${csvRow(columns.map((c) => c.header))}`];
  for (let skip = 0; ; skip += 1000) {
    const page: Page<DetailedLine | AggregatedLine> =
      kind === 'lines'
        ? await rpc('lines.list', { ...query, top: 1000, skip })
        : await rpc('aggregated.list', { ...query, top: 1000, skip });
    for (const r of page.value) parts.push(csvRow(columns.map((c) => c.value(r))));
    if (page.value.length < 1000 || skip + 1000 >= page.count) break;
  }
  return new Blob(parts, { type: 'text/csv;charset=utf-8' });
}

/** Saves the tab's rows, with its filters and sort, as the API's CSV export (shared/csv.ts). */
export async function exportCsv(kind: Kind, query: Record<string, unknown>): Promise<void> {
  saveBlob(await buildFromRpc(kind, query), FILE[kind]);
}

/** The same rows as an Excel workbook for people, written by main (exceljs) and saved from there. */
export async function exportXlsx(kind: Kind, query: Record<string, unknown>): Promise<void> {
  const offer =
    kind === 'lines' ? await rpc('export.xlsx', { kind, query }) : await rpc('export.xlsx', { kind, query });
  await saveOffered(offer);
}
