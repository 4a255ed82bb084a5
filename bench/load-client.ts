/**
 * The background load, in its own process (as a browser tab, a spreadsheet and an integration
 * would be): each job repeats its call (with a pause) until told to stop, then finishes the call
 * in flight. Every finished call is reported at once, with its wall-clock start and end, so the
 * server can tell which calls were under way when its loop stalled.
 *
 *   child → { type: 'ready' }   parent → { type: 'start', client, jobs }   child → { type: 'call', call } per call
 *   parent → { type: 'stop', cutAfterMs }      child → { type: 'stopped' }, then exits
 *
 * On stop, the calls under way may finish for `cutAfterMs`; then they are aborted (the server
 * may go on with them: an RPC does not stop when its caller leaves).
 */
import fs from 'node:fs';
import { httpRequest } from './http-client';
import { type Client, diagnosticsBundle, exportXlsx, importDraft, rpc } from './load-calls';

export type JobKind =
  | 'csv-export'
  | 'xlsx-export'
  | 'import-csv'
  | 'import-xlsx'
  | 'diagnostics'
  | 'master-data'
  | 'sync';

export interface Job {
  kind: JobKind;
  /** Between two calls of this job. */
  pauseMs: number;
  /** One call only (the long exports: a second one would outlast the window). */
  once?: boolean;
  /** The file to import (import-csv, import-xlsx). */
  file?: string;
}

export interface Call {
  kind: JobKind;
  /** Date.now() at the start and end: the server's stall log uses the same clock. */
  start: number;
  end: number;
  ok: boolean;
  /** Bytes answered, rows imported, or what the sync did; the error's words when not ok. */
  detail: string;
  /** Aborted by the stop. */
  cut: boolean;
}

export type LoadMessage = { type: 'ready' } | { type: 'call'; call: Call } | { type: 'stopped' };

async function csvExport(c: Client): Promise<string> {
  const res = await httpRequest(`${c.api}/adjustment/lines.csv`, {
    headers: { authorization: `Bearer ${c.apiKey}` },
    signal: c.signal,
    discard: true,
  });
  if (res.status !== 200) throw new Error(`lines.csv answered ${res.status}`);
  return `${res.bytes} bytes`;
}

function callOf(job: Job, client: Client): () => Promise<string> {
  const bytes = job.file ? fs.readFileSync(job.file) : new Uint8Array();
  const name = job.kind === 'import-xlsx' ? 'bench.xlsx' : 'bench.csv';
  switch (job.kind) {
    case 'csv-export':
      return () => csvExport(client);
    case 'xlsx-export':
      return async () => `${(await exportXlsx(client)).bytes} bytes`;
    case 'import-csv':
    case 'import-xlsx':
      return async () => `${(await importDraft(client, name, bytes)).rows} rows`;
    case 'diagnostics':
      return async () => `${(await diagnosticsBundle(client)).bytes} bytes`;
    case 'master-data':
      return async () => {
        const status = await rpc<{ lastError: string | null }>(client, 'masterData.refresh', {});
        if (status.lastError) throw new Error(status.lastError);
        return 'refreshed';
      };
    case 'sync':
      return async () => {
        const result = await rpc<{
          runs: { job: string; outcome: string; counts: Record<string, number> }[];
        }>(client, 'sync.run', { job: 'all' });
        return result.runs.map((r) => `${r.job} ${r.outcome} ${JSON.stringify(r.counts)}`).join('; ');
      };
  }
}

let stopping = false;
const abort = new AbortController();
/** Pauses under way, cut short by a stop. */
const sleepers = new Set<() => void>();

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      sleepers.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    sleepers.add(wake);
  });
}

async function run(job: Job, client: Client): Promise<void> {
  const call = callOf(job, client);
  while (!stopping) {
    const start = Date.now();
    let ok = true;
    let detail: string;
    try {
      detail = await call();
    } catch (error) {
      ok = false;
      detail = error instanceof Error ? error.message.slice(0, 300) : String(error);
    }
    const cut = abort.signal.aborted;
    process.send!({ type: 'call', call: { kind: job.kind, start, end: Date.now(), ok, detail, cut } });
    if (job.once) break;
    if (!stopping && job.pauseMs > 0) await pause(job.pauseMs);
  }
}

process.on(
  'message',
  (m: { type: 'start'; client: Client; jobs: Job[] } | { type: 'stop'; cutAfterMs: number }) => {
    if (m.type === 'stop') {
      stopping = true;
      for (const wake of [...sleepers]) wake();
      setTimeout(() => abort.abort(), m.cutAfterMs).unref();
      return;
    }
    const client = { ...m.client, signal: abort.signal };
    void Promise.all(m.jobs.map((job) => run(job, client))).then(() =>
      process.send!({ type: 'stopped' }, () => process.exit(0)),
    );
  },
);
process.send!({ type: 'ready' });
