import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { fillLedger } from './fill';
import { fmt, percentile, report, startServer, tempDir } from './harness';

const LINES = 1_000_000;
const RUNS = 200;

interface GridQuery {
  name: string;
  rpc: Record<string, unknown>;
  /** The same page and count as plain SQL: what SQLite alone costs. */
  sql: [string, string];
}

const QUERIES: GridQuery[] = [
  {
    name: 'status=Aggregated, newest first',
    rpc: { status: ['Aggregated'], orderBy: 'createdAt', direction: 'desc', top: 50, skip: 100 },
    sql: [
      "SELECT count(*) FROM adjustment_lines WHERE status = 'Aggregated'",
      "SELECT * FROM adjustment_lines WHERE status = 'Aggregated' ORDER BY seq DESC LIMIT 50 OFFSET 100",
    ],
  },
  {
    name: 'product + warehouse, by quantity',
    rpc: { productId: 'D0042', locationId: '12', orderBy: 'quantity', direction: 'desc', top: 50 },
    sql: [
      "SELECT count(*) FROM adjustment_lines WHERE product_id = 'D0042' AND location_id = '12'",
      "SELECT * FROM adjustment_lines WHERE product_id = 'D0042' AND location_id = '12' ORDER BY quantity DESC, seq DESC LIMIT 50",
    ],
  },
  {
    name: 'date range, by product',
    rpc: { from: '2026-03-01', to: '2026-03-31', orderBy: 'productId', top: 50 },
    sql: [
      "SELECT count(*) FROM adjustment_lines WHERE created_at >= '2026-03-01T00:00:00.000Z' AND created_at <= '2026-03-31T23:59:59.999Z'",
      "SELECT * FROM adjustment_lines WHERE created_at >= '2026-03-01T00:00:00.000Z' AND created_at <= '2026-03-31T23:59:59.999Z' ORDER BY product_id, seq LIMIT 50",
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
      environmentId: 'bench',
      transactions: { periodicSyncToIV: false, periodicSyncToFno: false },
    }),
  );
  const server = await startServer(dataDir, config);
  const token = new URL(server.uiUrl).hash.replace('#token=', '');
  const direct = new Sqlite(file, { readonly: true });
  try {
    for (const q of QUERIES) {
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
        count.get();
        page.all();
        const sqlMs = performance.now() - start;
        if (i >= 10) {
          rpcTimes.push(rpcMs);
          sqlTimes.push(sqlMs);
        }
      }
      rpcTimes.sort((a, b) => a - b);
      sqlTimes.sort((a, b) => a - b);
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
  } finally {
    direct.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
