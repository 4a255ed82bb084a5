import type { IntegrityReport } from '../../shared/ledger-health';
import { type Clock, nowIso, systemClock } from '../clock';
import { startSqliteWorker } from './sqlite-worker';

/**
 * The full check runs in a worker thread on its own read-only connection: on a ledger of
 * a million lines `PRAGMA integrity_check` takes seconds, and the API and the UI must keep
 * answering meanwhile. WAL lets it read a consistent snapshot while writes go on.
 */
const WORKER_SOURCE = `
const db = open(true);
try {
  // quick_check skips what is slow (index contents against their tables): seconds less on a
  // large ledger, and the same page-level damage found.
  const pragma = workerData.full ? 'integrity_check' : 'quick_check';
  const rows = db.pragma(pragma + '(100)');
  const problems = rows.map((r) => r[pragma]).filter((r) => r !== 'ok');
  const fk = db.pragma('foreign_key_check');
  if (fk.length > 0) problems.push(fk.length + ' foreign key violations');
  parentPort.postMessage({ problems });
} catch (error) {
  parentPort.postMessage({ problems: ['the check could not read the file: ' + error.message] });
} finally {
  db.close();
}
`;

export function runIntegrityCheck(
  file: string,
  nativeBinding?: string,
  options: { full?: boolean; clock?: Pick<Clock, 'now'> } = {},
): Promise<IntegrityReport> {
  // How long the worker took is real time; when it checked is the clock's.
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const worker = startSqliteWorker(WORKER_SOURCE, { file, nativeBinding, full: options.full ?? true });
    worker.once('message', ({ problems }: { problems: string[] }) => {
      resolve({
        ok: problems.length === 0,
        problems,
        checkedAt: nowIso(options.clock ?? systemClock),
        durationMs: Math.round(performance.now() - started),
      });
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the integrity check stopped with code ${code}`));
    });
  });
}
