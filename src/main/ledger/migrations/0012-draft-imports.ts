import type { Migration } from './migration';

/**
 * Version 12: drafts that can be repaired. Each file or pasted block added to a draft is kept
 * with its content hash, so the same file imported again (into any draft) is flagged with when
 * it was imported; each row keeps the row number its spreadsheet shows and the block it came
 * from, and cautions (already in the ledger, a large quantity, a number read in the UI's
 * language) beside its errors.
 */
export const m12: Migration = {
  version: 12,
  name: 'draft-imports',
  up: `
    CREATE TABLE draft_imports (
      draft_id TEXT NOT NULL REFERENCES drafts (draft_id),
      block INTEGER NOT NULL,
      source_name TEXT NOT NULL,
      content_hash TEXT NOT NULL,
      row_count INTEGER NOT NULL,
      imported_at TEXT NOT NULL,
      PRIMARY KEY (draft_id, block)
    ) WITHOUT ROWID;
    CREATE INDEX ix_draft_imports_hash ON draft_imports (content_hash);
    ALTER TABLE draft_rows ADD COLUMN block INTEGER;
    ALTER TABLE draft_rows ADD COLUMN source_row INTEGER;
    -- JSON list of {field, message}: worth a look, never a refusal; NULL when there is none.
    ALTER TABLE draft_rows ADD COLUMN cautions TEXT;
    ALTER TABLE drafts ADD COLUMN caution_count INTEGER NOT NULL DEFAULT 0;
    -- A row is edited or deleted by the number the clerk sees: its file or block, and its row there.
    CREATE INDEX ix_draft_rows_source ON draft_rows (draft_id, block, source_row);
    -- Rows of drafts from before: one block per draft, numbered as the draft numbered them (their
    -- ids were stored with them, so they post as before); the hash is no file's, never matched.
    INSERT INTO draft_imports (draft_id, block, source_name, content_hash, row_count, imported_at)
      SELECT d.draft_id, 1, 'rows added before this version', 'before-v12:' || d.draft_id, d.row_count, d.created_at
        FROM drafts d WHERE EXISTS (SELECT 1 FROM draft_rows r WHERE r.draft_id = d.draft_id);
    UPDATE draft_rows SET block = 1, source_row = row_number;
    UPDATE drafts SET error_count = (SELECT count(*) FROM draft_rows r WHERE r.draft_id = drafts.draft_id AND r.errors IS NOT NULL);
  `,
};
