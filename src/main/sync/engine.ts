// Placeholder until the sync issue lands: status only, no upstream traffic.
import type { BulkActionResult, SyncRunResult } from '../../shared/rpc';
import type { Settings } from '../../shared/settings';
import type { InitializeResult, JobStatus, SyncRunSummary, SyncStatus } from '../../shared/sync-status';
import type { Attempt } from '../../shared/views';
import type { SettingsService } from '../config/settings-service';
import type { Ledger } from '../ledger';
import type { SyncJobRequest, SyncService } from './types';

export interface SyncEngineDeps {
  ledger: Ledger;
  settings: SettingsService;
  timeoutMs?: number;
  onStatus: (status: SyncStatus) => void;
  onChange: () => void;
  log: (message: string, detail?: unknown) => void;
}

export class SyncEngine implements SyncService {
  constructor(private readonly deps: SyncEngineDeps) {}
  start(_options?: { autoInitialize?: boolean }): void {}
  async stop(): Promise<void> {}
  status(): SyncStatus {
    const s: Settings = this.deps.settings.read();
    const job = (name: 'iv' | 'fno'): JobStatus => ({
      job: name,
      state: 'needsConfiguration',
      message: 'Sync is not built yet',
      periodic: name === 'iv' ? s.transactions.periodicSyncToIV : s.transactions.periodicSyncToFno,
      frequencyMinutes:
        name === 'iv' ? s.transactions.ivSyncFrequencyMinutes : s.transactions.fnoSyncFrequencyMinutes,
      lastRunAt: null,
      lastSuccessAt: null,
      nextRunAt: null,
      consecutiveFailures: 0,
      lastError: null,
    });
    const lines = this.deps.ledger.lines.countByStatus();
    const aggregated = this.deps.ledger.aggregated.countByStatus();
    return {
      jobs: { iv: job('iv'), fno: job('fno') },
      upstream: { iv: 'unknown', scm: 'unknown' },
      lineCounts: {
        Created: lines.Created ?? 0,
        IVPosted: lines.IVPosted ?? 0,
        Aggregated: lines.Aggregated ?? 0,
      },
      aggregatedCounts: {
        Created: aggregated.Created ?? 0,
        DoNotSync: aggregated.DoNotSync ?? 0,
        FnOSent: aggregated.FnOSent ?? 0,
        FnOCreateError: aggregated.FnOCreateError ?? 0,
        FnOCreated: aggregated.FnOCreated ?? 0,
        FnOPostError: aggregated.FnOPostError ?? 0,
        FnOPosted: aggregated.FnOPosted ?? 0,
      },
      unsynced: (lines.Created ?? 0) + (lines.IVPosted ?? 0),
      initialized: s.isFeatureInitialized,
    };
  }
  async run(_job: SyncJobRequest): Promise<SyncRunResult> {
    return { runs: [], status: this.status() };
  }
  runs(_top: number): SyncRunSummary[] {
    return [];
  }
  async initialize(): Promise<InitializeResult> {
    return { initialized: false, checks: [] };
  }
  retry(_ids: readonly string[]): BulkActionResult {
    return { changed: 0, refused: [] };
  }
  markDoNotSync(_ids: readonly string[], _reason: string): BulkActionResult {
    return { changed: 0, refused: [] };
  }
  linesAdded(_instantIv: boolean): void {}
  attemptsFor(_targetId: string): Attempt[] {
    return [];
  }
}
