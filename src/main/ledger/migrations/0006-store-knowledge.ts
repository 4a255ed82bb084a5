import type { Migration } from './migration';

export const m6: Migration = {
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
};
