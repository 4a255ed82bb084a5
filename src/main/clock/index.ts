/**
 * Time, as the sync engine and the ledger read it. The running app (server and Electron start-up)
 * passes `systemClock`; tests pass a clock they move themselves (test/helpers/test-clock.ts), so a
 * backoff, a hold-back or an overdue journal is asserted at its exact time and nobody waits for it.
 *
 * Only what stands for the passing of time goes through here: the time things happen, timers
 * and waits. How long real work takes (a slice of aggregation, a worker thread that may be
 * stuck, a socket) is measured on the real clock, since a clock moved by a test must not make
 * work look free or a thread look stuck.
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
