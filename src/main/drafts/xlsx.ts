/**
 * An XLSX file → rows of typed cells, read in the zip worker (zipwork/run.ts, xlsx-read.ts):
 * exceljs takes seconds and a gigabyte for 100,000 rows, none of it on the event loop. The
 * zip's limits (parts, what they unpack to, how far one part unpacks past its packed size) are
 * checked before exceljs sees the file; a refusal is a TableError in words.
 */
import { ZipRefusal } from '../zipwork/limits';
import { readZipInWorker } from '../zipwork/run';
import { type SourceTable, TableError } from './table';

export async function parseXlsx(bytes: Uint8Array): Promise<SourceTable> {
  try {
    return await readZipInWorker<SourceTable>('xlsx', bytes);
  } catch (error) {
    throw error instanceof ZipRefusal ? new TableError(error.message) : error;
  }
}
