/**
 * Wrong sign-in attempts: after five in a row sign-in waits a minute, and each lockout after it
 * twice as long as the one before, up to 15 minutes (NIST SP 800-63B §5.2.2 asks a verifier to
 * limit failed attempts; https://pages.nist.gov/800-63-3/sp800-63b.html#throttle). A 4-digit PIN
 * guessed at that pace takes days. A right PIN ends the series. The guard is kept in the ledger,
 * so closing and reopening Store Ledger does not reset it.
 */
export const ATTEMPTS_BEFORE_LOCKOUT = 5;
const FIRST_LOCKOUT_MS = 60_000;
const LONGEST_LOCKOUT_MS = 15 * 60_000;

export interface GuardState {
  failedAttempts: number;
  lockouts: number;
  /** ms since the epoch, or null. */
  lockedUntil: number | null;
}

export const NO_FAILURES: GuardState = { failedAttempts: 0, lockouts: 0, lockedUntil: null };

/** The state after one more wrong attempt at `now`. */
export function afterFailure(state: GuardState, now: number): GuardState {
  const failedAttempts = state.failedAttempts + 1;
  if (failedAttempts < ATTEMPTS_BEFORE_LOCKOUT) return { ...state, failedAttempts };
  return { failedAttempts: 0, lockouts: state.lockouts + 1, lockedUntil: now + nextLockMs(state) };
}

/** How long the next lockout of this series lasts. */
function nextLockMs(state: GuardState): number {
  return Math.min(FIRST_LOCKOUT_MS * 2 ** state.lockouts, LONGEST_LOCKOUT_MS);
}

/** How long sign-in still waits, or 0. */
export function lockedFor(state: GuardState, now: number): number {
  return state.lockedUntil !== null && state.lockedUntil > now ? state.lockedUntil - now : 0;
}

/** "45 seconds", "2 minutes": rounded up, so nobody is told to try when it is still too early. */
export function durationWords(ms: number): string {
  // Whole seconds first, so 59.9 s reads "1 minute", not "60 seconds".
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const m = Math.ceil(s / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
}

/**
 * Attempts left before a lockout, said from two left: a clerk who mistyped twice learns, before
 * the lockout, that it is near and how long it would be ("2 more wrong PINs and sign-in waits
 * 1 minute."), and earlier tries are not cluttered with it. `wrong` is what counts: "wrong PIN".
 */
export function attemptsLeftWords(state: GuardState, wrong: string): string {
  const left = ATTEMPTS_BEFORE_LOCKOUT - state.failedAttempts;
  if (left > 2) return '';
  return ` ${left} more ${wrong}${left === 1 ? '' : 's'} and sign-in waits ${durationWords(nextLockMs(state))}.`;
}
