/** A time the event loop was held: from `at` (performance.now()) for `ms` past the timer's tick. */
export interface Stall {
  at: number;
  ms: number;
}

/**
 * How long the event loop was held while `work` ran, as a 10 ms timer's lateness: the API, the
 * UI and the tills share this loop, so this is how long any of them would have waited. Work that
 * holds the loop before it returns a promise is measured too (the timer fires late once it lets
 * go). `stalls` lists each hold past 20 ms, to tell the phases of the work apart.
 */
export async function loopLagDuring<T>(
  work: () => Promise<T> | T,
): Promise<{ maxLagMs: number; stalls: Stall[]; outcome: PromiseSettledResult<Awaited<T>> }> {
  const tick = 10;
  let last = performance.now();
  const stalls: Stall[] = [];
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last - tick > 20) stalls.push({ at: last, ms: Math.round(now - last - tick) });
    last = now;
  }, tick);
  let outcome: PromiseSettledResult<Awaited<T>>;
  try {
    outcome = { status: 'fulfilled', value: await work() };
  } catch (reason) {
    outcome = { status: 'rejected', reason };
  }
  // One more tick, so a hold at the very end is counted.
  await new Promise((resolve) => setTimeout(resolve, tick * 3));
  clearInterval(timer);
  return { maxLagMs: Math.max(0, ...stalls.map((s) => s.ms)), stalls, outcome };
}
