import type { AggregatedStatus, StoredLineStatus, TargetTransactionStatus } from '../../shared/status';
import { AggregationStore } from './aggregation-store';
import type { LedgerConnection } from './connection';
import { IvQueueStore } from './iv-queue';
import { JournalBatchStore } from './journal-batches';
import { OnHandStore } from './onhand';
import type { AggregatedLineRow } from './schema';
import { MappingStore, SettingsStore } from './settings-store';
import { SyncHistoryStore } from './sync-history';
import { StatusWriter } from './transitions';

const postedKey = (organizationId: string) => `scm.lastPostedJournal.${organizationId.toLowerCase()}`;
const PROFILE_CHECKED = 'scm.profileChecked';
const activityKey = (activityId: string) => `scm.activityConfirmed.${activityId.trim().toLowerCase()}`;

/**
 * The sync engine's view of the ledger, one store per concern: the IV queue, aggregation, the
 * SCM packages, the run and attempt history, and (StatusWriter) every status it writes.
 */
export class SyncStore {
  readonly status: StatusWriter;
  readonly iv: IvQueueStore;
  readonly aggregation: AggregationStore;
  readonly batches: JournalBatchStore;
  readonly history: SyncHistoryStore;
  /** The store's last known on-hand (IV's answers and the lines not in them), read to explain SCM's posting. */
  readonly onHand: OnHandStore;

  constructor(readonly conn: LedgerConnection) {
    this.status = new StatusWriter(conn);
    this.iv = new IvQueueStore(conn);
    this.aggregation = new AggregationStore(conn, this.status);
    this.batches = new JournalBatchStore(conn);
    this.history = new SyncHistoryStore(conn);
    this.onHand = new OnHandStore(conn);
  }

  /** The latest journal SCM's posting job was seen to post in an organization, by its number. */
  lastPostedJournal(organizationId: string): string | null {
    return new SettingsStore(this.conn).readValue(postedKey(organizationId)) ?? null;
  }

  /** When SCM's job status first showed the integration activity working, and its data project. */
  activityConfirmation(activityId: string): { at: string; dataProject: string | null } | null {
    const raw = new SettingsStore(this.conn).readValue(activityKey(activityId));
    return raw ? (JSON.parse(raw) as { at: string; dataProject: string | null }) : null;
  }

  confirmActivity(activityId: string, dataProject: string | null, at: string): void {
    if (this.activityConfirmation(activityId)) return;
    new SettingsStore(this.conn).writeValue(activityKey(activityId), JSON.stringify({ at, dataProject }));
  }

  /** The fingerprint of the import profile Initialize last checked against SCM's data project. */
  profileChecked(): string | null {
    return new SettingsStore(this.conn).readValue(PROFILE_CHECKED) ?? null;
  }

  noteProfileChecked(fingerprint: string): void {
    new SettingsStore(this.conn).writeValue(PROFILE_CHECKED, fingerprint);
  }

  notePostedJournal(organizationId: string, journalNumber: string): void {
    new SettingsStore(this.conn).writeValue(postedKey(organizationId), journalNumber);
  }

  transaction<T>(fn: () => T): T {
    return this.conn.transaction(fn);
  }

  /**
   * Awaited before a job writes: resolves once no bulk is being written (ledger/bulk-writes.ts),
   * so the job's synchronous write that follows never makes the event loop wait for a bulk.
   */
  whenWritable(): Promise<void> {
    return this.conn.bulk.idle();
  }

  /** See LedgerConnection.redoableTransaction: for steps the next run redoes if a crash loses them. */
  redoableTransaction<T>(fn: () => T): T {
    return this.conn.redoableTransaction(fn);
  }

  /** measure key → target status, read at aggregation time. */
  mappingTargets(): Map<string, TargetTransactionStatus> {
    return new MappingStore(this.conn).targets();
  }

  aggregatedStatuses(ids: readonly string[]): Map<string, AggregatedLineRow> {
    const statement = this.conn.prepare('SELECT * FROM aggregated_lines WHERE aggregated_line_id = ?');
    const out = new Map<string, AggregatedLineRow>();
    for (const id of ids) {
      const row = statement.get(id) as AggregatedLineRow | undefined;
      if (row) out.set(id, row);
    }
    return out;
  }

  /** From the counters the ledger keeps per status (no scan of the lines). */
  lineCounts(): Record<StoredLineStatus, number> {
    const rows = this.conn.prepare('SELECT status, n FROM line_status_counts').all() as {
      status: StoredLineStatus;
      n: number;
    }[];
    const out: Record<StoredLineStatus, number> = { Created: 0, IVPosted: 0, Aggregated: 0, Voided: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  aggregatedCounts(): {
    counts: Record<AggregatedStatus, number>;
    /** Detailed lines behind aggregated lines not yet created in SCM (nor set aside). */
    unsentDetailed: number;
    /** Detailed lines behind journal lines created in SCM and waiting for its posting job. */
    postingDetailed: number;
  } {
    const rows = this.conn.prepare('SELECT status, n FROM aggregated_status_counts').all() as {
      status: AggregatedStatus;
      n: number;
    }[];
    const counts: Record<AggregatedStatus, number> = {
      Created: 0,
      DoNotSync: 0,
      FnOSent: 0,
      FnOCreateError: 0,
      FnOCreated: 0,
      FnOPostError: 0,
      FnOPosted: 0,
    };
    for (const r of rows) counts[r.status] = r.n;
    const open = this.conn
      .prepare(
        `SELECT coalesce(sum(CASE WHEN status IN ('Created', 'FnOSent', 'FnOCreateError')
                                  THEN detailed_line_count END), 0) AS unsent,
                coalesce(sum(CASE WHEN status = 'FnOPostError'
                                    OR (status = 'FnOCreated' AND target_transaction_status = 'Posted')
                                  THEN detailed_line_count END), 0) AS posting
           FROM aggregated_lines
          WHERE status IN ('Created', 'FnOSent', 'FnOCreateError', 'FnOPostError', 'FnOCreated')`,
      )
      .get() as { unsent: number; posting: number };
    return { counts, unsentDetailed: open.unsent, postingDetailed: open.posting };
  }
}
