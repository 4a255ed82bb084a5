import { performance } from 'node:perf_hooks';
import { expect } from 'vitest';

/** A time the event loop was held: from `at` (performance.now()) for `ms` past the timer's tick. */
export interface Stall {
  at: number;
  ms: number;
  /** Of it, the time the loop was running code (not waiting for the CPU or for I/O). */
  busyMs: number;
}

/**
 * How long the event loop was held while `work` ran, as a 10 ms timer's lateness: the API, the
 * UI and the tills share this loop, so this is how long any of them would have waited. Work that
 * holds the loop before it returns a promise is measured too (the timer fires late once it lets
 * go). `stalls` lists each hold past 20 ms, to tell the phases of the work apart.
 *
 * On a machine shared with other processes, a timer also fires late while the loop is idle and
 * the CPU is busy elsewhere; `maxBusyMs` counts only the time the loop was running code between
 * two ticks (Node's event loop utilization: https://nodejs.org/api/perf_hooks.html#performanceeventlooputilizationutilization1-utilization2),
 * which is at least its longest single hold there, and what this process can be held to.
 */
export async function loopLagDuring<T>(work: () => Promise<T> | T): Promise<{
  maxLagMs: number;
  maxBusyMs: number;
  stalls: Stall[];
  outcome: PromiseSettledResult<Awaited<T>>;
}> {
  const tick = 10;
  let last = performance.now();
  let lastUse = performance.eventLoopUtilization();
  let maxBusyMs = 0;
  const stalls: Stall[] = [];
  const timer = setInterval(() => {
    const now = performance.now();
    const use = performance.eventLoopUtilization();
    const busyMs = Math.round(performance.eventLoopUtilization(use, lastUse).active);
    maxBusyMs = Math.max(maxBusyMs, busyMs);
    if (now - last - tick > 20) stalls.push({ at: last, ms: Math.round(now - last - tick), busyMs });
    last = now;
    lastUse = use;
  }, tick);
  let outcome: PromiseSettledResult<Awaited<T>>;
  try {
    outcome = { status: 'fulfilled', value: await work() };
  } catch (reason) {
    outcome = { status: 'rejected', reason };
  }
  // A few more ticks, so a hold at the very end is counted.
  await new Promise((resolve) => setTimeout(resolve, tick * 3));
  clearInterval(timer);
  return { maxLagMs: Math.max(0, ...stalls.map((s) => s.ms)), maxBusyMs, stalls, outcome };
}

/**
 * The loop was never held past `busyMs` by this process's code, nor past 1 s at all (a timer
 * that late means the process itself went without the CPU that long, however loaded the
 * machine).
 */
export function expectLoopFree(probe: { maxLagMs: number; maxBusyMs: number }, busyMs: number): void {
  expect(probe.maxBusyMs, `the loop ran code for ${probe.maxBusyMs} ms between two ticks`).toBeLessThan(
    busyMs,
  );
  expect(probe.maxLagMs, `a 10 ms timer fired ${probe.maxLagMs} ms late`).toBeLessThan(1_000);
}
