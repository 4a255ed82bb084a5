/** The ledger's own state, beside the sync status: what /health and the UI's banner show. */
export interface LedgerHealth {
  state: 'ok' | 'degraded';
  /** Why it is degraded: the disk is full, or the disk reported a read/write error. */
  reason: 'disk_full' | 'io_error' | null;
  /** Plain words for the clerk and the store's systems. */
  message: string | null;
  /** When the fault was first seen. */
  since: string | null;
}

export interface IntegrityReport {
  ok: boolean;
  /** SQLite's own findings, at most 100; empty when ok. */
  problems: string[];
  checkedAt: string;
  durationMs: number;
}
