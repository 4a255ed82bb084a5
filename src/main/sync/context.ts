import type { Settings } from '../../shared/settings';
import type { Clock } from '../clock';
import type { SyncStore } from '../ledger/sync-store';
import type { IvClient, ScmClient } from '../upstream';
import type { Trigger } from './scheduler';
import type { SyncTiming } from './timing';

/** What one run of a job works with. */
export interface JobContext {
  store: SyncStore;
  runId: number;
  trigger: Trigger;
  settings: Settings;
  timing: SyncTiming;
  /** The time every step reads and waits on (the engine's). */
  clock: Clock;
  iv: IvClient;
  scm: ScmClient;
  /** Counts shown in the run summary; filled as the run goes, kept even when it fails. */
  counts: Record<string, number>;
  /** An upstream answered (whatever it said). */
  reached(service: 'iv' | 'scm'): void;
  /**
   * A call failed (outage, throttling, refused settings) while the run may go on: the status
   * says so at once, not only when the run ends.
   */
  callFailed(service: 'iv' | 'scm', message: string, offline: boolean): void;
  /** Store Ledger is closing: finish the current step and return. */
  stopping(): boolean;
}

export function add(counts: Record<string, number>, key: string, n = 1): void {
  counts[key] = (counts[key] ?? 0) + n;
}
