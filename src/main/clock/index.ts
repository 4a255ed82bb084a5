/**
 * Time, as the sync engine and the ledger read it. The running app (server and Electron start-up)
 * passes `systemClock`; tests pass a clock they move themselves (test/helpers/test-clock.ts), so a
 * backoff, a hold-back or an overdue journal is asserted at its exact time and nobody waits for it.
 *
 * The Clock is the passing of time: when things happen, timers and waits. How long real work
 * took (an upstream call, a slice of aggregation) is another quantity, measured with `realNow`:
 * under a clock a test moves, work still takes real time, and must not look instant.
 */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Calls `fn` once, `ms` from now; the timer never keeps the process alive. A clock moved by a
   * test waits for the promise `fn` answers (the run a timer starts) before it moves on.
   */
  setTimer(fn: () => unknown, ms: number): Timer;
  /** Resolves `ms` from now: a step waiting inside a job (polling SCM between its calls). */
  sleep(ms: number): Promise<void>;
}

/** The computer's clock and Node's timers, unref'd: a pending timer never holds Store Ledger open. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
  sleep: (ms) =>
    new Promise<void>((resolve) => {
      setTimeout(resolve, ms).unref();
    }),
};

/** A clock reading as the ledger stores it (ISO 8601, UTC). */
export const isoAt = (ms: number): string => new Date(ms).toISOString();

/** Now, as the ledger stores it. */
export const nowIso = (clock: Pick<Clock, 'now'>): string => isoAt(clock.now());

/** A clock reading as a local date and time (the Fno sync window is the store's time of day). */
export const localDateAt = (ms: number): Date => new Date(ms);

/**
 * Real time, monotonic, in milliseconds: only to measure how long real work took (an upstream
 * call for the attempt log, a slice of aggregation to size the next). Never a time of day, never
 * a wait: those are the Clock's.
 */
export const realNow = (): number => performance.now();
