import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelay, holdbackDelay } from '../../src/main/sync/backoff';
import { type JobPlan, type JobResult, Scheduler, type Trigger } from '../../src/main/sync/scheduler';
import { DEFAULT_TIMING, type SyncTiming } from '../../src/main/sync/timing';
import type { JobName, SyncRunSummary } from '../../src/shared/sync-status';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Harness {
  scheduler: Scheduler;
  runs: { job: JobName; trigger: Trigger; start: number; end: number }[];
  plans: Record<JobName, JobPlan>;
  outcomes: Partial<JobResult>[];
  maxConcurrent: number;
}

const schedulers: Scheduler[] = [];
afterEach(async () => {
  for (const s of schedulers.splice(0)) await s.stop();
});

function harness(runMs = 30, timing: Partial<SyncTiming> = {}): Harness {
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
      const start = Date.now();
      await sleep(runMs);
      concurrent--;
      h.runs.push({ job, trigger, start, end: Date.now() });
      const planned = h.outcomes.shift() ?? {};
      return { summary: summary(job, trigger, planned.failed ? 'failed' : 'ok'), failed: false, ...planned };
    },
    plan: (job) => h.plans[job],
    timing: () => ({ ...DEFAULT_TIMING, startDelayMs: 10, minBackoffMs: 40, maxBackoffMs: 200, ...timing }),
    onChange: () => {},
    skipped: (job, trigger) => summary(job, trigger, 'skipped'),
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
      await sleep(4);
    }
    await Promise.all(demands);
    await sleep(100);
    expect(h.maxConcurrent).toBe(1);
    const sorted = [...h.runs].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]!.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
    expect(h.runs.some((r) => r.trigger === 'timer')).toBe(true);
  });

  it('answers a request made during a run with a run that starts after it; requests meanwhile share it', async () => {
    const h = harness(60);
    const first = h.scheduler.request('iv', 'demand');
    await sleep(10);
    const second = h.scheduler.request('iv', 'demand');
    const third = h.scheduler.request('iv', 'instant');
    const [a, b, c] = await Promise.all([first, second, third]);
    expect(h.runs).toHaveLength(2);
    expect(b.runId).toBe(c.runId);
    expect(b.runId).not.toBe(a.runId);
    expect(h.runs[1]!.start).toBeGreaterThanOrEqual(h.runs[0]!.end);
  });

  it('backs off after a failure, never sooner than Retry-After, and keeps retrying on its own timer', async () => {
    const h = harness(5);
    h.plans.iv.periodic = true;
    h.outcomes.push({ failed: true, retryAfterMs: 400 }, { failed: true }, {});
    const t0 = Date.now();
    await h.scheduler.request('iv', 'demand');
    const afterFirst = h.scheduler.state('iv');
    expect(afterFirst.failures).toBe(1);
    expect(afterFirst.nextRunAt! - t0).toBeGreaterThanOrEqual(395);
    // The retries come by themselves: a second failure (plain backoff), then success.
    await sleep(800);
    expect(h.runs.map((r) => r.trigger)).toEqual(['demand', 'retry', 'retry']);
    expect(h.runs[1]!.start - h.runs[0]!.end).toBeGreaterThanOrEqual(390);
    const ok = h.scheduler.state('iv');
    expect(ok.failures).toBe(0);
    // Back to the normal interval.
    expect(ok.nextRunAt! - Date.now()).toBeGreaterThan(50_000);
  });

  it('reschedules at once when the plan changes (settings), and stops timing an inactive job', async () => {
    const h = harness(5);
    h.plans.fno.periodic = true;
    h.plans.fno.intervalMs = 60_000;
    await h.scheduler.request('fno', 'demand');
    expect(h.scheduler.state('fno').nextRunAt! - Date.now()).toBeGreaterThan(50_000);
    h.plans.fno.intervalMs = 50;
    h.scheduler.reschedule();
    expect(h.scheduler.state('fno').nextRunAt! - Date.now()).toBeLessThanOrEqual(50);
    await sleep(120);
    expect(h.runs.filter((r) => r.trigger === 'timer').length).toBeGreaterThanOrEqual(1);
    h.plans.fno.active = false;
    h.scheduler.reschedule();
    const stoppedAt = Date.now();
    expect(h.scheduler.state('fno').nextRunAt).toBeNull();
    await sleep(150);
    // A run already under way may finish; none starts once the job is inactive.
    expect(h.runs.filter((r) => r.start > stoppedAt)).toEqual([]);
    h.plans.fno.active = true;
    h.plans.fno.periodic = false;
    h.scheduler.reschedule();
    expect(h.scheduler.state('fno').nextRunAt).toBeNull();
  });

  it('follows up soon while work is in flight, even with the periodic setting off', async () => {
    const h = harness(5);
    h.outcomes.push({ followUpMs: 30 }, { followUpMs: 30 }, {});
    await h.scheduler.request('fno', 'demand');
    await sleep(200);
    expect(h.runs.map((r) => r.trigger)).toEqual(['demand', 'timer', 'timer']);
    expect(h.scheduler.state('fno').nextRunAt).toBeNull();
  });

  it('answers requests as skipped once stopped, after the run in progress ends', async () => {
    const h = harness(50);
    const running = h.scheduler.request('iv', 'demand');
    await sleep(5);
    const queued = h.scheduler.request('fno', 'demand');
    await h.scheduler.stop();
    expect((await running).outcome).toBe('ok');
    expect((await queued).outcome).toBe('skipped');
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
