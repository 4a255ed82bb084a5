import fs from 'node:fs';
import { IvClient } from '../src/main/upstream';
import { type Catalog, provisioningConfig, startEmulator } from '../test/upstream-emulator';
import { fmt, report, startEmulatedServer, tempDir } from './harness';

const TOTAL = 100_000;
const PER_REQUEST = 1_000;
const API_KEY = 'bench-sync-key-0123456789';
const PRODUCTS = 500;

function catalog(): Catalog {
  const items = Array.from({ length: PRODUCTS }, (_, i) => ({
    organizationId: 'usmf',
    itemNumber: `D${String(i).padStart(4, '0')}`,
  }));
  return {
    organizations: ['usmf'],
    items,
    warehouses: ['11', '12', '13'].map((locationId) => ({ organizationId: 'usmf', siteId: '1', locationId })),
    journalNames: [{ organizationId: 'usmf', journalNameId: 'IVAdj', default: true }],
    onHand: [],
  };
}

function line(i: number, salt: string) {
  return {
    id: `${salt}-${i}`,
    organizationId: 'usmf',
    productId: `D${String(i % PRODUCTS).padStart(4, '0')}`,
    quantityDataSource: '@iv',
    physicalMeasure: 'adjustment',
    quantity: (i % 5) + 1,
    dimensions: { siteId: '1', locationId: String(11 + (i % 3)), shelf: `S${i % 40}` },
  };
}

/**
 * 100,000 lines through IV and SCM against the emulator, end to end: posted to the API,
 * pushed to IV, aggregated, journals created and posted. Baseline: the same number of
 * IV events sent straight to the emulator by the IV client, 512 per call (the floor of
 * the IV leg alone).
 */
export async function benchSync(): Promise<void> {
  console.log(`\n# Sync: ${fmt(TOTAL)} lines through IV and SCM against the emulator`);
  const emulator = await startEmulator({ catalog: catalog(), importDelayMs: 50, postingDelayMs: 50 });
  const dir = tempDir();
  try {
    // Baseline: bare IV traffic.
    const iv = new IvClient({ ...emulator.credentials });
    const events = Array.from({ length: TOTAL }, (_, i) => ({
      id: `baseline-${i}`,
      organizationId: 'usmf',
      productId: 'D0001',
      dimensions: { siteId: '1', locationId: '11' },
      quantities: { baseline: { adjustment: 1 } },
    }));
    let start = performance.now();
    for (let i = 0; i < TOTAL; i += 512) await iv.postOnHandBulk(events.slice(i, i + 512));
    const bareRate = TOTAL / ((performance.now() - start) / 1000);

    const { server, api, headers } = await startEmulatedServer(
      emulator,
      provisioningConfig(emulator),
      dir,
      API_KEY,
    );
    try {
      start = performance.now();
      for (let i = 0; i < TOTAL; i += PER_REQUEST) {
        const body = JSON.stringify(Array.from({ length: PER_REQUEST }, (_, j) => line(i + j, 'sync')));
        const res = await fetch(`${api}/adjustment/bulk`, { method: 'POST', headers, body });
        if (res.status !== 200) throw new Error(`bulk answered ${res.status}`);
        await res.arrayBuffer();
      }
      const ingested = performance.now();
      let posted = 0;
      for (let round = 0; round < 200 && posted < TOTAL; round++) {
        await (await fetch(`${api}/sync?job=all`, { method: 'POST', headers })).arrayBuffer();
        const agg = (await (
          await fetch(`${api}/adjustment/aggregated?status=FnOPosted&top=1`, { headers })
        ).json()) as { count: number };
        const lines = (await (
          await fetch(`${api}/adjustment/lines?status=Aggregated&top=1`, { headers })
        ).json()) as { count: number };
        posted = agg.count > 0 && lines.count === TOTAL ? await postedLines(api, headers) : 0;
      }
      const seconds = (performance.now() - start) / 1000;
      if (posted < TOTAL) throw new Error(`only ${posted} of ${TOTAL} lines reached FnOPosted`);
      console.log(
        `(ingest ${fmt((ingested - start) / 1000, 1)} s, sync ${fmt((performance.now() - ingested) / 1000, 1)} s; ${fmt(emulator.admin.counters().journals)} journals)`,
      );
      report(
        'end to end, API → IV → SCM posted (lines/s)',
        TOTAL / seconds,
        'lines/s',
        bareRate,
        'bare IV bulk',
      );
    } finally {
      await server.stop();
    }
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Detailed lines whose aggregated line is FnOPosted. */
async function postedLines(api: string, headers: Record<string, string>): Promise<number> {
  let total = 0;
  for (let skip = 0; ; skip += 1000) {
    const page = (await (
      await fetch(`${api}/adjustment/aggregated?top=1000&skip=${skip}`, { headers })
    ).json()) as {
      value: { status: string; detailedLineCount: number }[];
    };
    for (const a of page.value) if (a.status === 'FnOPosted') total += a.detailedLineCount;
    if (page.value.length < 1000) return total;
  }
}
