import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startLocalServer } from '../src/main/api/local-server';
import { fillLedger } from './fill';
import { fmt, percentile, report, tempDir } from './harness';
import { benchLine } from './ingest.bench';
import { openLayerHere } from './layer-here';

const API_KEY = 'bench-api-key-0123456789';
const ENV = 'bench-env';
const BULK_LINES = 50_000;
const EXPORT_LINES = 1_000_000;

/**
 * The client side runs in other processes (as the POS and a spreadsheet would), so that
 * what the loop monitor sees is the server's own work: a prober that GETs /health every
 * 20 ms and reports each latency, and a worker that POSTs a prepared body or reads an export.
 */
const PROBER = `
const url = process.argv[1];
const times = [];
let stop = false;
process.on('message', () => { stop = true; });
(async () => {
  while (!stop) {
    const t = performance.now();
    await (await fetch(url)).arrayBuffer();
    times.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 20));
  }
  process.send(times, () => process.exit(0));
})();
`;

const CLIENT = `
const [mode, url, key, file] = process.argv.slice(1);
const headers = { authorization: 'Bearer ' + key, 'content-type': 'application/json' };
(async () => {
  const t = performance.now();
  const res = mode === 'post'
    ? await fetch(url, { method: 'POST', headers, body: require('node:fs').readFileSync(file) })
    : await fetch(url, { headers });
  let bytes = 0;
  for await (const chunk of res.body) bytes += chunk.length;
  process.send({ status: res.status, bytes, ms: performance.now() - t }, () => process.exit(0));
})();
`;

function child(source: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['-e', source, ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function message<T>(proc: ChildProcess): Promise<T> {
  return new Promise((resolve) => proc.once('message', (m) => resolve(m as T)));
}

interface Window {
  longestBlockMs: number;
  healthP50: number;
  healthP99: number;
  healthMax: number;
  result?: { status: number; bytes: number; ms: number };
}

/** Watches the server's loop and /health while `work` runs (or for `idleMs` with no work). */
async function watch(baseUrl: string, work?: () => ChildProcess, idleMs = 3000): Promise<Window> {
  const prober = child(PROBER, [`${baseUrl}/health`]);
  await new Promise((r) => setTimeout(r, 300));
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let result: Window['result'];
  if (work) result = await message(work());
  else await new Promise((r) => setTimeout(r, idleMs));
  loop.disable();
  const times = message<number[]>(prober);
  prober.send('stop');
  const sorted = (await times).sort((a, b) => a - b);
  return {
    longestBlockMs: loop.max / 1e6,
    healthP50: percentile(sorted, 50),
    healthP99: percentile(sorted, 99),
    healthMax: sorted[sorted.length - 1] ?? Number.NaN,
    result,
  };
}

async function withServer(dataDir: string, run: (api: string, baseUrl: string) => Promise<void>) {
  const layer = openLayerHere(dataDir, API_KEY);
  layer.settings.update({
    environmentId: ENV,
    transactions: { periodicSyncToIV: false, periodicSyncToFno: false },
  });
  const server = await startLocalServer(layer, { port: 0, log: () => {} });
  try {
    await run(`${server.baseUrl}/api/environment/${ENV}/transaction`, server.baseUrl);
  } finally {
    await server.close();
    await layer.close();
  }
}

function print(label: string, busy: Window, idle: Window): void {
  report(
    `longest loop block, ${label} (ms)`,
    busy.longestBlockMs,
    'ms',
    idle.longestBlockMs,
    'idle loop, same run',
    '≤ 100 ms',
  );
  report(`GET /health p99 during it (ms)`, busy.healthP99, 'ms', idle.healthP99, 'GET /health p99 idle');
  console.log(
    `  /health p50 ${fmt(busy.healthP50, 1)} ms, max ${fmt(busy.healthMax, 1)} ms; the request itself: ${busy.result?.status} in ${fmt(busy.result?.ms ?? 0)} ms, ${fmt((busy.result?.bytes ?? 0) / 1e6, 1)} MB answered`,
  );
}

export async function benchLoop(): Promise<void> {
  console.log(
    `\n# Event loop: longest block of the server's loop (perf_hooks.monitorEventLoopDelay) during a ${fmt(BULK_LINES)}-line POST and a ${fmt(EXPORT_LINES)}-line CSV export, beside /health latency`,
  );
  const dir = tempDir();
  try {
    const body = path.join(dir, 'bulk.json');
    fs.writeFileSync(body, JSON.stringify(Array.from({ length: BULK_LINES }, (_, i) => benchLine(i))));
    await withServer(path.join(dir, 'post'), async (api, baseUrl) => {
      const idle = await watch(baseUrl);
      const busy = await watch(baseUrl, () =>
        child(CLIENT, ['post', `${api}/adjustment/bulk`, API_KEY, body]),
      );
      if (busy.result?.status !== 200) throw new Error(`the bulk answered ${busy.result?.status}`);
      print(`${fmt(BULK_LINES)}-line POST`, busy, idle);
    });

    const exportDir = path.join(dir, 'export');
    fs.mkdirSync(exportDir);
    const t = performance.now();
    fillLedger(exportDir, EXPORT_LINES);
    console.log(
      `  (ledger of ${fmt(EXPORT_LINES)} lines filled in ${fmt((performance.now() - t) / 1000, 1)} s)`,
    );
    await withServer(exportDir, async (api, baseUrl) => {
      const idle = await watch(baseUrl);
      const busy = await watch(baseUrl, () => child(CLIENT, ['get', `${api}/adjustment/lines.csv`, API_KEY]));
      print(`${fmt(EXPORT_LINES)}-line CSV export`, busy, idle);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
