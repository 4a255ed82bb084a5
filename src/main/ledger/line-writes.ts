/**
 * The ingest's writes of new lines, as write requests (statement-runs.ts) that the bulk writer's
 * thread or the main connection runs inside one transaction: the one INSERT of a line, and the
 * status counter that moves once per request.
 */
import type { LineStatus } from '../../shared/status';
import type { AdjustmentLineRow, NewAdjustmentLine } from './schema';
import type { WriteRequest } from './statement-runs';

/** Lines are born Created (domain.md §1). */
const BORN: LineStatus = 'Created';

/** What idempotency needs of a line already in the ledger. */
export type ExistingLine = Pick<AdjustmentLineRow, 'id' | 'content_hash' | 'line_record_id' | 'status'>;
/** Hot path (ingest): the row a refused insert collides with. Parameter: id; row: ExistingLine. */
const FIND_BY_CALLER_ID =
  'SELECT id, content_hash, line_record_id, status FROM adjustment_lines WHERE id = ?';

/** Hot path (ingest): one line. Parameters in the order of `insertLines`' rows. */
const INSERT_LINE = `INSERT INTO adjustment_lines (line_record_id, id, content_hash, organization_id, product_id,
    quantity_data_source, physical_measure, quantity, dimensions, site_id, location_id,
    external_reference_category, external_reference_id, fno_journal_name_id, cost_price, trans_date,
    instant_iv, status, source, created_at, created_by, created_by_id, author_kind,
    reason_code, approved_by, approved_by_id)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
   ON CONFLICT (id) DO NOTHING`;

/**
 * The ingest hot path, as a write request (statement-runs.ts): one prepared insert per row.
 * A row whose caller `id` is already in the ledger is skipped by the UNIQUE(id) index itself
 * (ON CONFLICT DO NOTHING), so new lines cost no lookup; a skipped row comes back with the
 * line already in the ledger (an `ExistingLine`). Lines are born Created; the status counter
 * moves once per request (`countCreated`).
 */
export function insertLines(rows: readonly NewAdjustmentLine[]): WriteRequest {
  return {
    op: 'insert',
    sql: INSERT_LINE,
    find: FIND_BY_CALLER_ID,
    key: 1,
    rows: rows.map((r) => [
      r.line_record_id,
      r.id,
      r.content_hash,
      r.organization_id,
      r.product_id,
      r.quantity_data_source,
      r.physical_measure,
      r.quantity,
      r.dimensions,
      r.site_id,
      r.location_id,
      r.external_reference_category,
      r.external_reference_id,
      r.fno_journal_name_id,
      r.cost_price,
      r.trans_date,
      r.instant_iv ?? 0,
      BORN,
      r.source,
      r.created_at,
      r.created_by,
      r.created_by_id,
      r.author_kind,
      r.reason_code ?? null,
      r.approved_by ?? null,
      r.approved_by_id ?? null,
    ]),
  };
}

/** Parameters: lines inserted, their status. */
const COUNT_CREATED = 'UPDATE line_status_counts SET n = n + ? WHERE status = ?';

/** Inserts are counted once per request: a per-row trigger would double the cost of ingest (migration 0001). */
export function countCreated(inserted: number): WriteRequest {
  return {
    op: 'run',
    sql: COUNT_CREATED,
    rows: [[inserted, BORN]],
  };
}
