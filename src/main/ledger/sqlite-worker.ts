import { createRequire } from 'node:module';
import { type TransferListItem, Worker } from 'node:worker_threads';

/**
 * A worker thread with its own SQLite connection, for work that must not run on the
 * event loop (a full integrity check, a checkpoint of a big WAL). The worker is inline
 * code, so it needs no bundle entry of its own; it loads better-sqlite3 from where the
 * main code found it, with Electron's native build when there is one.
 */
export function startSqliteWorker(
  source: string,
  data: { file: string; nativeBinding?: string } & Record<string, unknown>,
  transferList: TransferListItem[] = [],
): Worker {
  const moduleId = createRequire(__filename).resolve('better-sqlite3');
  const prelude = `
const { parentPort, workerData } = require('node:worker_threads');
const Sqlite = require(workerData.moduleId);
const open = (readonly) => new Sqlite(workerData.file, {
  readonly,
  fileMustExist: true,
  ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}),
});
`;
  return new Worker(prelude + source, { eval: true, workerData: { ...data, moduleId }, transferList });
}
