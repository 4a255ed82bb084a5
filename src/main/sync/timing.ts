/**
 * Every delay the sync engine uses. Production values below; tests shrink them
 * (BusinessLayerOptions.syncTiming → SyncEngineDeps.timing) so that minutes become milliseconds.
 */
export interface SyncTiming {
  /** Length of one "minute" of the frequency settings. */
  minuteMs: number;
  /** Delay of the first periodic run after start (finishes what the last session left). */
  startDelayMs: number;
  /** Backoff after a failed run: first delay, and the cap (Retry-After may ask for longer). */
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Come back this soon while SCM still has journals to import or post. */
  followUpMs: number;
  /** How long one SCM run keeps polling for its journals before leaving them to the follow-up. */
  inRunFollowMs: number;
  /** First wait between polls inside a run (doubles, up to 1 s). */
  pollMs: number;
  /** A line IV rejected is held back this long, doubling per rejection up to maxHoldbackMs. */
  holdbackMs: number;
  maxHoldbackMs: number;
  /** Length of one hour of the *Posting overdue after* setting. */
  hourMs: number;
  /** SCM's job status may say nothing for a while after an enqueue; past this, the lines are read back. */
  unknownStateGiveUpMs: number;
  /**
   * How long Void waits for the IV call carrying its line. A call answers in well
   * under a second; one that hangs lasts up to the upstream timeout (30 s), too long for a clerk
   * at the counter: past this, the clerk is told the line is being sent and to try again.
   */
  voidWaitMs: number;
}

export const DEFAULT_TIMING: SyncTiming = {
  minuteMs: 60_000,
  startDelayMs: 3_000,
  minBackoffMs: 5_000,
  maxBackoffMs: 5 * 60_000,
  followUpMs: 5_000,
  inRunFollowMs: 3_000,
  pollMs: 200,
  holdbackMs: 10 * 60_000,
  maxHoldbackMs: 6 * 60 * 60_000,
  hourMs: 60 * 60_000,
  unknownStateGiveUpMs: 15 * 60_000,
  voidWaitMs: 15_000,
};
