/**
 * The foreground, in its own process: a till POSTing one line at a time to the API and a clerk
 * paging the lines grid over RPC (the grid bench's queries, in turn), each waiting `pauseMs`
 * between requests. Both run from `start` to `quit`; only what falls inside a phase is recorded,
 * so the idle and loaded phases are measured by the same client on the same connections.
 *
 *   child → { type: 'ready' }   parent → { type: 'start', ... }   parent → { type: 'phase' }  ... parent → { type: 'end' }
 *   child → { type: 'phase', result }   parent → { type: 'quit' }  child → { type: 'acked', ids }
 */
import type { Client } from './load-calls';

export interface GridQuery {
  name: string;
  rpc: Record<string, unknown>;
}

export interface ForegroundStart {
  type: 'start';
  client: Client;
  queries: GridQuery[];
  /** The items the till sells (the emulator's catalog has them, with stock). */
  products: string[];
  pauseMs: number;
}

export interface PhaseResult {
  /** Single-line POST round trips (ms), in order. */
  post: number[];
  /** When each POST was sent (Date.now()). */
  postAt: number[];
  /** Grid page round trips (ms) per query, in QUERIES order. */
  grid: number[][];
  gridAt: number[][];
  failures: number;
  firstFailure: string | null;
}

export type ForegroundMessage =
  | { type: 'ready' }
  | { type: 'phase'; result: PhaseResult }
  | { type: 'acked'; ids: string[] };

let phase: PhaseResult | null = null;
let quitting = false;
const acked: string[] = [];

function failed(what: string): void {
  if (!phase) return;
  phase.failures++;
  phase.firstFailure ??= what.slice(0, 300);
}

/** fetch's own words ("fetch failed") and its cause's (ECONNRESET, say). */
function words(error: unknown): string {
  const e = error as Error & { cause?: { message?: string; code?: string } };
  return [e.message, e.cause?.code, e.cause?.message].filter(Boolean).join(': ');
}

async function till(s: ForegroundStart): Promise<void> {
  const headers = { authorization: `Bearer ${s.client.apiKey}`, 'content-type': 'application/json' };
  for (let n = 0; !quitting; n++) {
    const id = `fg-${process.pid}-${n}`;
    const body = JSON.stringify([
      {
        id,
        organizationId: 'usmf',
        productId: s.products[n % s.products.length],
        quantityDataSource: '@iv',
        physicalMeasure: 'adjustment',
        quantity: (n % 5) + 1,
        dimensions: { siteId: '1', locationId: String(11 + (n % 3)) },
        externalReferenceCategory: 'POS transaction',
        externalReferenceId: `FG${n}`,
      },
    ]);
    const bucket = phase;
    const at = Date.now();
    const t = performance.now();
    try {
      const res = await fetch(`${s.client.api}/adjustment/bulk`, { method: 'POST', headers, body });
      const text = await res.text();
      if (res.status === 200) acked.push(id);
      else failed(`POST answered ${res.status}: ${text}`);
    } catch (error) {
      failed(`POST: ${words(error)}`);
    }
    // A request that began before the phase does not count in it.
    if (bucket && bucket === phase) {
      bucket.post.push(performance.now() - t);
      bucket.postAt.push(at);
    }
    await new Promise((r) => setTimeout(r, s.pauseMs));
  }
}

async function clerk(s: ForegroundStart): Promise<void> {
  const headers = { 'content-type': 'application/json', 'x-store-ledger-token': s.client.token };
  for (let n = 0; !quitting; n++) {
    const q = n % s.queries.length;
    const bucket = phase;
    const at = Date.now();
    const t = performance.now();
    try {
      const res = await fetch(`${s.client.base}/rpc/lines.list`, {
        method: 'POST',
        headers,
        body: JSON.stringify(s.queries[q]!.rpc),
      });
      const reply = (await res.json()) as { ok: boolean };
      if (!reply.ok) failed(`${s.queries[q]!.name}: ${JSON.stringify(reply)}`);
    } catch (error) {
      failed(`${s.queries[q]!.name}: ${words(error)}`);
    }
    if (bucket && bucket === phase) {
      bucket.grid[q]!.push(performance.now() - t);
      bucket.gridAt[q]!.push(at);
    }
    await new Promise((r) => setTimeout(r, s.pauseMs));
  }
}

let running: Promise<unknown> = Promise.resolve();
let queryCount = 0;

process.on('message', (m: ForegroundStart | { type: 'phase' | 'end' | 'quit' }) => {
  if (m.type === 'start') {
    queryCount = m.queries.length;
    running = Promise.all([till(m), clerk(m)]);
  } else if (m.type === 'phase') {
    const perQuery = () => Array.from({ length: queryCount }, (): number[] => []);
    phase = { post: [], postAt: [], grid: perQuery(), gridAt: perQuery(), failures: 0, firstFailure: null };
  } else if (m.type === 'end') {
    const result = phase!;
    phase = null;
    process.send!({ type: 'phase', result });
  } else {
    quitting = true;
    void running.then(() => process.send!({ type: 'acked', ids: acked }, () => process.exit(0)));
  }
});
process.send!({ type: 'ready' });
