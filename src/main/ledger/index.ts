import path from 'node:path';
import { type Clock, systemClock } from '../clock';
import { AggregatedStore } from './aggregated';
import { LEDGER_FILE, LedgerConnection, type OpenOptions } from './connection';
import { CountStore } from './counts';
import { DiagnosticsReads } from './diagnostics-reads';
import { DraftStore } from './drafts';
import { LineStore } from './lines';
import { MasterDataStore } from './master-data';
import { OnHandStore } from './onhand';
import { MappingStore, SettingsStore } from './settings-store';

export { LATEST_VERSION, LedgerDamagedError, LedgerTooNewError } from './migrations';
export { LedgerOpenError } from './open-errors';
export type { Database } from './schema';

/**
 * The ledger: one SQLite file, and the stores that are the only code writing SQL to it. `clock`
 * is the time its writers stamp rows with (ingest, void, the sync engine): the system's unless a
 * test gives its own.
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

  constructor(
    readonly conn: LedgerConnection,
    readonly clock: Clock = systemClock,
  ) {
    this.lines = new LineStore(conn);
    this.aggregated = new AggregatedStore(conn);
    this.settings = new SettingsStore(conn);
    this.mappings = new MappingStore(conn);
    this.masterData = new MasterDataStore(conn);
    this.drafts = new DraftStore(conn);
    this.diagnostics = new DiagnosticsReads(conn);
    this.onHand = new OnHandStore(conn);
    this.counts = new CountStore(conn);
  }

  static open(dataDir: string, options: OpenOptions & { clock?: Clock } = {}): Ledger {
    const { clock, ...open } = options;
    return new Ledger(new LedgerConnection(path.join(dataDir, LEDGER_FILE), open), clock);
  }

  transaction<T>(fn: () => T): T {
    return this.conn.transaction(fn);
  }

  close(): void {
    this.conn.close();
  }
}
