import type { ServerResponse } from 'node:http';
import { type CsvColumn, csvRow } from '../../shared/csv';
import { writeInSlices } from './http';

/**
 * The lines' and aggregated lines' CSV exports, streamed in slices (the spreadsheet-safety rule
 * is in shared/csv.ts).
 */
export async function streamCsv<T>(
  res: ServerResponse,
  fileName: string,
  columns: CsvColumn<T>[],
  rows: Iterable<T>,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  // A byte-order mark so that spreadsheet programs read the file as UTF-8.
  await writeInSlices(res, csvPieces(columns, rows));
}

function* csvPieces<T>(columns: CsvColumn<T>[], rows: Iterable<T>): Generator<string> {
  yield `\ufeff${csvRow(columns.map((c) => c.header))}`;
  for (const row of rows) yield csvRow(columns.map((c) => c.value(row)));
}
