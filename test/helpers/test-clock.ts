import type { Clock, Timer } from '../../src/main/clock';

interface Pending {
  at: number;
  seq: number;
  fn: () => unknown;
}

/** Lets every promise chain and I/O callback ready now run (real: only the clock is virtual). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A clock that moves only when told: time is a number, timers fire in order when it passes them.
 *
 * - `advance(ms)` moves time on by exactly `ms`, firing each timer due on the way at its own time;
 *   when a timer starts work (the scheduler's run, an auto-Initialize), time waits for that work to
 *   finish before moving on, and `advance` answers once no work any timer started is left: the
 *   runs due in `ms` are done. Real I/O (HTTP to the emulator, SQLite) takes no time on this clock.
 * - `sleep(ms)`, a job waiting inside a run (SCM polling), moves time on by `ms` at once, firing
 *   what falls due meanwhile (the emulator's import, its posting job): a run waiting for SCM
 *   finds what SCM did in that time, and nobody waits for it. Work started by timers it fires is
 *   not waited for there (the scheduler queues such a run behind the one sleeping), but the
 *   `advance` under way, if any, waits for it.
 *
 * So work a timer starts must wait on this clock only through `sleep`: work waiting for a later
 * timer of its own would wait for an `advance` that waits for it.
 *
 * The start is the real time by default, so ledgers, tokens and the emulator's dates agree with
 * whatever still reads the computer's clock; tests assert offsets from `start`.
 */
export class TestClock implements Clock {
  readonly start: number;
  private time: number;
  private seq = 0;
  private readonly timers = new Map<number, Pending>();
  /** Work timers started that has not finished, and the first failure of such work. */
  private readonly working = new Set<Promise<unknown>>();
  private failure: { error: unknown } | null = null;

  constructor(start = Date.now()) {
    this.start = start;
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  /** Time passed since the clock was made. */
  elapsed(): number {
    return this.time - this.start;
  }

  setTimer(fn: () => unknown, ms: number): Timer {
    const seq = ++this.seq;
    this.timers.set(seq, { at: this.time + Math.max(0, ms), seq, fn });
    return { cancel: () => this.timers.delete(seq) };
  }

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const at = this.time + Math.max(0, ms);
      this.setTimer(resolve, ms);
      // After the current turn, so the sleeper's own synchronous work is done first.
      setImmediate(() => {
        void this.run(at, false);
      });
    });
  }

  /** Moves time on by `ms`, firing every timer due meanwhile and waiting for the work each starts. */
  advance(ms: number): Promise<void> {
    return this.run(this.time + ms, true);
  }

  /** Moves time on to `at` (an absolute reading); no-op when it is already past. */
  advanceTo(at: number): Promise<void> {
    return this.run(Math.max(at, this.time), true);
  }

  /** Moves time to the next timer and fires it (and any due at the same time); false when none is set. */
  async next(): Promise<boolean> {
    const first = this.earliest(Number.POSITIVE_INFINITY);
    if (!first) return false;
    await this.run(first.at, true);
    return true;
  }

  /** When the timers set now are due, soonest first (what a test expects to happen). */
  dueTimes(): number[] {
    return [...this.timers.values()].sort(byDue).map((t) => t.at);
  }

  private earliest(until: number): Pending | undefined {
    let first: Pending | undefined;
    for (const t of this.timers.values()) if (t.at <= until && (!first || byDue(t, first) < 0)) first = t;
    return first;
  }

  private async run(target: number, waitForWork: boolean): Promise<void> {
    await settle();
    for (;;) {
      const t = this.earliest(target);
      if (t) {
        const work = this.fire(t);
        if (waitForWork && work) await work;
      } else if (waitForWork && this.working.size > 0) {
        await Promise.race(this.working);
      } else break;
      await settle();
    }
    this.time = Math.max(this.time, target);
    if (waitForWork && this.failure) {
      const { error } = this.failure;
      this.failure = null;
      throw error;
    }
  }

  /** Runs a timer at its time; answers the work it started (settled, never rejected). */
  private fire(t: Pending): Promise<unknown> | null {
    this.timers.delete(t.seq);
    this.time = Math.max(this.time, t.at);
    const work = t.fn();
    if (!isPromise(work)) return null;
    const tracked: Promise<unknown> = work
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.working.delete(tracked));
    this.working.add(tracked);
    return tracked;
  }
}

const byDue = (a: Pending, b: Pending) => a.at - b.at || a.seq - b.seq;

const isPromise = (value: unknown): value is Promise<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';
