/**
 * npm run soak -- --minutes N [--writers 4] [--fault-rate 0.2] [--import-rows 100000] [--heavy-pause-s 20]
 *
 * A store's day compressed, on loopback only: writers (POS-like bulks, with resends),
 * readers (grid pages), exporters (CSV) and the sync against the upstream emulator with
 * faults on every endpoint; beside them, over and over with a pause, the UI's heavy actions
 * (an XLSX export of the ledger, CSV and XLSX files imported into drafts, a diagnostics bundle
 * with the full integrity check) and the foreground probe (a till's single-line POST, the
 * grid's three queries). The load runs in other processes so that the server's loop
 * measures only the server. At the end: throughput, p99s, the longest loop block, RSS
 * over time, the exactly-once counts, and the foreground figures beside the same probe's
 * on the settled ledger with nothing else running. Not part of npm test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startLocalServer } from '../src/main/api/local-server';
import type { BusinessLayer } from '../src/main/business-layer';
import { connectionOf } from '../src/main/ledger/internal';
import { settled } from '../test/helpers/settled';
import { admin, type EmulatorProcess, startEmulatorProcess } from './emulator-process';
import { ForegroundProbe, LoadDriver, printCalls, printForeground, printStalls } from './foreground';
import { fmt, percentile, tempDir } from './harness';
import { writeImportFiles } from './import-files';
import { openLayerHere } from './layer-here';
import type { Job } from './load-client';

const API_KEY = 'soak-api-key-0123456789';
const TOKEN = 'soak-rpc-token';
const IDLE_MS = 20_000;
/** The demo catalog's items the writers use; the emulator's store has stock of each. */
const PRODUCTS = Array.from({ length: 10 }, (_, i) => `D${String(i + 1).padStart(4, '0')}`);

const LOAD = `
const [api, key, ms, writers, sync] = process.argv.slice(1);
const headers = { authorization: 'Bearer ' + key, 'content-type': 'application/json' };
const end = Date.now() + Number(ms);
const stats = { acked: [], latency: { post: [], read: [], export: [], sync: [] }, codes: {}, resent: 0, exports: 0 };
const products = Array.from({ length: 10 }, (_, i) => 'D' + String(i + 1).padStart(4, '0'));
function line(id, n) {
  const q = ((n * 7) % 9) - 4 || 3;
  return { id, organizationId: 'usmf', productId: products[n % 10], quantityDataSource: '@iv',
    physicalMeasure: 'adjustment', quantity: q, dimensions: { siteId: '1', locationId: String(11 + (n % 3)) },
    externalReferenceCategory: 'POS transaction', externalReferenceId: 'R' + n };
}
async function timed(kind, f) {
  const t = performance.now();
  try {
    const res = await f();
    const body = await res.arrayBuffer();
    stats.codes[res.status] = (stats.codes[res.status] || 0) + 1;
    stats.latency[kind].push(performance.now() - t);
    return { status: res.status, body };
  } catch (e) {
    stats.codes.network = (stats.codes.network || 0) + 1;
    return { status: 0 };
  }
}
async function writer(w) {
  let n = 0, last = null;
  while (Date.now() < end) {
    if (last && Math.random() < 0.05) {
      stats.resent++;
      await timed('post', () => fetch(api + '/adjustment/bulk', { method: 'POST', headers, body: last }));
      continue;
    }
    const size = Math.random() < 0.1 ? 2000 : 1 + Math.floor(Math.random() * 50);
    const ids = Array.from({ length: size }, () => 'soak-' + w + '-' + n++);
    const body = JSON.stringify(ids.map((id, i) => line(id, n + i)));
    const r = await timed('post', () => fetch(api + '/adjustment/bulk', { method: 'POST', headers, body }));
    if (r.status === 200) { for (const id of ids) stats.acked.push(id); last = body; }
  }
}
async function reader() {
  while (Date.now() < end) {
    await timed('read', () => fetch(api + '/adjustment/lines?top=100&orderBy=createdAt&direction=desc', { headers }));
    await new Promise((r) => setTimeout(r, 50));
  }
}
async function exporter() {
  while (Date.now() < end) {
    const r = await timed('export', () => fetch(api + '/adjustment/lines.csv', { headers }));
    if (r.status === 200) stats.exports++;
    await new Promise((r) => setTimeout(r, 2000));
  }
}
async function syncer() {
  while (Date.now() < end && sync === 'true') {
    await timed('sync', () => fetch(api + '/sync?job=all', { method: 'POST', headers }));
    await new Promise((r) => setTimeout(r, 1000));
  }
}
Promise.all([...Array.from({ length: Number(writers) }, (_, w) => writer(w)), reader(), reader(), exporter(), syncer()])
  .then(() => process.send(stats, () => process.exit(0)));
`;

interface LoadStats {
  acked: string[];
  latency: Record<'post' | 'read' | 'export' | 'sync', number[]>;
  codes: Record<string, number>;
  resent: number;
  exports: number;
}

function readArgs() {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '2' },
      writers: { type: 'string', default: '4' },
      'fault-rate': { type: 'string', default: '0.2' },
      // For telling the sync's share of loop blocks from the API's.
      'no-sync': { type: 'boolean', default: false },
      'import-rows': { type: 'string', default: '100000' },
      // Between two runs of each heavy UI action (XLSX export, imports, diagnostics bundle).
      'heavy-pause-s': { type: 'string', default: '20' },
    },
  });
  const minutes = Number(values.minutes);
  const writers = Number(values.writers);
  const faultRate = Number(values['fault-rate']);
  if (!(minutes > 0 && minutes <= 24 * 60)) throw new Error('--minutes must be between 0 and 1440');
  if (!(Number.isInteger(writers) && writers >= 1 && writers <= 32))
    throw new Error('--writers must be 1 to 32');
  if (!(faultRate >= 0 && faultRate < 1)) throw new Error('--fault-rate must be from 0 to below 1');
  const importRows = Number(values['import-rows']);
  const heavyPauseS = Number(values['heavy-pause-s']);
  if (!(Number.isInteger(importRows) && importRows >= 1 && importRows <= 200_000))
    throw new Error('--import-rows must be 1 to 200000 (a draft holds at most 200,000 rows)');
  if (!(heavyPauseS >= 0 && heavyPauseS <= 3600)) throw new Error('--heavy-pause-s must be 0 to 3600');
  return { minutes, writers, faultRate, sync: !values['no-sync'], importRows, heavyPauseS };
}

function p(values: number[], q: number): string {
  return fmt(
    percentile(
      [...values].sort((a, b) => a - b),
      q,
    ),
    1,
  );
}

/** The grid bench's three query shapes, on what the soak writes: today's lines of ten items. */
function soakQueries() {
  const today = new Date().toISOString().slice(0, 10);
  return [
    {
      name: 'status=Aggregated, newest first',
      rpc: { status: ['Aggregated'], orderBy: 'createdAt', direction: 'desc', top: 50, skip: 100 },
    },
    {
      name: 'product + warehouse, by quantity',
      rpc: { productId: 'D0004', locationId: '12', orderBy: 'quantity', direction: 'desc', top: 50 },
    },
    { name: 'date range, by product', rpc: { from: today, to: today, orderBy: 'productId', top: 50 } },
  ];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const { minutes, writers, faultRate, sync, importRows, heavyPauseS } = readArgs();
  const durationMs = minutes * 60_000;
  const dir = tempDir('store-ledger-soak-');
  let emulator: EmulatorProcess | null = null;
  let layer: BusinessLayer | null = null;
  // Set inside the probed phase (a closure), so typed wide.
  let load = null as ChildProcess | null;
  let probe: ForegroundProbe | null = null;
  let heavy: LoadDriver | null = null;
  try {
    emulator = await startEmulatorProcess(dir);
    layer = openLayerHere(dir, API_KEY, { version: 'soak', upstreamTimeoutMs: 1500 });
    const config = JSON.parse(fs.readFileSync(emulator.config, 'utf8')) as {
      transactions: Record<string, unknown>;
    };
    layer.settings.applyProvisioning({
      ...config,
      // The imported files name no organization.
      defaultOrganizationId: 'usmf',
      transactions: {
        ...config.transactions,
        ivSyncFrequencyMinutes: 1,
        fnoSyncFrequencyMinutes: 1,
        fnoSyncMaxLineCount: 500,
      },
    });
    if (!(await layer.sync.initialize()).initialized) throw new Error('the emulator did not initialise');
    if (sync) layer.sync.start();
    // The writers' quantities run from -4 to +4: SCM's posting job refuses a journal that would
    // make on-hand negative, so the store starts with stock of every item it adjusts.
    for (let item = 1; item <= 10; item++)
      for (const locationId of ['11', '12', '13'])
        await admin(emulator.url, 'POST', 'onhand', {
          organizationId: 'usmf',
          itemNumber: `D${String(item).padStart(4, '0')}`,
          dimensions: { siteId: '1', locationId },
          quantity: 1_000_000_000,
        });
    fs.mkdirSync(path.join(dir, 'files'));
    const files = await writeImportFiles(path.join(dir, 'files'), importRows, (i) => PRODUCTS[i % 10]!);
    const server = await startLocalServer(layer, { port: 0, rpcToken: TOKEN, log: () => {} });
    const api = `${server.baseUrl}/api/environment/${layer.settings.read().environmentId}/transaction`;
    const client = { base: server.baseUrl, api, apiKey: API_KEY, token: TOKEN };
    const queries = soakQueries();
    const heavyJobs: Job[] = [
      { kind: 'xlsx-export', pauseMs: heavyPauseS * 1000 },
      { kind: 'import-csv', pauseMs: heavyPauseS * 1000, file: files.csv },
      { kind: 'import-xlsx', pauseMs: heavyPauseS * 1000, file: files.xlsx },
      { kind: 'diagnostics', pauseMs: heavyPauseS * 1000 },
    ];
    probe = new ForegroundProbe();
    heavy = new LoadDriver();
    await Promise.all([probe.start(client, queries, PRODUCTS), heavy.ready()]);
    await admin(emulator.url, 'POST', 'faults', {
      endpoint: '*',
      rate: faultRate,
      kinds: ['429', '500', 'hang', 'drop', 'lost'],
      retryAfterSeconds: 1,
    });
    console.log(
      `Soak: ${minutes} min, ${writers} writers, 2 readers, 1 exporter, ${sync ? `sync every second, ${Math.round(faultRate * 100)} % upstream faults` : 'no sync'}; every ${heavyPauseS} s after the last: an XLSX export, ${fmt(importRows)}-row CSV and XLSX imports, a full diagnostics bundle; a till's POST and grid pages every 20 ms; ledger in ${dir}`,
    );

    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    // Garbage collection pauses count as loop blocks too: reported apart, to tell them from code.
    let longestGc = 0;
    const gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longestGc = Math.max(longestGc, entry.duration);
    });
    gc.observe({ entryTypes: ['gc'] });
    const rss: string[] = [];
    const started = Date.now();
    const sampleEvery = Math.max(5_000, durationMs / 12);
    const sampler = setInterval(() => {
      rss.push(`${fmt((Date.now() - started) / 60_000, 1)} min: ${fmt(process.memoryUsage().rss / 1e6)} MB`);
    }, sampleEvery);
    const origin = Date.now();
    let stats!: LoadStats;
    const loaded = await probe.phase(async () => {
      heavy!.start(client, heavyJobs);
      load = spawn(
        process.execPath,
        ['-e', LOAD, api, API_KEY, String(durationMs), String(writers), String(sync)],
        { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
      );
      stats = await new Promise<LoadStats>((resolve) =>
        load!.once('message', (m) => resolve(m as LoadStats)),
      );
    });
    await heavy.stop(60_000);
    // The probe's lines are acknowledged lines too.
    const probeAcked = await probe.quit();
    clearInterval(sampler);
    loop.disable();
    gc.disconnect();
    const loadSeconds = (Date.now() - started) / 1000;

    await admin(emulator.url, 'DELETE', 'faults');
    const settleStart = Date.now();
    const l = layer;
    while (sync && !settled(l.ledger) && Date.now() - settleStart < 10 * 60_000) {
      await l.sync.run('all');
      await new Promise((r) => setTimeout(r, 500));
    }
    const settleSeconds = (Date.now() - settleStart) / 1000;

    const acked = new Set([...stats.acked, ...probeAcked]);
    const db = connectionOf(layer.ledger).db;
    const ledgerLines = db.prepare('SELECT count(*) FROM adjustment_lines').pluck().get() as number;
    const distinctIds = db.prepare('SELECT count(DISTINCT id) FROM adjustment_lines').pluck().get() as number;
    const counters = await admin<{
      ivEventsAccepted: number;
      scmRowsImported: number;
      faultsInjected: number;
    }>(emulator.url, 'GET', 'counters');
    const events = (await admin<{ id: string }[]>(emulator.url, 'GET', 'events')).map((e) => e.id);
    const inScm = db
      .prepare(
        "SELECT count(*) FROM aggregated_lines WHERE status IN ('FnOCreated','FnOPosted','FnOPostError')",
      )
      .pluck()
      .get() as number;
    const statuses = db.prepare('SELECT status, count(*) AS n FROM aggregated_lines GROUP BY status').all();

    console.log(
      `\nThroughput: ${fmt(acked.size)} lines acknowledged in ${fmt(loadSeconds)} s = ${fmt(acked.size / loadSeconds)} lines/s (${stats.resent} resends, ${stats.exports} full exports)`,
    );
    console.log(
      `Answers: ${JSON.stringify(stats.codes)}; upstream faults injected: ${fmt(counters.faultsInjected)}`,
    );
    for (const kind of ['post', 'read', 'export', 'sync'] as const)
      console.log(
        `  ${kind.padEnd(6)} n=${stats.latency[kind].length} p50 ${p(stats.latency[kind], 50)} ms, p99 ${p(stats.latency[kind], 99)} ms`,
      );
    console.log(
      `Longest event-loop block of the server: ${fmt(loop.max / 1e6, 1)} ms (p99 ${fmt(loop.percentile(99) / 1e6, 1)} ms); longest GC pause ${fmt(longestGc, 1)} ms`,
    );
    console.log(`RSS over time: ${rss.join(', ')}`);
    console.log(
      `Settled after the load in ${fmt(settleSeconds, 1)} s; aggregated lines by status: ${JSON.stringify(statuses)}`,
    );
    const checks: [string, boolean][] = [
      [
        `every acknowledged line is in the ledger once: ${fmt(acked.size)} acked, ${fmt(ledgerLines)} rows, ${fmt(distinctIds)} distinct ids`,
        ledgerLines === acked.size && distinctIds === ledgerLines,
      ],
    ];
    if (sync)
      checks.push(
        [
          `IV counted each line once: ${fmt(counters.ivEventsAccepted)} events accepted, ${fmt(new Set(events).size)} distinct`,
          counters.ivEventsAccepted === ledgerLines && new Set(events).size === events.length,
        ],
        [
          `SCM imported each aggregated line once: ${fmt(counters.scmRowsImported)} rows, ${fmt(inScm)} aggregated lines in SCM`,
          counters.scmRowsImported === inScm,
        ],
        ['everything settled', settled(layer.ledger)],
      );
    console.log('Exactly once:');
    for (const [what, ok] of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);

    // The baseline: the same probe on the settled ledger, the sync stopped, nothing else running.
    await layer.sync.stop();
    probe = new ForegroundProbe();
    await probe.start(client, queries, PRODUCTS);
    await sleep(3000);
    const idle = await probe.phase(() => sleep(IDLE_MS));
    await probe.quit();
    console.log(
      `\nForeground during the soak, beside the same probe for ${IDLE_MS / 1000} s on the settled ledger after it:`,
    );
    printForeground(queries, idle, loaded);
    console.log('  Heavy UI actions during the soak:');
    printCalls(heavy.calls, origin);
    console.log(
      '  Stalls of the server loop, most CPU first (heavy UI actions under way; the writers, readers and sync always are):',
    );
    printStalls(loaded.loop, heavy.calls, origin);
    await server.close();
    if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  } finally {
    load?.kill();
    probe?.kill();
    heavy?.kill();
    await layer?.close();
    emulator?.child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
