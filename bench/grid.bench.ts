import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { fillLedger } from './fill';
import { fmt, percentile, report, startServer, tempDir } from './harness';
import { benchLine } from './ingest.bench';

const LINES = 1_000_000;
const RUNS = 200;
const API_KEY = 'bench-api-key-0123456789';
const ENV = 'bench';
const LOAD_BULK_LINES = 1_000;

/**
 * The load, in other processes (as a spreadsheet and a POS would be): `export` reads the
 * whole ledger as CSV again and again, `ingest` POSTs 1,000-line bulks with fresh ids
 * (the template's ids get a per-request prefix), until told to stop. Each reports what it did.
 */
const LOADER = `
const [mode, url, key, file] = process.argv.slice(1);
const headers = { authorization: 'Bearer ' + key, 'content-type': 'application/json' };
const template = file ? require('node:fs').readFileSync(file, 'utf8') : '';
const abort = new AbortController();
let stop = false;
const done = { requests: 0, bytes: 0, lines: 0, failures: 0 };
process.on('message', () => { stop = true; abort.abort(); });
(async () => {
  while (!stop) {
    try {
      const res = mode === 'ingest'
        ? await fetch(url, { method: 'POST', headers, signal: abort.signal,
            body: template.replaceAll('"id":"bench-', '"id":"load' + done.requests + '-') })
        : await fetch(url, { headers, signal: abort.signal });
      for await (const chunk of res.body) done.bytes += chunk.length;
      if (res.status !== 200) done.failures++;
      else if (mode === 'ingest') done.lines += ${LOAD_BULK_LINES};
      done.requests++;
    } catch { if (!stop) done.failures++; }
  }
  process.send(done, () => process.exit(0));
})();
`;

interface LoadDone {
  requests: number;
  bytes: number;
  lines: number;
  failures: number;
}

function loader(args: string[]): ChildProcess {
  return spawn(process.execPath, ['-e', LOADER, ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

async function stopLoader(proc: ChildProcess): Promise<LoadDone> {
  const done = new Promise<LoadDone>((resolve) => proc.once('message', (m) => resolve(m as LoadDone)));
  proc.send('stop');
  return done;
}

export interface GridQuery {
  name: string;
  rpc: Record<string, unknown>;
  /** The same page (from the lines' view) and count as plain SQL: what SQLite alone costs. */
  sql: [string, string];
}

export const QUERIES: GridQuery[] = [
  {
    name: 'status=Aggregated, newest first',
    rpc: { status: ['Aggregated'], orderBy: 'createdAt', direction: 'desc', top: 50, skip: 100 },
    sql: [
      'SELECT count(*) FROM line_aggregation',
      'SELECT * FROM detailed_lines WHERE aggregated_seq IS NOT NULL ORDER BY seq DESC LIMIT 50 OFFSET 100',
    ],
  },
  {
    name: 'product + warehouse, by quantity',
    rpc: { productId: 'D0042', locationId: '12', orderBy: 'quantity', direction: 'desc', top: 50 },
    sql: [
      "SELECT count(*) FROM adjustment_lines WHERE product_id = 'D0042' AND location_id = '12'",
      "SELECT * FROM detailed_lines WHERE product_id = 'D0042' AND location_id = '12' ORDER BY quantity DESC, seq DESC LIMIT 50",
    ],
  },
  {
    name: 'date range, by product',
    rpc: { from: '2026-03-01', to: '2026-03-31', orderBy: 'productId', top: 50 },
    sql: [
      "SELECT count(*) FROM adjustment_lines WHERE created_at >= '2026-03-01T00:00:00.000Z' AND created_at <= '2026-03-31T23:59:59.999Z'",
      "SELECT * FROM detailed_lines WHERE created_at >= '2026-03-01T00:00:00.000Z' AND created_at <= '2026-03-31T23:59:59.999Z' ORDER BY product_id, seq LIMIT 50",
    ],
  },
];

export async function benchGrid(): Promise<void> {
  console.log(
    `\n# Grid page with ${fmt(LINES)} lines in the ledger: RPC over HTTP vs the same SQL on SQLite (${RUNS} runs each)`,
  );
  const dir = tempDir();
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  const t = performance.now();
  const file = fillLedger(dataDir, LINES);
  console.log(`(filled in ${fmt((performance.now() - t) / 1000, 1)} s)`);
  const config = path.join(dir, 'config.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      environmentId: ENV,
      transactions: { periodicSyncToIV: false, periodicSyncToFno: false },
    }),
  );
  const server = await startServer(dataDir, config, { STORE_LEDGER_API_KEY: API_KEY });
  const token = new URL(server.uiUrl).hash.replace('#token=', '');
  const direct = new Sqlite(file, { readonly: true });
  /** RPC times, and (`withSql`) the same page as plain SQL after each, on this process's own connection. */
  const measure = async (q: GridQuery, withSql = true): Promise<{ rpc: number[]; sql: number[] }> => {
    const rpcTimes: number[] = [];
    const sqlTimes: number[] = [];
    const count = direct.prepare(q.sql[0]);
    const page = direct.prepare(q.sql[1]);
    for (let i = 0; i < RUNS + 10; i++) {
      let start = performance.now();
      const res = await fetch(`${server.baseUrl}/rpc/lines.list`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-store-ledger-token': token },
        body: JSON.stringify(q.rpc),
      });
      const body = (await res.json()) as { ok: boolean; value: { value: unknown[]; count: number } };
      if (!body.ok || body.value.value.length === 0)
        throw new Error(`${q.name}: ${JSON.stringify(body).slice(0, 200)}`);
      const rpcMs = performance.now() - start;
      start = performance.now();
      if (withSql) {
        count.get();
        page.all();
      }
      const sqlMs = performance.now() - start;
      if (i >= 10) {
        rpcTimes.push(rpcMs);
        sqlTimes.push(sqlMs);
      }
    }
    return { rpc: rpcTimes.sort((a, b) => a - b), sql: sqlTimes.sort((a, b) => a - b) };
  };
  try {
    const idle: number[] = [];
    for (const q of QUERIES) {
      const { rpc: rpcTimes, sql: sqlTimes } = await measure(q);
      idle.push(percentile(rpcTimes, 95));
      report(
        `${q.name} p50 (ms)`,
        percentile(rpcTimes, 50),
        'ms',
        percentile(sqlTimes, 50),
        'direct SQL p50',
      );
      report(
        `${q.name} p95 (ms)`,
        percentile(rpcTimes, 95),
        'ms',
        percentile(sqlTimes, 95),
        'direct SQL p95',
        '≤ 50 ms',
      );
    }

    // The same queries on the same server while a 1,000,000-line CSV export and an ingest run.
    console.log(
      `\n# The same grid pages while the ledger is exported as CSV (again and again) and ${fmt(LOAD_BULK_LINES)}-line bulks are ingested, each from its own process`,
    );
    const api = `${server.baseUrl}/api/environment/${ENV}/transaction`;
    const bulkFile = path.join(dir, 'bulk.json');
    fs.writeFileSync(
      bulkFile,
      JSON.stringify(Array.from({ length: LOAD_BULK_LINES }, (_, i) => benchLine(i))),
    );
    const exporter = loader(['export', `${api}/adjustment/lines.csv`, API_KEY]);
    const ingester = loader(['ingest', `${api}/adjustment/bulk`, API_KEY, bulkFile]);
    const loadStart = performance.now();
    let exported: LoadDone;
    let ingested: LoadDone;
    const loaded: number[] = [];
    try {
      // Let both get going: the export's first rows, the first bulk.
      await new Promise((r) => setTimeout(r, 1000));
      // Only the pages: the direct SQL (a count over 900,000 rows among them) would be a third load.
      for (const q of QUERIES) loaded.push(percentile((await measure(q, false)).rpc, 95));
    } finally {
      [exported, ingested] = await Promise.all([stopLoader(exporter), stopLoader(ingester)]);
    }
    const seconds = (performance.now() - loadStart) / 1000;
    QUERIES.forEach((q, i) => {
      report(`${q.name} p95 under load (ms)`, loaded[i]!, 'ms', idle[i]!, 'idle p95, same run', '≤ 20 ms');
    });
    console.log(
      `  load over ${fmt(seconds, 1)} s: CSV export ${fmt(exported.bytes / 1e6, 0)} MB read (${exported.requests} complete exports), ${fmt(ingested.lines)} lines ingested (${fmt(ingested.lines / seconds)} lines/s), ${exported.failures + ingested.failures} failed requests`,
    );
  } finally {
    direct.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
