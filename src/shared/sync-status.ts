import type { AggregatedStatus, StoredLineStatus } from './status';

export type JobName = 'iv' | 'fno';
export type JobState = 'idle' | 'running' | 'backingOff' | 'offline' | 'needsConfiguration' | 'disabled';

export interface JobStatus {
  job: JobName;
  state: JobState;
  /** Plain words for the clerk: why the job is in this state and what to do. */
  message: string | null;
  periodic: boolean;
  frequencyMinutes: number;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  nextRunAt: string | null;
  consecutiveFailures: number;
  lastError: string | null;
}

export type UpstreamState = 'online' | 'offline' | 'unknown' | 'unconfigured';

export interface SyncStatus {
  jobs: Record<JobName, JobStatus>;
  upstream: { iv: UpstreamState; scm: UpstreamState };
  /** Per status, Voided included (a line a clerk set aside before it left the ledger). */
  lineCounts: Record<StoredLineStatus, number>;
  aggregatedCounts: Record<AggregatedStatus, number>;
  /**
   * "Not synced": detailed lines not yet in Inventory Visibility, or whose change SCM has not
   * created yet (on its way, or refused: FnOCreateError). Voided and DoNotSync lines never count.
   */
  unsynced: number;
  /**
   * Detailed lines SCM created in a journal meant to post, still waiting for SCM's posting job
   * (FnOCreated, or FnOPostError while it has not posted): in SCM, not yet posted.
   */
  awaitingPosting: number;
  initialized: boolean;
  /**
   * Data packages still queued in SCM past *Package queued alert after* (SCM has not started
   * importing them): how many, since when the oldest was sent, and the threshold in hours.
   */
  queuedPackages: { count: number; oldestSince: string | null; hours: number };
}

export interface SyncRunSummary {
  runId: number;
  job: JobName;
  trigger: 'timer' | 'demand' | 'instant' | 'retry';
  startedAt: string;
  finishedAt: string | null;
  outcome: 'ok' | 'partial' | 'failed' | 'skipped' | 'running';
  message: string | null;
  counts: Record<string, number>;
}

export interface InitializeCheck {
  name: 'ledger' | 'settings' | 'iv' | 'scm' | 'activity' | 'profile';
  label: string;
  ok: boolean;
  /** Passed, but with something that is not verified yet: said in the message, shown in amber. */
  warning?: boolean;
  message: string;
}

export interface InitializeResult {
  initialized: boolean;
  checks: InitializeCheck[];
}
