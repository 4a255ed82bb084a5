import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');

export function tempDir(prefix = 'store-ledger-bench-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** One line of the report: the figure, its same-run baseline, and their ratio. */
export function report(
  name: string,
  value: number,
  unit: string,
  baseline: number,
  baselineName: string,
  target?: string,
): void {
  const ratio = value / baseline;
  console.log(
    `${name.padEnd(44)} ${fmt(value, value < 100 ? 2 : 0).padStart(12)} ${unit.padEnd(8)} | baseline ${baselineName}: ${fmt(baseline, baseline < 100 ? 2 : 0)} ${unit} | ratio ${ratio.toFixed(3)}${target ? ` (target ${target})` : ''}`,
  );
}

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/** The built headless server (out/main/server.js) as a child process, as a store would run it. */
export async function startServer(
  dataDir: string,
  configFile: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'out/main/server.js'), '--data-dir', dataDir, '--port', '0', '--config', configFile],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const urls = await new Promise<{ baseUrl: string; uiUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const ui = /Store Ledger UI: (\S+)/.exec(out);
      if (ui) {
        clearTimeout(timer);
        resolve({ uiUrl: ui[1]!, baseUrl: new URL(ui[1]!).origin });
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return {
    child,
    ...urls,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface EmulatedServer {
  server: ServerProcess;
  /** `${base}/api/environment/{env}/transaction` */
  api: string;
  headers: Record<string, string>;
}

/**
 * The headless server provisioned for this emulator, on-demand runs only (the figure is the
 * work, not the timer), initialized before it returns.
 */
export async function startEmulatedServer(
  emulator: { credentials: { environmentId: string } },
  provisioning: object,
  dir: string,
  apiKey: string,
  transactions: Record<string, unknown> = {},
): Promise<EmulatedServer> {
  const config = path.join(dir, 'config.json');
  const p = provisioning as { transactions: Record<string, unknown> };
  p.transactions = { ...p.transactions, periodicSyncToIV: false, periodicSyncToFno: false, ...transactions };
  fs.writeFileSync(config, JSON.stringify(p));
  const server = await startServer(path.join(dir, 'data'), config, { STORE_LEDGER_API_KEY: apiKey });
  const api = `${server.baseUrl}/api/environment/${emulator.credentials.environmentId}/transaction`;
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  // The --config start initializes by itself; this waits for it.
  await fetch(`${api}/initialize`, { method: 'POST', headers });
  return { server, api, headers };
}

/** `GET /health` round trips, sorted: the HTTP baseline without the ledger. */
export async function healthLatencies(baseUrl: string, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await (await fetch(`${baseUrl}/health`)).arrayBuffer();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}
