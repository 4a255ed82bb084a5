// The SCM job's package lanes with scripted steps (no HTTP): a pool bounded by "upstream calls
// in flight", and one failed call stopping every lane. A step's time is on a TestClock: steps
// end when their time is due, in order, the same on any machine.
import { describe, expect, it, vi } from 'vitest';
import type { JobContext } from '../../src/main/sync/context';
import { TestClock } from '../helpers/test-clock';

const script = vi.hoisted(() => ({
  started: [] as string[],
  /** How many packages had started when each one ended. */
  startedBefore: {} as Record<string, number>,
  inFlight: 0,
  max: 0,
  step: (_id: string): { ms: number; fail?: boolean } => ({ ms: 10 }),
  clock: null as unknown as { sleep(ms: number): Promise<void> },
}));

vi.mock('../../src/main/sync/scm/steps', () => {
  const step = async (_ctx: unknown, batch: { batch_id: string }) => {
    script.started.push(batch.batch_id);
    script.inFlight++;
    script.max = Math.max(script.max, script.inFlight);
    const { ms, fail } = script.step(batch.batch_id);
    await script.clock.sleep(ms);
    script.inFlight--;
    script.startedBefore[batch.batch_id] = script.started.length;
    if (fail) throw new Error(`SCM refused ${batch.batch_id}`);
  };
  return { STEPS: { Sending: step, Enqueued: step, Imported: step } };
});

const { advancePackages } = await import('../../src/main/sync/scm/run');

function context(packages: number, lanes: number): JobContext {
  const rows = Array.from({ length: packages }, (_, i) => ({ batch_id: `p${i}`, state: 'Enqueued' }));
  return {
    store: { batches: { in: () => rows } },
    settings: { transactions: { scmPackagesInFlight: lanes, upstreamCallsInFlight: 16 } },
    stopping: () => false,
  } as unknown as JobContext;
}

function reset(step: (id: string) => { ms: number; fail?: boolean }): void {
  Object.assign(script, {
    started: [],
    startedBefore: {},
    inFlight: 0,
    max: 0,
    step,
    clock: new TestClock(),
  });
}

describe('SCM package lanes', () => {
  it('is a pool, not waves: while one package is slow the other lanes take every other package', async () => {
    reset((id) => ({ ms: id === 'p0' ? 500 : 20 }));
    await advancePackages(context(10, 3));
    expect(script.started).toHaveLength(10);
    expect(script.max).toBe(3);
    // Waves of 3 would start nothing more until p0 answers; the pool ran p1..p9 on two lanes
    // meanwhile.
    expect(script.startedBefore.p0).toBe(10);
  });

  it("keeps one package in flight by default, whatever IV's lanes (parallel DMF imports of one entity are reported to deadlock)", async () => {
    reset(() => ({ ms: 5 }));
    const { DEFAULT_SETTINGS } = await import('../../src/shared/settings');
    expect(DEFAULT_SETTINGS.transactions.scmPackagesInFlight).toBe(1);
    await advancePackages(context(5, DEFAULT_SETTINGS.transactions.scmPackagesInFlight));
    expect(script.max).toBe(1);
  });

  it('stops every lane on a failed call, once the calls in flight have answered', async () => {
    reset((id) => (id === 'p1' ? { ms: 10, fail: true } : { ms: 80 }));
    await expect(advancePackages(context(10, 3))).rejects.toThrow('SCM refused p1');
    expect(script.started).toEqual(['p0', 'p1', 'p2']);
    expect(script.inFlight).toBe(0);
  });
});
