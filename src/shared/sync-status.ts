import type { AggregatedStatus, LineStatus } from './status';

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
  lineCounts: Record<LineStatus, number>;
  aggregatedCounts: Record<AggregatedStatus, number>;
  /** Detailed lines whose change has not yet reached SCM as created/posted (or been set aside). */
  unsynced: number;
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
