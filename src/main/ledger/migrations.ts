import fs from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  /** SQL; or, for a step SQL alone cannot write (a table rebuilt from its own schema), code. */
  up: string | ((db: BetterSqlite3.Database) => void);
}

const LINE_STATUS_CHECK = "CHECK (status IN ('Created','IVPosted','Aggregated'))";

/**
 * Version 5 (issue 9): a Voided line status, the void's reason, and the link between a line
 * and the reversing line that corrects it. SQLite cannot change a CHECK in place, so the
 * table is rebuilt from its own stored schema (whatever columns earlier steps added), its
 * rows copied, and its indexes and triggers recreated from their stored SQL.
 */
function voidAndCorrect(db: BetterSqlite3.Database): void {
  const table = db
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'adjustment_lines'")
    .pluck()
    .get() as string | undefined;
  if (!table?.includes(LINE_STATUS_CHECK))
    throw new Error('adjustment_lines does not have the status check this step expects');
  const dependents = db
    .prepare(
      "SELECT sql FROM sqlite_master WHERE tbl_name = 'adjustment_lines' AND type IN ('index', 'trigger') AND sql IS NOT NULL",
    )
    .pluck()
    .all() as string[];
  db.exec(
    table
      .replace(/^CREATE TABLE "?adjustment_lines"?/, 'CREATE TABLE adjustment_lines_v5')
      .replace(LINE_STATUS_CHECK, "CHECK (status IN ('Created','IVPosted','Aggregated','Voided'))"),
  );
  db.exec(`
    INSERT INTO adjustment_lines_v5 SELECT * FROM adjustment_lines;
    DROP TABLE adjustment_lines;
    ALTER TABLE adjustment_lines_v5 RENAME TO adjustment_lines;
  `);
  for (const sql of dependents) db.exec(sql);
  db.exec(`
    ALTER TABLE adjustment_lines ADD COLUMN void_reason TEXT;
    ALTER TABLE adjustment_lines ADD COLUMN voided_at TEXT;
    ALTER TABLE adjustment_lines ADD COLUMN voided_by TEXT;
    -- The line this one reverses, and the line that reverses this one.
    ALTER TABLE adjustment_lines ADD COLUMN corrects TEXT;
    ALTER TABLE adjustment_lines ADD COLUMN corrected_by TEXT;
    INSERT INTO line_status_counts VALUES ('Voided', 0);
  `);
}

/**
 * Bundled, forward-only. Never edit a released migration: add the next one.
 * Each runs in its own transaction together with the bump of `user_version`.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'ledger',
    up: `
      CREATE TABLE aggregated_lines (
        seq INTEGER PRIMARY KEY,
        aggregated_line_id TEXT NOT NULL UNIQUE,
        aggregation_key TEXT NOT NULL,
        organization_id TEXT NOT NULL,
        product_id TEXT NOT NULL,
        quantity_data_source TEXT NOT NULL,
        physical_measure TEXT NOT NULL,
        dimensions TEXT NOT NULL,
        site_id TEXT NOT NULL,
        location_id TEXT NOT NULL,
        fno_journal_name_id TEXT,
        cost_price REAL,
        trans_date TEXT NOT NULL,
        quantity REAL NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('Created','DoNotSync','FnOSent','FnOCreateError','FnOCreated','FnOPostError','FnOPosted')),
        status_reason TEXT,
        target_transaction_status TEXT NOT NULL CHECK (target_transaction_status IN ('None','Created','Posted')),
        journal_batch_id TEXT,
        journal_number TEXT,
        journal_line_number INTEGER,
        detailed_line_count INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        last_error_kind TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX ix_aggregated_status ON aggregated_lines (status, seq);
      CREATE INDEX ix_aggregated_product ON aggregated_lines (product_id, seq);
      CREATE INDEX ix_aggregated_journal ON aggregated_lines (journal_number) WHERE journal_number IS NOT NULL;
      CREATE INDEX ix_aggregated_batch ON aggregated_lines (journal_batch_id) WHERE journal_batch_id IS NOT NULL;
      CREATE INDEX ix_aggregated_created ON aggregated_lines (created_at);

      CREATE TABLE adjustment_lines (
        seq INTEGER PRIMARY KEY,
        line_record_id TEXT NOT NULL UNIQUE,
        id TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        organization_id TEXT NOT NULL,
        product_id TEXT NOT NULL,
        quantity_data_source TEXT NOT NULL,
        physical_measure TEXT NOT NULL,
        quantity REAL NOT NULL,
        dimensions TEXT NOT NULL,
        site_id TEXT NOT NULL,
        location_id TEXT NOT NULL,
        external_reference_category TEXT,
        external_reference_id TEXT,
        fno_journal_name_id TEXT,
        cost_price REAL,
        trans_date TEXT NOT NULL,
        instant_iv INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('Created','IVPosted','Aggregated')),
        aggregated_line_id TEXT REFERENCES aggregated_lines (aggregated_line_id),
        source TEXT NOT NULL CHECK (source IN ('api','form','import')),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        iv_posted_at TEXT,
        aggregated_at TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        last_error_kind TEXT,
        next_attempt_at TEXT
      );
      CREATE INDEX ix_lines_status ON adjustment_lines (status, seq);
      CREATE INDEX ix_lines_product ON adjustment_lines (product_id, seq);
      CREATE INDEX ix_lines_location ON adjustment_lines (location_id, site_id);
      CREATE INDEX ix_lines_extref ON adjustment_lines (external_reference_id) WHERE external_reference_id IS NOT NULL;
      CREATE INDEX ix_lines_created ON adjustment_lines (created_at);
      CREATE INDEX ix_lines_aggregated ON adjustment_lines (aggregated_line_id) WHERE aggregated_line_id IS NOT NULL;

      -- Grid totals and sync status read these instead of counting a million rows.
      CREATE TABLE line_status_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO line_status_counts VALUES ('Created', 0), ('IVPosted', 0), ('Aggregated', 0);
      -- Inserts are counted by LineStore.insertMany, once per batch: a per-row trigger
      -- cost bulk ingest a quarter of its speed.
      CREATE TRIGGER tr_lines_count_update AFTER UPDATE OF status ON adjustment_lines WHEN OLD.status <> NEW.status BEGIN
        UPDATE line_status_counts SET n = n - 1 WHERE status = OLD.status;
        UPDATE line_status_counts SET n = n + 1 WHERE status = NEW.status;
      END;
      CREATE TRIGGER tr_lines_count_delete AFTER DELETE ON adjustment_lines BEGIN
        UPDATE line_status_counts SET n = n - 1 WHERE status = OLD.status;
      END;

      CREATE TABLE aggregated_status_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO aggregated_status_counts VALUES ('Created', 0), ('DoNotSync', 0), ('FnOSent', 0),
        ('FnOCreateError', 0), ('FnOCreated', 0), ('FnOPostError', 0), ('FnOPosted', 0);
      CREATE TRIGGER tr_aggregated_count_insert AFTER INSERT ON aggregated_lines BEGIN
        UPDATE aggregated_status_counts SET n = n + 1 WHERE status = NEW.status;
      END;
      CREATE TRIGGER tr_aggregated_count_update AFTER UPDATE OF status ON aggregated_lines WHEN OLD.status <> NEW.status BEGIN
        UPDATE aggregated_status_counts SET n = n - 1 WHERE status = OLD.status;
        UPDATE aggregated_status_counts SET n = n + 1 WHERE status = NEW.status;
      END;
      CREATE TRIGGER tr_aggregated_count_delete AFTER DELETE ON aggregated_lines BEGIN
        UPDATE aggregated_status_counts SET n = n - 1 WHERE status = OLD.status;
      END;

      CREATE TABLE journal_batches (
        batch_id TEXT PRIMARY KEY,
        organization_id TEXT NOT NULL,
        journal_name_id TEXT,
        state TEXT NOT NULL CHECK (state IN ('Sending','Enqueued','Imported','Done')),
        message_id TEXT,
        job_state TEXT,
        execution_log TEXT,
        line_count INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX ix_batches_state ON journal_batches (state);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE mappings (
        seq INTEGER PRIMARY KEY,
        measure_key TEXT NOT NULL UNIQUE,
        physical_measure TEXT NOT NULL,
        target_transaction_type TEXT NOT NULL,
        target_transaction_status TEXT NOT NULL CHECK (target_transaction_status IN ('None','Created','Posted'))
      );
      INSERT INTO mappings (measure_key, physical_measure, target_transaction_type, target_transaction_status)
        VALUES ('adjustment', 'adjustment', 'InventoryAdjustmentJournal', 'Posted');

      CREATE TABLE sync_runs (
        run_id INTEGER PRIMARY KEY,
        job TEXT NOT NULL CHECK (job IN ('iv','fno')),
        trigger TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        outcome TEXT NOT NULL,
        message TEXT,
        counts TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX ix_runs_job ON sync_runs (job, run_id);

      CREATE TABLE sync_attempts (
        attempt_id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES sync_runs (run_id),
        job TEXT NOT NULL,
        action TEXT NOT NULL,
        at TEXT NOT NULL,
        duration_ms INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        request TEXT,
        response TEXT
      );

      CREATE TABLE sync_attempt_targets (
        target_id TEXT NOT NULL,
        attempt_id INTEGER NOT NULL REFERENCES sync_attempts (attempt_id),
        outcome TEXT NOT NULL,
        message TEXT,
        PRIMARY KEY (target_id, attempt_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'sync',
    up: `
      -- Set before an enqueue whose outcome may become unknown (crash, timeout, lost answer):
      -- the next attempt reads the batch's lines back from SCM before sending any of them again.
      ALTER TABLE journal_batches ADD COLUMN read_back_first INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE journal_batches ADD COLUMN target_status TEXT;
      ALTER TABLE journal_batches ADD COLUMN last_error TEXT;
      CREATE INDEX ix_attempts_run ON sync_attempts (run_id);
      CREATE INDEX ix_aggregated_posting ON aggregated_lines (journal_number, organization_id)
        WHERE status = 'FnOCreated';
    `,
  },
  {
    version: 4,
    name: 'dynamics-contract',
    up: `
      -- A batch is now one data package (or single file) of one company, holding up to
      -- "journals per package" journals (docs/dynamics-contract.md). Batches in flight carry
      -- over as they are: Sending ones that may have reached SCM already have read_back_first = 1,
      -- Enqueued ones keep polling their message, Imported ones are read back. Nothing SCM
      -- holds is sent again.
      ALTER TABLE journal_batches ADD COLUMN journal_count INTEGER NOT NULL DEFAULT 1;
      -- The DMF execution ID from job status, for GetExecutionErrors.
      ALTER TABLE journal_batches ADD COLUMN execution_id TEXT;
      -- GetExecutionErrors' messages (JSON list), shown on the lines SCM did not create.
      ALTER TABLE journal_batches ADD COLUMN execution_errors TEXT;
      -- Job status replies without a known state: how many, since when. Bounded, then read back.
      ALTER TABLE journal_batches ADD COLUMN unknown_polls INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE journal_batches ADD COLUMN unknown_since TEXT;
      -- Since when SCM's posting job has had the line's journal to post (creation, or a
      -- clerk's retry): the overdue rule counts from here. When SCM posted it (PostedDateTime).
      ALTER TABLE aggregated_lines ADD COLUMN posting_since TEXT;
      ALTER TABLE aggregated_lines ADD COLUMN fno_posted_at TEXT;
      UPDATE aggregated_lines SET posting_since = updated_at
        WHERE status IN ('FnOCreated', 'FnOPostError') AND target_transaction_status = 'Posted';
    `,
  },
  {
    version: 5,
    name: 'void and correct',
    up: voidAndCorrect,
  },
  {
    version: 6,
    name: 'store-knowledge',
    up: `
      -- The store's copy of SCM's master data, one organization at a time (replaced whole on
      -- refresh). NOCASE: SCM compares codes without regard to case.
      CREATE TABLE md_products (
        organization_id TEXT NOT NULL COLLATE NOCASE,
        item_number TEXT NOT NULL COLLATE NOCASE,
        name TEXT,
        tracking_group TEXT,
        PRIMARY KEY (organization_id, item_number)
      ) WITHOUT ROWID;
      CREATE TABLE md_barcodes (
        organization_id TEXT NOT NULL COLLATE NOCASE,
        barcode TEXT NOT NULL,
        item_number TEXT NOT NULL,
        dimensions TEXT NOT NULL,
        PRIMARY KEY (organization_id, barcode)
      ) WITHOUT ROWID;
      CREATE TABLE md_sites (
        organization_id TEXT NOT NULL COLLATE NOCASE,
        site_id TEXT NOT NULL COLLATE NOCASE,
        name TEXT,
        PRIMARY KEY (organization_id, site_id)
      ) WITHOUT ROWID;
      CREATE TABLE md_warehouses (
        organization_id TEXT NOT NULL COLLATE NOCASE,
        warehouse_id TEXT NOT NULL COLLATE NOCASE,
        site_id TEXT COLLATE NOCASE,
        name TEXT,
        PRIMARY KEY (organization_id, warehouse_id)
      ) WITHOUT ROWID;
      CREATE TABLE md_journal_names (
        organization_id TEXT NOT NULL COLLATE NOCASE,
        journal_name_id TEXT NOT NULL COLLATE NOCASE,
        description TEXT,
        PRIMARY KEY (organization_id, journal_name_id)
      ) WITHOUT ROWID;
      CREATE TABLE md_refreshes (
        organization_id TEXT PRIMARY KEY COLLATE NOCASE,
        refreshed_at TEXT NOT NULL,
        counts TEXT NOT NULL,
        notes TEXT NOT NULL,
        journal_names_known INTEGER NOT NULL
      ) WITHOUT ROWID;
      -- What the copy said about a line when it was entered, so a later SCM error can say
      -- whether the store's copy knew the item too.
      CREATE TABLE line_entry_checks (
        line_record_id TEXT PRIMARY KEY,
        checked_at TEXT NOT NULL,
        master_data_as_of TEXT,
        item_name TEXT,
        warnings TEXT NOT NULL
      ) WITHOUT ROWID;

      -- Draft batches: rows waiting to enter the ledger, kept across restarts.
      CREATE TABLE drafts (
        draft_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('Open','Posted')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        posted_at TEXT,
        row_count INTEGER NOT NULL DEFAULT 0,
        error_count INTEGER NOT NULL DEFAULT 0
      );
      -- What IV said at its last exact query, per product, warehouse and product dimensions
      -- (dims: JSON of the dimensions IV grouped by), for the on-hand view when offline.
      CREATE TABLE onhand_cache (
        organization_id TEXT NOT NULL COLLATE NOCASE,
        product_id TEXT NOT NULL COLLATE NOCASE,
        site_id TEXT NOT NULL COLLATE NOCASE,
        location_id TEXT NOT NULL COLLATE NOCASE,
        dims TEXT NOT NULL,
        iv_quantity REAL NOT NULL,
        quantities TEXT NOT NULL,
        queried_at TEXT NOT NULL,
        PRIMARY KEY (organization_id, product_id, site_id, location_id, dims)
      ) WITHOUT ROWID;
      CREATE INDEX ix_lines_onhand ON adjustment_lines (organization_id, product_id, site_id, location_id);

      -- Counts: a draft until applied; one row per item and product dimensions (a recount replaces it).
      CREATE TABLE counts (
        count_id TEXT PRIMARY KEY,
        reference TEXT NOT NULL,
        organization_id TEXT NOT NULL,
        site_id TEXT NOT NULL,
        location_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('Open','Applied')),
        created_at TEXT NOT NULL,
        applied_at TEXT
      );
      CREATE TABLE count_items (
        count_id TEXT NOT NULL REFERENCES counts (count_id),
        item_key TEXT NOT NULL,
        product_id TEXT NOT NULL,
        dimensions TEXT NOT NULL,
        counted REAL NOT NULL,
        iv_quantity REAL,
        iv_queried_at TEXT,
        iv_live INTEGER NOT NULL,
        pending REAL NOT NULL,
        counted_at TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (count_id, item_key)
      ) WITHOUT ROWID;

      CREATE TABLE draft_rows (
        draft_id TEXT NOT NULL REFERENCES drafts (draft_id),
        row_number INTEGER NOT NULL,
        -- The line's id, so that a repeated id is found as rows are added, not by a scan at post.
        line_id TEXT NOT NULL,
        line TEXT NOT NULL,
        -- JSON list of {field, message} from the shared schema; NULL when the row is valid.
        errors TEXT,
        PRIMARY KEY (draft_id, row_number)
      ) WITHOUT ROWID;
      CREATE INDEX ix_draft_rows_id ON draft_rows (draft_id, line_id);
    `,
  },
  {
    version: 7,
    name: 'aggregation-by-key',
    up: `
      -- A run writes one aggregated line per key however large the backlog: it inserts them
      -- pending, points the detailed lines at them in short slices, then seals them. A run cut
      -- short leaves them pending; the next run finishes them before anything is sent.
      ALTER TABLE aggregated_lines ADD COLUMN pending_through_seq INTEGER;
      CREATE INDEX ix_aggregated_pending ON aggregated_lines (pending_through_seq)
        WHERE pending_through_seq IS NOT NULL;
    `,
  },
];

export const LATEST_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

export class LedgerTooNewError extends Error {
  constructor(
    readonly fileVersion: number,
    readonly appVersion: number,
  ) {
    super(
      `This ledger was written by a newer Store Ledger (ledger format ${fileVersion}; this app reads up to ${appVersion}). ` +
        'Install the newer Store Ledger, or open a different data folder. The file was not changed.',
    );
    this.name = 'LedgerTooNewError';
  }
}

/** The ledger file cannot be used as it is: empty, not a SQLite file, or damaged. Words and the path, no stack. */
export class LedgerDamagedError extends Error {
  constructor(
    readonly filePath: string,
    problem: string,
  ) {
    super(
      `The ledger ${filePath} ${problem}. Store Ledger did not open it and changed nothing. ` +
        'Restore it from a backup (a ledger.sqlite.v<N>.bak beside it, or your own), or move it aside to start an empty ledger.',
    );
    this.name = 'LedgerDamagedError';
  }
}

export interface MigrationReport {
  from: number;
  to: number;
  backupPath: string | null;
}

function hasTables(db: BetterSqlite3.Database): boolean {
  const row = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as {
    n: number;
  };
  return row.n > 0;
}

/** Where the copy taken before upgrading from `fromVersion` lives: one per schema step, beside the ledger. */
export function backupPathFor(filePath: string, fromVersion: number): string {
  return `${filePath}.v${fromVersion}.bak`;
}

/**
 * A consistent copy (VACUUM INTO) written under a temporary name and renamed over the
 * step's backup: however often a failed upgrade is retried, there is at most one backup
 * per schema step, never a half-written one, and no temporary file left behind.
 */
function writeBackup(db: BetterSqlite3.Database, backupPath: string): void {
  const temp = `${backupPath}.tmp`;
  fs.rmSync(temp, { force: true });
  try {
    db.prepare('VACUUM INTO ?').run(temp);
    fs.chmodSync(temp, 0o600);
    fs.renameSync(temp, backupPath);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Brings the file to the latest version. Before touching a ledger that holds data, a
 * consistent copy is written beside it (`ledger.sqlite.v<from>.bak`), so a failed upgrade
 * loses nothing.
 */
export function migrate(
  db: BetterSqlite3.Database,
  filePath: string,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationReport {
  const latest = Math.max(...migrations.map((m) => m.version));
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > latest) throw new LedgerTooNewError(from, latest);
  const pending = migrations.filter((m) => m.version > from).sort((a, b) => a.version - b.version);
  if (pending.length === 0) return { from, to: from, backupPath: null };

  let backupPath: string | null = null;
  if (filePath !== ':memory:' && hasTables(db)) {
    backupPath = backupPathFor(filePath, from);
    writeBackup(db, backupPath);
  }
  for (const migration of pending) {
    db.transaction(() => {
      if (typeof migration.up === 'string') db.exec(migration.up);
      else migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return { from, to: latest, backupPath };
}
