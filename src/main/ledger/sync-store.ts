import type { AggregatedStatus, StoredLineStatus, TargetTransactionStatus } from '../../shared/status';
import { AggregationStore } from './aggregation-store';
import type { LedgerConnection, WriteOptions } from './connection';
import { holdConnection } from './internal';
import { IvQueueStore } from './iv-queue';
import { JournalBatchStore } from './journal-batches';
import { OnHandStore } from './onhand';
import type { AggregatedLineRow } from './schema';
import { MappingStore, SettingsStore } from './settings-store';
import { SyncHistoryStore } from './sync-history';
import { StatusWriter } from './transitions';

/** Aggregated lines not yet created in SCM ("not synced"); waiting for SCM's posting job is counted apart. */
const UNSENT_IN_SCM: readonly AggregatedStatus[] = ['Created', 'FnOSent', 'FnOCreateError'];
/** IDs per `IN (…)` query: well under SQLite's 32,766 bound parameters. */
const IDS_PER_QUERY = 500;

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

  constructor(private readonly conn: LedgerConnection) {
    holdConnection(this, conn);
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

  /**
   * The sync's one way to write (LedgerConnection.write): after any bulk being written, so the
   * event loop never waits for one, in one transaction, announced once committed.
   */
  write<T>(fn: () => T, options?: WriteOptions): Promise<T> {
    return this.conn.write(fn, options);
  }

  /** An intent, then the upstream call it announces, in one stretch (LedgerConnection.writeThenCall). */
  writeThenCall<T, R>(intent: () => T, call: (written: T) => R): Promise<R> {
    return this.conn.writeThenCall(intent, call);
  }

  /** A write at once, for a clerk's action that cannot wait (an open bulk is finished first). */
  writeNow<T>(fn: () => T, options?: WriteOptions): T {
    return this.conn.writeNow(fn, options);
  }

  /** Committed writes that changed rows (the status is pushed). Answers the unsubscribe. */
  onChange(listener: () => void): () => void {
    return this.conn.onChange(listener);
  }

  /** Initialize's look at the ledger: its format and file, after a read of the lines table. */
  readCheck(): { version: number; filePath: string } {
    const version = this.conn.db.pragma('user_version', { simple: true }) as number;
    this.conn.first(this.conn.qb.selectFrom('adjustment_lines').select((eb) => eb.fn.countAll().as('n')));
    return { version, filePath: this.conn.filePath };
  }

  /** measure key → target status, read at aggregation time. */
  mappingTargets(): Map<string, TargetTransactionStatus> {
    return new MappingStore(this.conn).targets();
  }

  aggregatedStatuses(ids: readonly string[]): Map<string, AggregatedLineRow> {
    const out = new Map<string, AggregatedLineRow>();
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const rows = this.conn.all(
        this.conn.qb
          .selectFrom('aggregated_lines')
          .selectAll()
          .where('aggregated_line_id', 'in', ids.slice(i, i + IDS_PER_QUERY)),
      );
      for (const row of rows) out.set(row.aggregated_line_id, row);
    }
    return out;
  }

  /** From the counters the ledger keeps per status (no scan of the lines). */
  lineCounts(): Record<StoredLineStatus, number> {
    const rows = this.conn.all(this.conn.qb.selectFrom('line_status_counts').select(['status', 'n']));
    const out: Record<StoredLineStatus, number> = { Created: 0, IVPosted: 0, Aggregated: 0, Voided: 0 };
    for (const r of rows) out[r.status as StoredLineStatus] = r.n;
    return out;
  }

  aggregatedCounts(): {
    counts: Record<AggregatedStatus, number>;
    /** Detailed lines behind aggregated lines not yet created in SCM (nor set aside). */
    unsentDetailed: number;
    /** Detailed lines behind journal lines created in SCM and waiting for its posting job. */
    postingDetailed: number;
  } {
    const rows = this.conn.all(this.conn.qb.selectFrom('aggregated_status_counts').select(['status', 'n']));
    const counts: Record<AggregatedStatus, number> = {
      Created: 0,
      DoNotSync: 0,
      FnOSent: 0,
      FnOCreateError: 0,
      FnOCreated: 0,
      FnOPostError: 0,
      FnOPosted: 0,
    };
    for (const r of rows) counts[r.status as AggregatedStatus] = r.n;
    const open = this.conn.first(
      this.conn.qb
        .selectFrom('aggregated_lines')
        .select((eb) => {
          const linesWhere = (condition: Parameters<typeof eb.case>[0] & object) =>
            eb.fn.coalesce(
              eb.fn.sum<number>(eb.case().when(condition).then(eb.ref('detailed_line_count')).end()),
              eb.val(0),
            );
          return [
            linesWhere(eb('status', 'in', UNSENT_IN_SCM)).as('unsent'),
            linesWhere(
              eb.or([
                eb('status', '=', 'FnOPostError'),
                eb.and([eb('status', '=', 'FnOCreated'), eb('target_transaction_status', '=', 'Posted')]),
              ]),
            ).as('posting'),
          ];
        })
        .where('status', 'in', [...UNSENT_IN_SCM, 'FnOPostError', 'FnOCreated']),
    );
    return { counts, unsentDetailed: Number(open?.unsent ?? 0), postingDetailed: Number(open?.posting ?? 0) };
  }
}
