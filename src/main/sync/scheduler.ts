import type { JobName, SyncRunSummary } from '../../shared/sync-status';
import type { Clock, Timer } from '../clock';
import { backoffDelay } from './backoff';
import type { SyncTiming } from './timing';

export type Trigger = SyncRunSummary['trigger'];

/** What one run reports to the scheduler. */
export interface JobResult {
  summary: SyncRunSummary;
  /** The run failed as a whole (upstream down, throttled, misconfigured): back off. */
  failed: boolean;
  retryAfterMs?: number;
  /** Work is in flight upstream (journals importing or posting): come back after this long. */
  followUpMs?: number;
}

/** How a job should be timed right now, read from the settings each time. */
export interface JobPlan {
  /** Feature enabled and initialized: the job may run at all. */
  active: boolean;
  /** Its periodic setting is on. */
  periodic: boolean;
  intervalMs: number;
}

export interface SchedulerOptions {
  runJob: (job: JobName, trigger: Trigger) => Promise<JobResult>;
  plan: (job: JobName) => JobPlan;
  timing: () => SyncTiming;
  /** Anything a status shows changed (running, next run, backoff). */
  onChange: () => void;
  /** When the scheduler must give an answer without running (stopping). */
  skipped: (job: JobName, trigger: Trigger, message: string) => SyncRunSummary;
  /** The time runs are planned in, and the timers that start them. */
  clock: Clock;
  random?: () => number;
}

interface Entry {
  job: JobName;
  trigger: Trigger;
  promise: Promise<SyncRunSummary>;
  resolve: (summary: SyncRunSummary) => void;
}

export interface JobTimerState {
  running: boolean;
  queued: boolean;
  failures: number;
  backoffUntil: number | null;
  nextRunAt: number | null;
  lastFinishedAt: number | null;
  /** Set while work is in flight upstream: the delay of the next (follow-up) run. */
  followUpMs: number | null;
  /** Wants a run for a reason of its own (instant IV lines, a retried line) whatever the periodic setting. */
  pending: boolean;
}

const JOBS: readonly JobName[] = ['iv', 'fno'];

/**
 * One queue for both jobs, so runs never overlap (the IV and SCM jobs serialise too), and
 * one timer per job. A request joins a queued run of the same job that has not started yet;
 * otherwise it queues a new one, so a request made during a run gets a run of its own after it.
 */
export class Scheduler {
  private readonly queue: Entry[] = [];
  private readonly jobs: Record<JobName, JobTimerState & { timer: Timer | null }>;
  private pumping: Promise<void> | null = null;
  private stopped = true;
  private everStarted = false;
  private startedAt = 0;

  constructor(private readonly opts: SchedulerOptions) {
    const fresh = () => ({
      running: false,
      queued: false,
      failures: 0,
      backoffUntil: null,
      nextRunAt: null,
      lastFinishedAt: null,
      followUpMs: null,
      pending: false,
      timer: null,
    });
    this.jobs = { iv: fresh(), fno: fresh() };
  }

  private now(): number {
    return this.opts.clock.now();
  }

  start(): void {
    this.stopped = false;
    this.everStarted = true;
    this.startedAt = this.now();
    this.reschedule();
  }

  state(job: JobName): JobTimerState {
    const { timer: _timer, ...rest } = this.jobs[job];
    return { ...rest };
  }

  get busy(): boolean {
    return this.pumping !== null;
  }

  /** Runs `job` after whatever is running now; joins a queued run of it that has not started. */
  request(job: JobName, trigger: Trigger): Promise<SyncRunSummary> {
    if (this.stopped) {
      const why = this.everStarted
        ? 'Sync is stopped: Store Ledger is closing.'
        : 'Sync has not started yet.';
      return Promise.resolve(this.opts.skipped(job, trigger, why));
    }
    const queued = this.queue.find((e) => e.job === job);
    if (queued) return queued.promise;
    let resolve!: (summary: SyncRunSummary) => void;
    const promise = new Promise<SyncRunSummary>((r) => {
      resolve = r;
    });
    this.queue.push({ job, trigger, promise, resolve });
    this.jobs[job].queued = true;
    this.clearTimer(job);
    this.opts.onChange();
    if (!this.pumping) this.pumping = this.pump();
    return promise;
  }

  /** Asks for a run whatever the periodic setting says, and keeps retrying it on failure until one succeeds. */
  requestPending(job: JobName, trigger: Trigger): Promise<SyncRunSummary> {
    this.jobs[job].pending = true;
    return this.request(job, trigger);
  }

  /** Work is in flight upstream (found at start, say): come back for it after `delayMs`. */
  followUp(job: JobName, delayMs: number): void {
    const state = this.jobs[job];
    state.followUpMs = delayMs;
    state.lastFinishedAt ??= this.now();
    this.reschedule(job);
  }

  private async pump(): Promise<void> {
    try {
      for (let entry = this.queue.shift(); entry; entry = this.queue.shift()) {
        const state = this.jobs[entry.job];
        state.queued = false;
        if (this.stopped) {
          entry.resolve(
            this.opts.skipped(entry.job, entry.trigger, 'Sync is stopped: Store Ledger is closing.'),
          );
          continue;
        }
        state.running = true;
        this.opts.onChange();
        let result: JobResult;
        try {
          result = await this.opts.runJob(entry.job, entry.trigger);
        } catch (error) {
          // runJob records its own failures; this is the last line of defence.
          result = {
            summary: this.opts.skipped(entry.job, entry.trigger, (error as Error).message),
            failed: true,
          };
        }
        state.running = false;
        state.lastFinishedAt = this.now();
        state.followUpMs = result.followUpMs ?? null;
        if (result.failed) {
          state.failures++;
          const delay = backoffDelay(
            state.failures,
            this.opts.timing(),
            result.retryAfterMs,
            this.opts.random,
          );
          state.backoffUntil = this.now() + delay;
        } else {
          state.failures = 0;
          state.backoffUntil = null;
          if (result.summary.outcome !== 'skipped') state.pending = false;
        }
        entry.resolve(result.summary);
        this.reschedule(entry.job);
      }
    } finally {
      this.pumping = null;
      this.opts.onChange();
    }
  }

  /** When each job should next run, from its plan and its last outcome; call after any settings change. */
  reschedule(only?: JobName): void {
    for (const job of only ? [only] : JOBS) this.schedule(job);
    this.opts.onChange();
  }

  private schedule(job: JobName): void {
    const state = this.jobs[job];
    this.clearTimer(job);
    if (this.stopped || state.running || state.queued) return;
    const plan = this.opts.plan(job);
    const timing = this.opts.timing();
    if (!plan.active) {
      state.failures = 0;
      state.backoffUntil = null;
      return;
    }
    if (!plan.periodic && !state.pending && state.followUpMs === null) return;
    let at: number;
    if (state.failures > 0 && state.backoffUntil !== null) {
      at = state.backoffUntil;
    } else {
      const candidates: number[] = [];
      if (state.followUpMs !== null) candidates.push((state.lastFinishedAt ?? this.now()) + state.followUpMs);
      if (state.lastFinishedAt === null) {
        // First run of this session: soon, IV before SCM so SCM aggregates what IV just took.
        candidates.push(
          plan.periodic ? this.startedAt + timing.startDelayMs * (job === 'iv' ? 1 : 1.5) : this.now(),
        );
      } else if (state.pending) {
        candidates.push(this.now());
      } else if (plan.periodic) {
        candidates.push(state.lastFinishedAt + plan.intervalMs);
      }
      if (candidates.length === 0) return;
      at = Math.min(...candidates);
    }
    const delay = Math.max(0, at - this.now());
    state.nextRunAt = this.now() + delay;
    const trigger: Trigger = state.failures > 0 ? 'retry' : 'timer';
    // The run's promise goes back to the clock: a clock moved by a test waits for the run.
    state.timer = this.opts.clock.setTimer(() => {
      state.timer = null;
      state.nextRunAt = null;
      return this.request(job, trigger);
    }, delay);
  }

  private clearTimer(job: JobName): void {
    const state = this.jobs[job];
    state.timer?.cancel();
    state.timer = null;
    state.nextRunAt = null;
  }

  /** Stops the timers; runs not started yet are answered as skipped; waits for the one in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of JOBS) this.clearTimer(job);
    await this.pumping;
  }
}
