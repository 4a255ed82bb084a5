import { missingConnectionSettings, type Settings } from '../../shared/settings';
import type { JobName, JobStatus, SyncStatus, UpstreamState } from '../../shared/sync-status';
import type { ErrorKind } from '../../shared/views';
import { isoAt } from '../clock';
import type { SyncStore } from '../ledger/sync-store';
import type { JobTimerState } from './scheduler';

/** What the engine remembers about a job between runs (the rest is in sync_runs). */
export interface JobMemory {
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorKind: ErrorKind | null;
  /** The last failure had no answer at all: the upstream is unreachable. */
  offline: boolean;
  /** What to do about the last failure, when it is a refused credential (errors.ts adviceFor). */
  advice?: string | null;
}

const JOB_LABEL: Record<JobName, string> = { iv: 'Inventory Visibility', fno: 'Supply Chain Management' };

const at = (ms: number | null) => (ms === null ? null : isoAt(ms));
const time = (ms: number | null) => (ms === null ? 'later' : isoAt(ms));

export function jobStatus(
  job: JobName,
  settings: Settings,
  hasClientSecret: boolean,
  timer: JobTimerState,
  memory: JobMemory,
  initializeMessage: string | null,
): JobStatus {
  const t = settings.transactions;
  const periodic = job === 'iv' ? t.periodicSyncToIV : t.periodicSyncToFno;
  let state: JobStatus['state'];
  let message: string | null = null;
  if (!settings.enableFeature) {
    state = 'disabled';
    message =
      "The 'Enable feature' setting is off: sync is stopped. Turn it on under Settings → Inventory transactions.";
  } else if (!settings.isFeatureInitialized) {
    state = 'needsConfiguration';
    const missing = missingConnectionSettings(settings, hasClientSecret);
    message =
      missing.length > 0
        ? `Not initialized: fill in ${missing.join(', ')}, then run Initialize.`
        : `Not initialized: run Initialize to check the connections.${initializeMessage ? ` Last check: ${initializeMessage}` : ''}`;
  } else if (timer.running) {
    state = 'running';
  } else if (timer.failures > 0) {
    const next = time(timer.nextRunAt ?? timer.backoffUntil);
    if (memory.lastErrorKind === 'config') {
      state = 'needsConfiguration';
      message = `${memory.lastError}${memory.advice ? ` ${memory.advice}` : ''} Next try at ${next}.`;
    } else if (memory.offline) {
      state = 'offline';
      message = `${JOB_LABEL[job]} cannot be reached (${memory.lastError}); lines wait in the ledger. Next try at ${next}.`;
    } else {
      state = 'backingOff';
      message = `The last run failed (${memory.lastError}); retrying at ${next}.`;
    }
  } else {
    state = 'idle';
    if (!periodic)
      message =
        'Periodic sync is off: lines go when someone asks for a sync (Sync now), or at once for instant lines.';
  }
  return {
    job,
    state,
    message,
    periodic,
    frequencyMinutes: job === 'iv' ? t.ivSyncFrequencyMinutes : t.fnoSyncFrequencyMinutes,
    lastRunAt: memory.lastRunAt,
    lastSuccessAt: memory.lastSuccessAt,
    nextRunAt: at(timer.nextRunAt),
    consecutiveFailures: timer.failures,
    lastError: memory.lastError,
  };
}

export function buildStatus(
  store: SyncStore,
  settings: Settings,
  jobs: Record<JobName, JobStatus>,
  upstream: { iv: UpstreamState; scm: UpstreamState },
  /** The clock and the length of an hour (tests compress it: SyncTiming.hourMs). */
  now: number,
  hourMs: number,
): SyncStatus {
  const lineCounts = store.lineCounts();
  const aggregated = store.aggregatedCounts();
  const hours = settings.transactions.packageQueuedAlertHours;
  const queued = store.batches.queuedBefore(isoAt(now - hours * hourMs));
  return {
    jobs,
    upstream,
    lineCounts,
    aggregatedCounts: aggregated.counts,
    // Not yet in IV, or not yet created in SCM; a line SCM created waits for its posting job instead.
    unsynced: lineCounts.Created + lineCounts.IVPosted + aggregated.unsentDetailed,
    awaitingPosting: aggregated.postingDetailed,
    initialized: settings.isFeatureInitialized,
    queuedPackages: { ...queued, hours },
  };
}
