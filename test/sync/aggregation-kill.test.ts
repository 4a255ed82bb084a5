import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../bench/harness';
import { Ledger } from '../../src/main/ledger';
import { connectionOf } from '../../src/main/ledger/internal';
import { SyncStore } from '../../src/main/ledger/sync-store';
import { aggregate } from '../../src/main/sync/aggregation';
import { ivPosted } from '../helpers/iv-posted';
import { tempDir } from '../helpers/layer';

const CHILD = path.join(ROOT, 'test/helpers/aggregate-child.ts');
const LINES = 8_000;
const KEYS = 30;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/**
 * Runs the aggregating child until it has done `slices` slices (or finished), then kills it -9
 * after 0–25 ms: between two slices or inside one. `sumsEvery`: lines between two writes of the
 * run's sums (undefined: the app's own, more than this test has, so sums live only in memory).
 */
function aggregateThenKill(dir: string, slices: number, sumsEvery?: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const args = [CHILD, dir, '200', ...(sumsEvery ? [String(sumsEvery)] : [])];
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The aggregating process itself (no tsx launcher in between): kill -9 must hit it.
    children.push(child);
    let seen = 0;
    let finished = false;
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout!.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        if (line === 'slice' && ++seen === slices)
          setTimeout(() => child.kill('SIGKILL'), Math.random() * 25);
        if (line.startsWith('done')) finished = true;
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve(finished);
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

describe('aggregation under kill -9', () => {
  it('counts every line once, in the one aggregated line of its key, however often the run is killed', async () => {
    const dir = tempDir();
    const seeded = Ledger.open(dir);
    const lines = Array.from({ length: LINES }, (_, i) => ({
      id: `k${i}`,
      organizationId: 'usmf',
      productId: `P${i % KEYS}`,
      quantityDataSource: '@iv',
      physicalMeasure: 'adjustment',
      dimensions: { siteId: '1', locationId: '13' },
      transDate: '2024-05-01',
      quantity: (i % 7) - 2.5,
    }));
    ivPosted(seeded, lines);
    seeded.close();

    // Killed 8 times, a slice or two into each run: mid-slice, between slices, after the first
    // keys; with the sums written every 300 lines (so some kills fall between a write and the
    // next), or only when a run opens and ends (the links alone carry what was done).
    let kills = 0;
    for (const [slices, sumsEvery] of [
      [1, 300],
      [2, undefined],
      [1, undefined],
      [2, 300],
      [1, 300],
      [2, undefined],
      [1, undefined],
      [2, 300],
    ] as const) {
      if (await aggregateThenKill(dir, slices, sumsEvery)) break;
      kills++;
    }
    expect(kills).toBe(8);

    const l = Ledger.open(dir);
    try {
      const midway = connectionOf(l)
        .db.prepare("SELECT count(*) FROM detailed_lines WHERE status = 'Aggregated'")
        .pluck()
        .get() as number;
      expect(midway).toBeGreaterThan(0);
      expect(midway).toBeLessThan(LINES);
      const finishing = new SyncStore(connectionOf(l));
      await aggregate(finishing, finishing.mappingTargets(), { now: Date.now() });

      const aggregated = connectionOf(l)
        .db.prepare(
          `SELECT g.aggregated_line_id AS id, g.product_id AS product, g.quantity, g.detailed_line_count AS n,
                  g.pending_through_seq AS pending, g.first_line_seq AS first, g.last_line_seq AS last,
                  (SELECT count(*) FROM detailed_lines a WHERE a.aggregated_line_id = g.aggregated_line_id) AS linked,
                  (SELECT sum(a.quantity) FROM detailed_lines a WHERE a.aggregated_line_id = g.aggregated_line_id) AS summed,
                  (SELECT min(a.seq) FROM detailed_lines a WHERE a.aggregated_line_id = g.aggregated_line_id) AS min_seq,
                  (SELECT max(a.seq) FROM detailed_lines a WHERE a.aggregated_line_id = g.aggregated_line_id) AS max_seq,
                  (SELECT count(*) FROM detailed_lines a WHERE a.aggregated_line_id = g.aggregated_line_id
                      AND a.product_id <> g.product_id) AS foreign_lines
             FROM aggregated_lines g ORDER BY g.seq`,
        )
        .all() as Record<string, number | string | null>[];
      // One aggregated line per key: the run killed again and again is one run.
      expect(aggregated).toHaveLength(KEYS);
      expect(new Set(aggregated.map((a) => a.product)).size).toBe(KEYS);
      for (const a of aggregated) {
        expect(a.pending).toBeNull();
        expect(a.foreign_lines).toBe(0);
        expect(a.n).toBe(a.linked);
        expect(a.quantity).toBeCloseTo(a.summed as number, 9);
        expect([a.first, a.last]).toEqual([a.min_seq, a.max_seq]);
      }
      // Every line once: all aggregated, the counts add up, and the counters agree with the rows.
      expect(aggregated.reduce((sum, a) => sum + (a.n as number), 0)).toBe(LINES);
      const counters = Object.fromEntries(
        (
          connectionOf(l).db.prepare('SELECT status, n FROM line_status_counts').all() as {
            status: string;
            n: number;
          }[]
        ).map((r) => [r.status, r.n]),
      );
      expect(counters).toMatchObject({ Created: 0, IVPosted: 0, Aggregated: LINES });
      expect(connectionOf(l).integrityCheck()).toEqual([]);
    } finally {
      l.close();
    }
  }, 60_000);
});
