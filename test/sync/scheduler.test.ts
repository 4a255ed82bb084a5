import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/main/clock';
import { backoffDelay, holdbackDelay } from '../../src/main/sync/backoff';
import { type JobPlan, type JobResult, Scheduler, type Trigger } from '../../src/main/sync/scheduler';
import { DEFAULT_TIMING, type SyncTiming } from '../../src/main/sync/timing';
import type { JobName, SyncRunSummary } from '../../src/shared/sync-status';

/*
 * The scheduler against a fake job runner, on fake timers: time moves only when a test moves
 * it, so every gap is asserted exactly and the file runs in milliseconds. Only the timer
 * functions and Date are faked; promises, setImmediate and nextTick stay real, so awaiting
 * a run settles as usual. The scheduler reads the same fake time through its injected clock,
 * and its jitter through an injected random (1: the full delay), so backoffs are exact.
 */
const T0 = Date.parse('2026-11-30T09:00:00.000Z');

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(T0);
});

const schedulers: Scheduler[] = [];
afterEach(async () => {
  for (const s of schedulers.splice(0)) {
    const stopping = s.stop();
    // A run in progress ends on its own (fake) timer.
    await vi.runAllTimersAsync();
    await stopping;
  }
  vi.useRealTimers();
});

/** Moves fake time on by `ms`, running every timer and job due meanwhile. */
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);
/** Elapsed fake time since the test started. */
const elapsed = () => Date.now() - T0;

/** Waits for `promise` while moving fake time on (at most `limitMs`); fails if it never settles. */
async function settle<T>(promise: Promise<T>, limitMs = 60_000): Promise<T> {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  // setImmediate is real: it lets every pending promise settle before fake time moves.
  const flush = () => new Promise((r) => setImmediate(r));
  await flush();
  for (let waited = 0; !done && waited < limitMs; waited++) {
    await advance(1);
    await flush();
  }
  if (!done) throw new Error(`did not settle within ${limitMs} ms of fake time`);
  return tracked;
}

interface Harness {
  scheduler: Scheduler;
  runs: { job: JobName; trigger: Trigger; start: number; end: number }[];
  plans: Record<JobName, JobPlan>;
  outcomes: Partial<JobResult>[];
  maxConcurrent: number;
}

const TIMING: SyncTiming = { ...DEFAULT_TIMING, startDelayMs: 10, minBackoffMs: 40, maxBackoffMs: 200 };

function harness(runMs = 30, timing: Partial<SyncTiming> = {}, random = () => 1): Harness {
  let concurrent = 0;
  let seq = 0;
  const h: Harness = {
    runs: [],
    plans: {
      iv: { active: true, periodic: false, intervalMs: 60_000 },
      fno: { active: true, periodic: false, intervalMs: 60_000 },
    },
    outcomes: [],
    maxConcurrent: 0,
    scheduler: null as unknown as Scheduler,
  };
  const summary = (job: JobName, trigger: Trigger, outcome: SyncRunSummary['outcome']): SyncRunSummary => ({
    runId: ++seq,
    job,
    trigger,
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    outcome,
    message: null,
    counts: {},
  });
  h.scheduler = new Scheduler({
    runJob: async (job, trigger) => {
      concurrent++;
      h.maxConcurrent = Math.max(h.maxConcurrent, concurrent);
      const start = elapsed();
      await new Promise((r) => setTimeout(r, runMs));
      concurrent--;
      h.runs.push({ job, trigger, start, end: elapsed() });
      const planned = h.outcomes.shift() ?? {};
      return { summary: summary(job, trigger, planned.failed ? 'failed' : 'ok'), failed: false, ...planned };
    },
    plan: (job) => h.plans[job],
    timing: () => ({ ...TIMING, ...timing }),
    onChange: () => {},
    skipped: (job, trigger) => summary(job, trigger, 'skipped'),
    // The system clock over vitest's fake timers: the scheduler's timers are the faked ones.
    clock: systemClock,
    random,
  });
  schedulers.push(h.scheduler);
  h.scheduler.start();
  return h;
}

describe('scheduler', () => {
  it('never overlaps runs, whatever asks for them, and IV and SCM serialise', async () => {
    const h = harness(15);
    h.plans.iv.periodic = true;
    h.plans.iv.intervalMs = 5;
    h.plans.fno.periodic = true;
    h.plans.fno.intervalMs = 7;
    h.scheduler.reschedule();
    const demands = [];
    for (let i = 0; i < 10; i++) {
      demands.push(h.scheduler.request(i % 2 ? 'iv' : 'fno', 'demand'));
      await advance(4);
    }
    await settle(Promise.all(demands));
    await advance(100);
    expect(h.maxConcurrent).toBe(1);
    const sorted = [...h.runs].sort((a, b) => a.start - b.start);
    expect(sorted.length).toBeGreaterThan(10);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]!.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
    expect(h.runs.some((r) => r.trigger === 'timer')).toBe(true);
  });

  it('answers a request made during a run with a run that starts after it; requests meanwhile share it', async () => {
    const h = harness(60);
    const first = h.scheduler.request('iv', 'demand');
    await advance(10);
    const second = h.scheduler.request('iv', 'demand');
    const third = h.scheduler.request('iv', 'instant');
    const [a, b, c] = await settle(Promise.all([first, second, third]));
    expect(h.runs.map(({ start, end }) => [start, end])).toEqual([
      [0, 60],
      [60, 120],
    ]);
    expect(b.runId).toBe(c.runId);
    expect(b.runId).not.toBe(a.runId);
  });

  it('backs off after a failure, never sooner than Retry-After, and keeps retrying on its own timer', async () => {
    const h = harness(5);
    h.plans.iv.periodic = true;
    h.plans.iv.intervalMs = 60_000;
    h.outcomes.push({ failed: true, retryAfterMs: 400 }, { failed: true }, {});
    await settle(h.scheduler.request('iv', 'demand'));
    const afterFirst = h.scheduler.state('iv');
    expect(afterFirst.failures).toBe(1);
    // Retry-After (400 ms) beats the first backoff (40 ms): the retry is due 400 ms after the run.
    expect(afterFirst.backoffUntil! - T0).toBe(5 + 400);
    expect(afterFirst.nextRunAt! - T0).toBe(5 + 400);
    await advance(404 - elapsed());
    expect(h.runs).toHaveLength(1);
    // The retries come by themselves: a second failure (plain backoff: 40 × 2), then success.
    await advance(500 - elapsed());
    expect(h.runs.map(({ trigger, start, end }) => [trigger, start, end])).toEqual([
      ['demand', 0, 5],
      ['retry', 405, 410],
      ['retry', 490, 495],
    ]);
    const ok = h.scheduler.state('iv');
    expect(ok.failures).toBe(0);
    expect(ok.backoffUntil).toBeNull();
    // Back to the normal interval.
    expect(ok.nextRunAt! - T0).toBe(495 + 60_000);
  });

  it('grows the backoff with each failure, capped, with its jitter between half and all of it', async () => {
    const gaps = async (random: () => number) => {
      const h = harness(0, {}, random);
      h.plans.fno.periodic = true;
      h.outcomes.push(...Array.from({ length: 6 }, () => ({ failed: true })), {});
      await settle(h.scheduler.request('fno', 'demand'));
      await advance(5_000);
      await h.scheduler.stop();
      return h.runs.slice(1).map((r, i) => r.start - h.runs[i]!.end);
    };
    // 40 ms doubling, capped at 200 ms.
    expect(await gaps(() => 1)).toEqual([40, 80, 160, 200, 200, 200]);
    expect(await gaps(() => 0)).toEqual([20, 40, 80, 100, 100, 100]);
  });

  it('reschedules at once when the plan changes (settings), and stops timing an inactive job', async () => {
    const h = harness(5);
    h.plans.fno.periodic = true;
    h.plans.fno.intervalMs = 60_000;
    await settle(h.scheduler.request('fno', 'demand'));
    expect(h.scheduler.state('fno').nextRunAt! - Date.now()).toBe(60_000);
    h.plans.fno.intervalMs = 50;
    h.scheduler.reschedule();
    // 50 ms after the last run ended, not 50 ms from now.
    expect(h.scheduler.state('fno').nextRunAt! - T0).toBe(5 + 50);
    await advance(120);
    expect(h.runs.map(({ trigger, start }) => [trigger, start])).toEqual([
      ['demand', 0],
      ['timer', 55],
      ['timer', 110],
    ]);
    h.plans.fno.active = false;
    h.scheduler.reschedule();
    const stoppedAt = elapsed();
    expect(h.scheduler.state('fno').nextRunAt).toBeNull();
    await advance(60_000);
    // A run already under way may finish; none starts once the job is inactive.
    expect(h.runs.filter((r) => r.start > stoppedAt)).toEqual([]);
    h.plans.fno.active = true;
    h.plans.fno.periodic = false;
    h.scheduler.reschedule();
    expect(h.scheduler.state('fno').nextRunAt).toBeNull();
  });

  it('starts a periodic session with IV first and SCM after it, then keeps the interval', async () => {
    const h = harness(5);
    h.plans.iv.periodic = true;
    h.plans.iv.intervalMs = 1_000;
    h.plans.fno.periodic = true;
    h.plans.fno.intervalMs = 1_000;
    h.scheduler.reschedule();
    await advance(1_100);
    expect(h.runs.map(({ job, trigger, start }) => [job, trigger, start])).toEqual([
      ['iv', 'timer', 10],
      ['fno', 'timer', 15],
      ['iv', 'timer', 1_015],
      ['fno', 'timer', 1_020],
    ]);
  });

  it('follows up soon while work is in flight, even with the periodic setting off', async () => {
    const h = harness(5);
    h.outcomes.push({ followUpMs: 30 }, { followUpMs: 30 }, {});
    await settle(h.scheduler.request('fno', 'demand'));
    await advance(200);
    expect(h.runs.map(({ trigger, start }) => [trigger, start])).toEqual([
      ['demand', 0],
      ['timer', 35],
      ['timer', 70],
    ]);
    expect(h.scheduler.state('fno').nextRunAt).toBeNull();
  });

  it('answers requests as skipped once stopped, after the run in progress ends', async () => {
    const h = harness(50);
    const running = h.scheduler.request('iv', 'demand');
    await advance(5);
    const queued = h.scheduler.request('fno', 'demand');
    const stopping = h.scheduler.stop();
    expect((await settle(queued)).outcome).toBe('skipped');
    await settle(stopping);
    expect(elapsed()).toBe(50);
    expect((await running).outcome).toBe('ok');
    expect(h.runs.map((r) => r.job)).toEqual(['iv']);
    expect((await h.scheduler.request('iv', 'demand')).outcome).toBe('skipped');
  });
});

describe('backoff', () => {
  const timing = { minBackoffMs: 1000, maxBackoffMs: 60_000 };
  it('grows exponentially with jitter, capped', () => {
    expect(backoffDelay(1, timing, undefined, () => 0)).toBe(500);
    expect(backoffDelay(1, timing, undefined, () => 1)).toBe(1000);
    expect(backoffDelay(3, timing, undefined, () => 1)).toBe(4000);
    expect(backoffDelay(30, timing, undefined, () => 1)).toBe(60_000);
    expect(backoffDelay(30, timing, undefined, () => 0)).toBe(30_000);
  });
  it('honours Retry-After above the computed delay', () => {
    expect(backoffDelay(1, timing, 5000, () => 0)).toBe(5000);
    expect(backoffDelay(10, timing, 100, () => 1)).toBe(60_000);
  });
  it('holds a rejected line back longer each time, up to a cap', () => {
    const h = { holdbackMs: 1000, maxHoldbackMs: 5000 };
    expect([1, 2, 3, 4, 10].map((n) => holdbackDelay(n, h))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});
