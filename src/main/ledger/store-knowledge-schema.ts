import type { Generated, Selectable } from 'kysely';

/** Tables of migration 6 (and the columns later ones add): the master-data copy, entry checks, draft batches, counts. */
export interface MdProductsTable {
  organization_id: string;
  item_number: string;
  name: string | null;
  tracking_group: string | null;
}
export interface MdBarcodesTable {
  organization_id: string;
  barcode: string;
  item_number: string;
  /** JSON object of canonical dimension names. */
  dimensions: string;
}
export interface MdSitesTable {
  organization_id: string;
  site_id: string;
  name: string | null;
}
export interface MdWarehousesTable {
  organization_id: string;
  warehouse_id: string;
  site_id: string | null;
  name: string | null;
}
export interface MdJournalNamesTable {
  organization_id: string;
  journal_name_id: string;
  description: string | null;
}
export interface MdRefreshesTable {
  organization_id: string;
  refreshed_at: string;
  /** JSON: rows per entity. */
  counts: string;
  /** JSON list of notes in words. */
  notes: string;
  /** 0 when the journal-name entity could not be read: journal names are then not checked. */
  journal_names_known: number;
}
export interface LineEntryChecksTable {
  line_record_id: string;
  checked_at: string;
  master_data_as_of: string | null;
  item_name: string | null;
  /** JSON list of {field, message}. */
  warnings: string;
  /** Migration 10: the barcode scanned, when the line's item and variant were read from it. */
  scanned_code: Generated<string | null>;
}
export interface DraftsTable {
  draft_id: string;
  name: string;
  state: 'Open' | 'Posted';
  created_at: string;
  updated_at: string;
  posted_at: string | null;
  row_count: Generated<number>;
  error_count: Generated<number>;
  /** Migration 12: rows with cautions (already imported, large quantity, …). */
  caution_count: Generated<number>;
  /** Migration 13: who posted it (a name) and their stable ID. */
  posted_by: Generated<string | null>;
  posted_by_id: Generated<string | null>;
}
/** Migration 12: each file or pasted block added to a draft. */
export interface DraftImportsTable {
  draft_id: string;
  /** The draft's nth file or block, from 1. */
  block: number;
  /** The file's name, or "pasted block". */
  source_name: string;
  /** sha256 of the file's bytes or the block's text: the same file imported again is recognised. */
  content_hash: string;
  row_count: number;
  imported_at: string;
}
export interface DraftRowsTable {
  draft_id: string;
  row_number: number;
  line_id: string;
  /** JSON: the row as entered (before validation), so a draft keeps bad rows to fix. */
  line: string;
  /** JSON list of {field, message}; null when the row is valid. */
  errors: string | null;
  /** Migration 12: the block it came from, and the row number its spreadsheet shows (header = 1). */
  block: Generated<number | null>;
  source_row: Generated<number | null>;
  /** Migration 12: JSON list of {field, message} worth a look; null when there is none. */
  cautions: Generated<string | null>;
}

export interface OnhandCacheTable {
  organization_id: string;
  product_id: string;
  site_id: string;
  location_id: string;
  /** JSON of the product dimensions IV grouped by (sorted keys), `{}` for none. */
  dims: string;
  iv_quantity: number;
  /** JSON: IV's quantities per data source and measure. */
  quantities: string;
  queried_at: string;
}
export interface CountsTable {
  count_id: string;
  reference: string;
  organization_id: string;
  site_id: string;
  location_id: string;
  state: 'Open' | 'Applied';
  created_at: string;
  applied_at: string | null;
  /** Migration 11: the highest item number given (removed items' numbers are not reused). */
  items_numbered: Generated<number>;
  /** Migration 13: who applied it (a name) and their stable ID. */
  applied_by: Generated<string | null>;
  applied_by_id: Generated<string | null>;
}
export interface CountItemsTable {
  count_id: string;
  item_key: string;
  product_id: string;
  /** JSON: the product dimensions of the counted item (colorId, sizeId, …). */
  dimensions: string;
  counted: number;
  /** IV's on-hand compared with; null when IV was never queried for it. */
  iv_quantity: number | null;
  iv_queried_at: string | null;
  /** 1: IV answered at the count; 0: the cached figure (or none) was used, offline. */
  iv_live: number;
  pending: number;
  counted_at: string;
  /** Order of the count's items, for deterministic line ids. */
  seq: number;
  /** Migration 11: what Apply compared the count with, and the adjustment it posted. */
  applied_on_hand: Generated<number | null>;
  applied_on_hand_at: Generated<string | null>;
  applied_pending: Generated<number | null>;
  applied_basis: Generated<'live' | 'last_known' | null>;
  applied_delta: Generated<number | null>;
  applied_line_id: Generated<string | null>;
}

export interface StoreKnowledgeTables {
  onhand_cache: OnhandCacheTable;
  counts: CountsTable;
  count_items: CountItemsTable;
  md_products: MdProductsTable;
  md_barcodes: MdBarcodesTable;
  md_sites: MdSitesTable;
  md_warehouses: MdWarehousesTable;
  md_journal_names: MdJournalNamesTable;
  md_refreshes: MdRefreshesTable;
  line_entry_checks: LineEntryChecksTable;
  drafts: DraftsTable;
  draft_rows: DraftRowsTable;
  draft_imports: DraftImportsTable;
}

export type MdRefreshRow = Selectable<MdRefreshesTable>;
export type DraftRow = Selectable<DraftsTable>;
