import type { Migration } from './migration';

export const m1: Migration = {
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
};
