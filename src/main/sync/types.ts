import type { BulkActionResult, SyncRunResult } from '../../shared/rpc';
import type { InitializeResult, SyncRunSummary, SyncStatus } from '../../shared/sync-status';
import type { Attempt } from '../../shared/views';
import type { Settled } from './iv-in-flight';

export type SyncJobRequest = 'iv' | 'fno' | 'all';

/** What the rest of the business layer asks of the sync engine. */
export interface SyncService {
  /** Starts the periodic timers (they read the settings each time). */
  start(options?: { autoInitialize?: boolean }): void;
  /** Stops the timers and waits for a run in progress to finish its current step. */
  stop(): Promise<void>;
  status(): SyncStatus;
  /** On demand: waits for a run in progress, then runs once more, and answers with the summary. */
  run(job: SyncJobRequest): Promise<SyncRunResult>;
  runs(top: number): SyncRunSummary[];
  initialize(): Promise<InitializeResult>;
  retry(aggregatedLineIds: readonly string[]): BulkActionResult;
  markDoNotSync(aggregatedLineIds: readonly string[], reason: string): BulkActionResult;
  /**
   * Runs `decide` once no IV call carrying the line is in flight (Void decides on
   * the settled line): waits for such a call at most *voidWaitMs*, and runs `decide` in the same
   * synchronous stretch as the last check, so no job step comes in between.
   */
  whenIvSettled<T>(lineRecordId: string, decide: () => T): Promise<Settled<T>>;
  /** New lines were recorded; those asked for *Instant update to IV* go now. */
  linesAdded(instantIv: boolean): void;
  attemptsFor(targetId: string): Attempt[];
}
