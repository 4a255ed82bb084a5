import type { Migration } from './migration';

/**
 * Version 10: one entry pipeline. A scanned barcode is read as its item and variant before the
 * line is stored, and the entry check keeps the code that was scanned.
 *
 * Void and correct offline. What decides whether a Created line may be voided is
 * whether IV may have applied it, not how often the IV job tried:
 * - `iv_sending` is 1 from just before an IV call carrying the line leaves until that call's
 *   outcome is committed. Still 1 when Store Ledger starts means the process stopped with the
 *   call on the wire: the sync engine turns it into `iv_maybe_applied` before any run.
 * - `iv_maybe_applied` is 1 once a call may have applied the line without saying so (a timeout,
 *   a connection dropped after sending, an answer that did not confirm it, a server error), or
 *   once IV took it. A line that never reached IV (the store was offline) stays 0 however
 *   often the job tried, and can be voided. Lines tried before this version are marked when
 *   they were tried at all: their attempts' outcomes were not kept.
 * - `replaces` / `replaced_by`: Correct may post, with the reversing line, the line that should
 *   have been recorded (another site, say); both are linked to the original.
 * The view is recreated with the new columns (it lists its columns, see migration 9).
 */
export const m10: Migration = {
  version: 10,
  name: 'entry-pipeline',
  up: `
    ALTER TABLE line_entry_checks ADD COLUMN scanned_code TEXT;
    ALTER TABLE adjustment_lines ADD COLUMN iv_maybe_applied INTEGER NOT NULL DEFAULT 0;
    UPDATE adjustment_lines SET iv_maybe_applied = 1 WHERE status = 'Created' AND attempts > 0;
    ALTER TABLE adjustment_lines ADD COLUMN iv_sending INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE adjustment_lines ADD COLUMN replaces TEXT;
    ALTER TABLE adjustment_lines ADD COLUMN replaced_by TEXT;

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
             l.status AS line_status, a.aggregated_seq
        FROM adjustment_lines AS l
        LEFT JOIN line_aggregation AS a ON a.seq = l.seq
        LEFT JOIN aggregated_lines AS g ON g.seq = a.aggregated_seq;
  `,
};
