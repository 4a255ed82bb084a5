import fs from 'node:fs/promises';
import type { CompiledQuery } from 'kysely';
import { startSqliteWorker } from './sqlite-worker';

/**
 * The export's first pass, in a worker thread on its own read-only connection: the grid's
 * sort of a million lines is one long SQLite statement (seconds, and a cursor the main
 * connection could not keep open across yields), so it runs there. It writes the rows' seqs
 * in order to a file (8 bytes a row) and collects the dimension names, which decide the
 * sheet's columns. WAL gives it a consistent snapshot while writes go on.
 */
const WORKER_SOURCE = `
const fs = require('node:fs');
const db = open(true);
let fd = null;
try {
  fd = fs.openSync(workerData.out, 'w');
  const buffer = Buffer.alloc(8 * 8192);
  let inBuffer = 0;
  let count = 0;
  const names = new Set();
  const seen = new Set();
  const statement = db.prepare(workerData.sql).raw();
  for (const [seq, dimensions] of statement.iterate(...workerData.parameters)) {
    buffer.writeDoubleLE(seq, inBuffer * 8);
    if (++inBuffer === 8192) {
      fs.writeSync(fd, buffer, 0, inBuffer * 8);
      inBuffer = 0;
    }
    count++;
    // Lines repeat a few dimension sets: each distinct text is parsed once (up to a bound).
    if (!seen.has(dimensions)) {
      if (seen.size < 100000) seen.add(dimensions);
      for (const name of Object.keys(JSON.parse(dimensions))) names.add(name);
    }
  }
  if (inBuffer > 0) fs.writeSync(fd, buffer, 0, inBuffer * 8);
  parentPort.postMessage({ count, names: [...names] });
} catch (error) {
  parentPort.postMessage({ error: String(error && error.message) });
} finally {
  if (fd !== null) fs.closeSync(fd);
  db.close();
}
`;

export interface OrderedScan {
  count: number;
  /** Dimension names the rows use, in the order first met. */
  dimensionNames: string[];
  /** The rows' seqs in order, a page at a time. */
  pages(pageSize: number): AsyncGenerator<number[]>;
}

export async function orderedScan(
  query: CompiledQuery,
  options: { ledgerPath: string; nativeBinding?: string; out: string },
): Promise<OrderedScan> {
  const result = await new Promise<{ count: number; names: string[] }>((resolve, reject) => {
    const worker = startSqliteWorker(WORKER_SOURCE, {
      file: options.ledgerPath,
      nativeBinding: options.nativeBinding,
      sql: query.sql,
      parameters: query.parameters,
      out: options.out,
    });
    worker.once('message', (m: { count: number; names: string[] } | { error: string }) =>
      'error' in m ? reject(new Error(`the export could not read the ledger: ${m.error}`)) : resolve(m),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the export's reader stopped with code ${code}`));
    });
  });
  return {
    count: result.count,
    dimensionNames: result.names,
    pages: (pageSize) => readSeqs(options.out, pageSize),
  };
}

async function* readSeqs(file: string, pageSize: number): AsyncGenerator<number[]> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(8 * pageSize);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      const seqs: number[] = [];
      for (let at = 0; at + 8 <= bytesRead; at += 8) seqs.push(buffer.readDoubleLE(at));
      yield seqs;
    }
  } finally {
    await handle.close();
  }
}
