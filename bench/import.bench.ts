import fs from 'node:fs';
import path from 'node:path';
import { fmt, healthLatencies, percentile, report, startServer, tempDir } from './harness';

const TOTAL = 100_000;
const PER_REQUEST = 1_000;
const API_KEY = 'bench-api-key-0123456789';
const ENV = 'bench-env';

const product = (i: number) => `D${String(i % 500).padStart(4, '0')}`;

/** /health latencies while `work` runs: what a clerk's screen or a POS would wait during an import. */
async function whileWorking(baseUrl: string, work: Promise<unknown>): Promise<number[]> {
  let done = false;
  void work.finally(() => {
    done = true;
  });
  const latencies: number[] = [];
  while (!done) {
    const t = performance.now();
    await (await fetch(`${baseUrl}/health`)).arrayBuffer();
    latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 10));
  }
  return latencies.sort((a, b) => a - b);
}

/**
 * Spreadsheet import: 100,000 CSV rows through POST /drafts/import?post=true (parse, validate,
 * store in the draft, post in slices), beside the same number of lines through the bulk JSON API
 * in the same run; and the API's answer time during the import beside its idle answer time.
 */
export async function benchImport(): Promise<void> {
  console.log(`\n# Import: ${fmt(TOTAL)} CSV rows into a draft and posted, vs the bulk JSON API`);
  const dir = tempDir();
  const config = path.join(dir, 'config.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      environmentId: ENV,
      defaultOrganizationId: 'usmf',
      transactions: { periodicSyncToIV: false, periodicSyncToFno: false },
    }),
  );
  const server = await startServer(path.join(dir, 'data'), config, { STORE_LEDGER_API_KEY: API_KEY });
  const api = `${server.baseUrl}/api/environment/${ENV}/transaction`;
  const auth = { authorization: `Bearer ${API_KEY}` };
  try {
    const idle = await healthLatencies(server.baseUrl, 500);

    const bodies: string[] = [];
    for (let i = 0; i < TOTAL; i += PER_REQUEST)
      bodies.push(
        JSON.stringify(
          Array.from({ length: PER_REQUEST }, (_, j) => ({
            id: `bulk-${i + j}`,
            organizationId: 'usmf',
            productId: product(i + j),
            quantityDataSource: '@iv',
            physicalMeasure: 'adjustment',
            quantity: ((i + j) % 7) + 1,
            dimensions: { siteId: '1', locationId: '13' },
          })),
        ),
      );
    let start = performance.now();
    for (const body of bodies) {
      const res = await fetch(`${api}/adjustment/bulk`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body,
      });
      if (res.status !== 200) throw new Error(`bulk answered ${res.status}`);
      await res.arrayBuffer();
    }
    const bulkRate = TOTAL / ((performance.now() - start) / 1000);

    const csv = ['productId,quantity,siteId,locationId'];
    for (let i = 0; i < TOTAL; i += 1) csv.push(`${product(i)},${(i % 7) + 1},1,13`);
    start = performance.now();
    const importing = fetch(`${api}/drafts/import?fileName=bench.csv&post=true`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv' },
      body: csv.join('\n'),
    }).then(async (res) => {
      const body = (await res.json()) as { created?: number };
      if (res.status !== 200 || body.created !== TOTAL) throw new Error(`import answered ${res.status}`);
    });
    const during = await whileWorking(server.baseUrl, importing);
    await importing;
    const importRate = TOTAL / ((performance.now() - start) / 1000);
    report('CSV import + post (rows/s)', importRate, 'rows/s', bulkRate, 'bulk JSON API lines/s');
    report(
      'GET /health during import, max (ms)',
      during[during.length - 1]!,
      'ms',
      percentile(idle, 99),
      'idle p99',
      '< 100 ms',
    );
    report(
      'GET /health during import, p99 (ms)',
      percentile(during, 99),
      'ms',
      percentile(idle, 99),
      'idle p99',
    );
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
