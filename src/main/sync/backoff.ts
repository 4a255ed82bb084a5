import type { SyncTiming } from './timing';

/** Retry-After beyond this is treated as this: a broken header must not park a job for days. */
const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * Capped exponential backoff with "equal jitter" (half fixed, half random, so runs of many
 * stores do not retry in step), never sooner than the upstream's Retry-After.
 */
export function backoffDelay(
  failures: number,
  timing: Pick<SyncTiming, 'minBackoffMs' | 'maxBackoffMs'>,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const ceiling = Math.min(timing.maxBackoffMs, timing.minBackoffMs * 2 ** exponent);
  const jittered = ceiling / 2 + (random() * ceiling) / 2;
  const asked = retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  // Whole milliseconds, the grain of timers and of the retry time the status shows.
  return Math.round(Math.max(jittered, asked));
}

/** How long a line IV rejected waits before it is offered again (grows with its attempts). */
export function holdbackDelay(
  attempts: number,
  timing: Pick<SyncTiming, 'holdbackMs' | 'maxHoldbackMs'>,
): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(timing.maxHoldbackMs, timing.holdbackMs * 2 ** exponent);
}
