import type { Migration } from './migration';

/**
 * Version 15: reason codes and a manager's approval.
 *
 * - `reason_codes`: the store's list of why stock moves (damaged, expired, theft, found, a
 *   receipt corrected, a count), each with the journal name and external reference category it
 *   fills on a line that leaves them empty, and whether a line with it always waits for a
 *   manager. Seeded with the usual codes; a code is never deleted, only made inactive, so old
 *   lines keep a code that means something.
 * - `adjustment_lines.reason_code` (null on lines from before), `approved_by` and
 *   `approved_by_id`: the manager who let a line pass (an override, or a held line approved).
 * - `held_lines`: lines waiting for a manager, outside `adjustment_lines`, so the sync can never
 *   send them. The validated line is kept whole (`line`), with who entered it and why it waits;
 *   once decided it stays as the record of the decision (approved: the line it became).
 *
 * The view is recreated with the new columns (it lists its columns, see migration 9).
 */
export const m15: Migration = {
  version: 15,
  name: 'reasons-approvals',
  up: `
    CREATE TABLE reason_codes (
      code TEXT PRIMARY KEY COLLATE NOCASE,
      words TEXT NOT NULL,
      fno_journal_name_id TEXT,
      external_reference_category TEXT,
      approval_always INTEGER NOT NULL DEFAULT 0 CHECK (approval_always IN (0, 1)),
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      sort INTEGER NOT NULL DEFAULT 0,
      updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      updated_by TEXT
    );
    INSERT INTO reason_codes (code, words, sort) VALUES
      ('DAMAGED', 'Damaged', 1),
      ('EXPIRED', 'Expired', 2),
      ('THEFT', 'Theft or shrink', 3),
      ('FOUND', 'Found', 4),
      ('RECEIPT', 'Receipt correction', 5),
      ('COUNT', 'Count', 6);

    ALTER TABLE adjustment_lines ADD COLUMN reason_code TEXT;
    ALTER TABLE adjustment_lines ADD COLUMN approved_by TEXT;
    ALTER TABLE adjustment_lines ADD COLUMN approved_by_id TEXT;
    CREATE INDEX ix_adjustment_lines_reason ON adjustment_lines (reason_code, seq) WHERE reason_code IS NOT NULL;

    CREATE TABLE held_lines (
      held_id TEXT PRIMARY KEY,
      -- The caller's id of the line: one line waits once.
      line_id TEXT NOT NULL,
      -- The validated line (JSON, as the entry pipeline takes it), and the path it came by.
      line TEXT NOT NULL,
      source TEXT NOT NULL,
      instant_iv INTEGER NOT NULL DEFAULT 0,
      why TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting','approved','refused')),
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_by_id TEXT,
      author_kind TEXT NOT NULL,
      decided_at TEXT,
      decided_by TEXT,
      decided_by_id TEXT,
      refusal TEXT,
      line_record_id TEXT
    );
    CREATE UNIQUE INDEX ux_held_lines_waiting ON held_lines (line_id) WHERE state = 'waiting';
    CREATE INDEX ix_held_lines_state ON held_lines (state, created_at);

    DROP VIEW detailed_lines;
    CREATE VIEW detailed_lines AS
      SELECT l.seq, l.line_record_id, l.id, l.content_hash, l.organization_id, l.product_id,
             l.quantity_data_source, l.physical_measure, l.quantity, l.dimensions, l.site_id,
             l.location_id, l.external_reference_category, l.external_reference_id,
             l.fno_journal_name_id, l.cost_price, l.trans_date, l.instant_iv,
             CASE WHEN a.seq IS NULL THEN l.status ELSE 'Aggregated' END AS status,
             g.aggregated_line_id, l.source, l.created_at, l.created_by, l.iv_posted_at,
             g.created_at AS aggregated_at, l.attempts, l.last_error, l.last_error_kind, l.next_attempt_at,
             l.void_reason, l.voided_at, l.voided_by, l.corrects, l.corrected_by,
             l.iv_maybe_applied, l.iv_sending, l.replaces, l.replaced_by,
             l.created_by_id, l.author_kind, l.voided_by_id,
             l.reason_code, l.approved_by, l.approved_by_id,
             l.status AS line_status, a.aggregated_seq
        FROM adjustment_lines AS l
        LEFT JOIN line_aggregation AS a ON a.seq = l.seq
        LEFT JOIN aggregated_lines AS g ON g.seq = a.aggregated_seq;
  `,
};
