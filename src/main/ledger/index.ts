import path from 'node:path';
import { type Clock, systemClock } from '../clock';
import { AggregatedStore } from './aggregated';
import { AuditStore } from './audit';
import type { WriteSteps } from './bulk-writes';
import { LEDGER_FILE, LedgerConnection, type OpenOptions, type WriteOptions } from './connection';
import { CountStore } from './counts';
import { DiagnosticsReads } from './diagnostics-reads';
import { DraftStore } from './drafts';
import { LedgerHealthMonitor } from './health';
import { HeldLineStore } from './held-lines';
import { holdConnection } from './internal';
import { LineStore } from './lines';
import { MasterDataStore } from './master-data';
import type { MigrationReport } from './migrations';
import { OnHandStore } from './onhand';
import { PeopleStore } from './people';
import { ReasonStore } from './reasons';
import { MappingStore, SettingsStore } from './settings-store';
import { SyncStore } from './sync-store';

export type { AuditEventRow, NewAuditEvent } from './audit';
export type { WriteSteps } from './bulk-writes';
export { LEDGER_FILE, type WriteOptions } from './connection';
export type { HeldLineRow } from './held-lines';
export { LATEST_VERSION, LedgerDamagedError, LedgerTooNewError } from './migrations';
export { LedgerOpenError } from './open-errors';
export type { ApiKeyRow, ChangedBy, GuardRow, PersonRow } from './people';
export type { Database } from './schema';

/**
 * The ledger: one SQLite file, and the stores that are the only code writing SQL to it.
 * Every write goes through one gate (`write`, `writeNow`, the bulk writes below): it takes its
 * turn behind an open bulk, runs in one transaction, and the ledger itself tells `onChange`
 * listeners once it has committed. The connection and its transactions stay inside
 * src/main/ledger. `clock` is the time its writers stamp rows with (ingest, void, the sync
 * engine): the system's unless a test gives its own.
 */
export class Ledger {
  readonly lines: LineStore;
  readonly aggregated: AggregatedStore;
  readonly settings: SettingsStore;
  readonly mappings: MappingStore;
  readonly masterData: MasterDataStore;
  readonly drafts: DraftStore;
  readonly diagnostics: DiagnosticsReads;
  readonly onHand: OnHandStore;
  readonly counts: CountStore;
  /** The store's people, their sign-in guards and the store systems' API keys. */
  readonly people: PeopleStore;
  /** The store's reason codes, and the lines waiting for a manager (migration 15). */
  readonly reasons: ReasonStore;
  readonly held: HeldLineStore;
  /** The sync engine's view of the ledger. */
  readonly syncStore: SyncStore;
  /** The append-only audit trail (migration 14, src/main/audit). */
  readonly audit: AuditStore;

  constructor(
    private readonly conn: LedgerConnection,
    readonly clock: Clock = systemClock,
  ) {
    holdConnection(this, conn);
    this.lines = new LineStore(conn);
    this.aggregated = new AggregatedStore(conn);
    this.settings = new SettingsStore(conn);
    this.mappings = new MappingStore(conn);
    this.masterData = new MasterDataStore(conn);
    this.drafts = new DraftStore(conn);
    this.diagnostics = new DiagnosticsReads(conn);
    this.onHand = new OnHandStore(conn);
    this.counts = new CountStore(conn);
    this.people = new PeopleStore(conn);
    this.reasons = new ReasonStore(conn);
    this.held = new HeldLineStore(conn);
    this.syncStore = new SyncStore(conn);
    this.audit = new AuditStore(conn);
  }

  static open(dataDir: string, options: OpenOptions & { clock?: Clock } = {}): Ledger {
    const { clock, ...open } = options;
    return new Ledger(new LedgerConnection(path.join(dataDir, LEDGER_FILE), open), clock);
  }

  /** A write: after any open bulk, in one transaction, announced once committed. */
  write<T>(fn: () => T, options?: WriteOptions): Promise<T> {
    return this.conn.write(fn, options);
  }

  /** A write at once, for a caller that cannot wait (an open bulk is finished first). */
  writeNow<T>(fn: () => T, options?: WriteOptions): T {
    return this.conn.writeNow(fn, options);
  }

  /** A write as steps (ledger/bulk-writes.ts), here and now: for a small request. */
  writeSteps<T>(steps: WriteSteps<T>): T {
    return this.conn.bulk.runHere(steps);
  }

  /** A write as steps, by the bulk writer's thread: the event loop stays free meanwhile. */
  writeBulk<T>(steps: WriteSteps<T>): Promise<T> {
    return this.conn.bulk.run(steps);
  }

  /** Runs `work` in turn with the other bulk writers (arrival order). */
  inTurn<T>(work: () => Promise<T> | T): Promise<T> {
    return this.conn.bulk.exclusive(work);
  }

  /** Committed writes that changed rows. Answers the unsubscribe. */
  onChange(listener: () => void): () => void {
    return this.conn.onChange(listener);
  }

  /** What opening the ledger did to its format (an upgrade keeps a copy). */
  get migration(): MigrationReport {
    return this.conn.migration;
  }

  get filePath(): string {
    return this.conn.filePath;
  }

  /** Disk faults of this ledger (ledger/health.ts). */
  healthMonitor(): LedgerHealthMonitor {
    return new LedgerHealthMonitor(this.conn, this.clock);
  }

  close(): void {
    this.conn.close();
  }
}
