import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalServer } from '../src/main/api/local-server';
import type { Catalog } from '../test/upstream-emulator';
import { startEmulatorProcess } from './emulator-process';
import { fillLedger } from './fill';
import {
  between,
  ForegroundProbe,
  LoadDriver,
  printCalls,
  printForeground,
  printPart,
  printStalls,
} from './foreground';
import { QUERIES } from './grid.bench';
import { fmt, percentile, tempDir } from './harness';
import { writeImportFiles } from './import-files';
import { openLayerHere } from './layer-here';
import type { Job } from './load-client';

/** BENCH_FOREGROUND_LINES lowers it for a quick look; the figures are for 1,000,000. */
const LINES = Number(process.env.BENCH_FOREGROUND_LINES ?? 1_000_000);
const IMPORT_ROWS = 100_000;
/** Items SCM sends on a master-data refresh: the fill's 500 and as many more a store might carry. */
const CATALOG_ITEMS = 20_000;
const IDLE_MS = 20_000;
/** The loaded window ends when every job has finished once, or after this (BENCH_FOREGROUND_WINDOW_S). */
const WINDOW_CAP_MS = Number(process.env.BENCH_FOREGROUND_WINDOW_S ?? 900) * 1000;
/** Calls under way when the window ends may finish for this long before they are cut short. */
const DRAIN_MS = 180_000;
const API_KEY = 'bench-foreground-key-0123456789';
const TOKEN = 'bench-foreground-rpc-token';

const product = (i: number) => `D${String(i % 500).padStart(4, '0')}`;

/** The fill's items, warehouses and stock (so SCM posts the journals), and CATALOG_ITEMS items with a barcode each. */
function catalog(): Catalog {
  const items = Array.from({ length: CATALOG_ITEMS }, (_, i) => ({
    organizationId: 'usmf',
    itemNumber: i < 500 ? product(i) : `X${String(i).padStart(6, '0')}`,
    name: `Item ${i}`,
  }));
  const warehouses = ['11', '12', '13'].map((locationId) => ({
    organizationId: 'usmf',
    siteId: '1',
    locationId,
  }));
  return {
    organizations: ['usmf'],
    items,
    warehouses,
    journalNames: [{ organizationId: 'usmf', journalNameId: 'IVAdj', default: true }],
    barcodes: items.map((item, i) => ({
      organizationId: 'usmf',
      barcode: String(4_000_000_000_000 + i),
      itemNumber: item.itemNumber,
    })),
    onHand: items.slice(0, 500).flatMap((item) =>
      warehouses.map((w) => ({
        organizationId: 'usmf',
        itemNumber: item.itemNumber,
        dimensions: { siteId: '1', locationId: w.locationId },
        quantity: 1_000_000_000,
      })),
    ),
  };
}

/**
 * The foreground promise on a large ledger: a till's single-line POST and the lines grid's three
 * queries, first with nothing else running (the baseline), then while the whole ledger is
 * exported as CSV and XLSX, 100,000-row CSV and XLSX files are imported into drafts, a
 * diagnostics bundle runs the full integrity check, the master data is refreshed from the
 * emulator and the sync runs, all asked for at once; the loaded window lasts until every job
 * has finished (the sync runs again 5 s after each run meanwhile). The server is this process (as in loop.bench.ts), so the loop monitor sees the
 * server's loop only; clients, load and emulator are processes of their own.
 */
export async function benchForeground(): Promise<void> {
  console.log(
    `\n# Foreground under load, ${fmt(LINES)}-line ledger: single-line POST and grid pages while exports (CSV, XLSX), ${fmt(IMPORT_ROWS)}-row draft imports (CSV, XLSX), a full diagnostics bundle, a master-data refresh and the sync run together`,
  );
  const began = performance.now();
  const dir = tempDir();
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  let t = performance.now();
  const file = fillLedger(dataDir, LINES);
  const files = await writeImportFiles(dir, IMPORT_ROWS, product);
  console.log(
    `  (ledger filled in ${fmt((performance.now() - t) / 1000, 1)} s, ${fmt(fs.statSync(file).size / 1e6)} MB; import files ${fmt(fs.statSync(files.csv).size / 1e6, 1)} MB CSV, ${fmt(fs.statSync(files.xlsx).size / 1e6, 1)} MB XLSX)`,
  );
  const emulator = await startEmulatorProcess(dir, { catalog: catalog() });
  const layer = openLayerHere(dataDir, API_KEY);
  const probe = new ForegroundProbe();
  const load = new LoadDriver();
  try {
    const config = JSON.parse(fs.readFileSync(emulator.config, 'utf8')) as {
      transactions: Record<string, unknown>;
    };
    layer.settings.applyProvisioning({
      ...config,
      defaultOrganizationId: 'usmf',
      transactions: { ...config.transactions, periodicSyncToIV: false, periodicSyncToFno: false },
    });
    if (!(await layer.sync.initialize()).initialized) throw new Error('the emulator did not initialise');
    // As the server starts them (server.ts); no periodic runs: the load asks for them.
    layer.sync.start();
    layer.masterData.start();
    // Both phases see the same copy of the master data (the entry checks read it).
    t = performance.now();
    const refreshed = await layer.masterData.refresh();
    if (refreshed.lastError) throw new Error(refreshed.lastError);
    console.log(
      `  (master data of ${fmt(CATALOG_ITEMS)} items loaded in ${fmt((performance.now() - t) / 1000, 1)} s)`,
    );
    const server = await startLocalServer(layer, { port: 0, rpcToken: TOKEN, log: () => {} });
    const client = {
      base: server.baseUrl,
      api: `${server.baseUrl}/api/environment/${layer.settings.read().environmentId}/transaction`,
      apiKey: API_KEY,
      token: TOKEN,
    };
    const queries = QUERIES.map(({ name, rpc }) => ({ name, rpc }));
    await Promise.all([probe.start(client, queries, [product(42), product(7), product(123)]), load.ready()]);
    await new Promise((r) => setTimeout(r, 3000)); // connections open, code warm

    const idle = await probe.phase(() => new Promise((r) => setTimeout(r, IDLE_MS)));
    // All asked for at once, each once; the sync again 5 s after each run, as its timer would
    // while lines keep coming. (Repeating the others too kept the loop's thread saturated on 2
    // shared cores: neither export had finished after 18 minutes.)
    const jobs: Job[] = [
      { kind: 'xlsx-export', pauseMs: 0, once: true },
      { kind: 'csv-export', pauseMs: 0, once: true },
      { kind: 'import-csv', pauseMs: 0, once: true, file: files.csv },
      { kind: 'import-xlsx', pauseMs: 0, once: true, file: files.xlsx },
      { kind: 'diagnostics', pauseMs: 0, once: true },
      { kind: 'master-data', pauseMs: 0, once: true },
      { kind: 'sync', pauseMs: 5000 },
    ];
    const origin = Date.now();
    let complete = false;
    const loaded = await probe.phase(async () => {
      load.start(client, jobs);
      complete = await load.eachDoneOnce(jobs, WINDOW_CAP_MS);
    });
    t = performance.now();
    await load.stop(DRAIN_MS);
    const drained = (performance.now() - t) / 1000;
    // The load changed rows (the sync moved lines on, the till added some): the baseline again, as a
    // check. A call cut short may still be running in the server (an RPC goes on without its caller).
    const after = await probe.phase(() => new Promise((r) => setTimeout(r, IDLE_MS)));

    printForeground(queries, idle, loaded);
    // The window's start, while every job was under way: until the first of them was done.
    const firstDone = Math.min(...load.calls.filter((c) => c.kind !== 'sync').map((c) => c.end));
    console.log(
      `  While every job was under way (until the first one-off job was done, the first ${fmt((firstDone - origin) / 1000, 1)} s):`,
    );
    printPart('all under way', queries, idle, between(loaded, origin, firstDone));
    console.log(
      `  loaded window ${fmt(loaded.seconds, 1)} s (${complete ? 'until every job had finished once' : `cut at ${WINDOW_CAP_MS / 1000} s: not every job had finished once`}; calls under way then had ${fmt(drained, 1)} s more, ${fmt(DRAIN_MS / 1000)} s at most). Calls:`,
    );
    printCalls(load.calls, origin);
    console.log('  Stalls of the server loop under load, most CPU first:');
    printStalls(loaded.loop, load.calls, origin);
    const p = (v: number[], q: number) =>
      fmt(
        percentile(
          [...v].sort((a, b) => a - b),
          q,
        ),
        2,
      );
    console.log(
      `  check, idle again after the load: POST p99 ${p(after.fg.post, 99)} ms (before ${p(idle.fg.post, 99)}), grid p95 ${after.fg.grid.map((g) => p(g, 95)).join('/')} ms (before ${idle.fg.grid.map((g) => p(g, 95)).join('/')}), longest block ${fmt(after.loop.longestBlockMs, 1)} ms (before ${fmt(idle.loop.longestBlockMs, 1)})${load.calls.some((c) => c.cut) ? '; calls were cut short, the server may have been finishing them' : ''}`,
    );
    console.log(
      `  (suite took ${fmt((performance.now() - began) / 1000)} s; clients, load and emulator share this machine's ${os.cpus().length} cores with the server)`,
    );
    await probe.quit();
    await server.close();
  } finally {
    probe.kill();
    load.kill();
    await layer.close();
    emulator.child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
