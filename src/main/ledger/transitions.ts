import {
  AGGREGATED_STATUSES,
  type AggregatedStatus,
  canMoveAggregated,
  canMoveLine,
  LINE_STATUSES,
  type LineStatus,
} from '../../shared/status';
import type { LedgerConnection } from './connection';
import type { AggregatedLinesTable, NewAggregatedLine } from './schema';

/**
 * The one place that writes a status. Every UPDATE here carries `status IN (<the statuses
 * allowed to move to the target>)` from shared/status.ts, so a transition the contract
 * does not allow can never be written, whatever the caller believed the status was.
 */

export function lineSources(to: LineStatus): LineStatus[] {
  return LINE_STATUSES.filter((from) => canMoveLine(from, to));
}

export function aggregatedSources(to: AggregatedStatus): AggregatedStatus[] {
  return AGGREGATED_STATUSES.filter((from) => canMoveAggregated(from, to));
}

function inList(values: readonly string[]): string {
  if (values.length === 0) throw new Error('no status may move there');
  return values.map((v) => `'${v}'`).join(',');
}

export interface LineMoveFields {
  iv_posted_at?: string | null;
  last_error?: string | null;
  last_error_kind?: string | null;
  next_attempt_at?: string | null;
  /** Adds to `attempts`. */
  attemptsDelta?: number;
}

export type AggregatedMoveFields = Partial<
  Pick<
    AggregatedLinesTable,
    | 'status_reason'
    | 'journal_batch_id'
    | 'journal_number'
    | 'journal_line_number'
    | 'last_error'
    | 'last_error_kind'
    | 'posting_since'
    | 'fno_posted_at'
  >
> & { attemptsDelta?: number };

export interface AggregatedMove {
  id: string;
  fields?: AggregatedMoveFields;
}

export interface MoveResult {
  moved: string[];
  refused: { id: string; from: AggregatedStatus | null }[];
}

/** `status = ?, updated_at = ?, col = ?, attempts = attempts + ?` and the values in the same order. */
function setClause(fields: Record<string, unknown>): { sql: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  for (const [column, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    parts.push(column === 'attemptsDelta' ? 'attempts = attempts + ?' : `${column} = ?`);
    values.push(value);
  }
  return { sql: parts.join(', '), values };
}

export class StatusWriter {
  constructor(private readonly conn: LedgerConnection) {}

  /** Moves detailed lines by record ID; answers the IDs that moved (the others were not in a source status). */
  moveLines(ids: readonly string[], to: LineStatus, fields: LineMoveFields = {}): string[] {
    const set = setClause({ status: to, ...fields });
    const statement = this.conn.prepare(
      `UPDATE adjustment_lines SET ${set.sql} WHERE line_record_id = ? AND status IN (${inList(lineSources(to))})`,
    );
    const moved: string[] = [];
    for (const id of ids) if (statement.run(...set.values, id).changes > 0) moved.push(id);
    return moved;
  }

  /**
   * Aggregation's set-based move: every line of `temp.aggregation_slice` (filled by the
   * aggregation store in the same transaction) goes IVPosted → Aggregated and points at its
   * key's aggregated line; the slice lies in (`afterSeq`, `lastSeq`]. Answers how many moved.
   */
  aggregateSlice(at: string, afterSeq: number, lastSeq: number): number {
    if (!canMoveLine('IVPosted', 'Aggregated')) throw new Error('IVPosted → Aggregated is not allowed');
    return this.conn
      .prepare(
        `UPDATE adjustment_lines
            SET status = 'Aggregated', aggregated_at = ?, aggregated_line_id = x.id
           FROM (SELECT s.seq AS seq, g.aggregated_line_id AS id
                   FROM temp.aggregation_slice AS s JOIN aggregated_lines AS g ON g.seq = s.aggregated_seq) AS x
          WHERE adjustment_lines.seq = x.seq AND adjustment_lines.seq > ? AND adjustment_lines.seq <= ?
            AND +adjustment_lines.status IN (${inList(lineSources('Aggregated'))})`,
      )
      .run(at, afterSeq, lastSeq).changes;
  }

  /**
   * A new aggregated line is born Created, or goes straight on to DoNotSync (Created → DoNotSync).
   * Answers the seq of the last one inserted.
   */
  insertAggregated(rows: readonly NewAggregatedLine[]): number {
    const statement = this.conn.prepare(
      `INSERT INTO aggregated_lines (aggregated_line_id, aggregation_key, organization_id, product_id,
        quantity_data_source, physical_measure, dimensions, site_id, location_id, fno_journal_name_id,
        cost_price, trans_date, quantity, status, status_reason, target_transaction_status,
        detailed_line_count, created_at, updated_at, pending_through_seq, pending_magnitude)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let last = 0;
    for (const r of rows) {
      if (r.status !== 'Created' && !canMoveAggregated('Created', r.status)) {
        throw new Error(`an aggregated line cannot start as ${r.status}`);
      }
      const info = statement.run(
        r.aggregated_line_id,
        r.aggregation_key,
        r.organization_id,
        r.product_id,
        r.quantity_data_source,
        r.physical_measure,
        r.dimensions,
        r.site_id,
        r.location_id,
        r.fno_journal_name_id,
        r.cost_price,
        r.trans_date,
        r.quantity,
        r.status,
        r.status_reason,
        r.target_transaction_status,
        r.detailed_line_count,
        r.created_at,
        r.updated_at,
        r.pending_through_seq ?? null,
        r.pending_magnitude ?? null,
      );
      last = Number(info.lastInsertRowid);
    }
    return last;
  }

  /** Moves aggregated lines, each with its own fields (journal numbers, messages). */
  moveAggregated(
    moves: readonly AggregatedMove[],
    to: AggregatedStatus,
    at: string,
    common: AggregatedMoveFields = {},
  ): MoveResult {
    const sources = inList(aggregatedSources(to));
    const result: MoveResult = { moved: [], refused: [] };
    for (const move of moves) {
      const set = setClause({ status: to, updated_at: at, ...common, ...move.fields });
      // Prepared statements are cached by their text: one per shape of fields.
      const changes = this.conn
        .prepare(
          `UPDATE aggregated_lines SET ${set.sql} WHERE aggregated_line_id = ? AND status IN (${sources})`,
        )
        .run(...set.values, move.id).changes;
      if (changes > 0) {
        result.moved.push(move.id);
      } else {
        const row = this.conn
          .prepare('SELECT status FROM aggregated_lines WHERE aggregated_line_id = ?')
          .get(move.id) as { status: AggregatedStatus } | undefined;
        result.refused.push({ id: move.id, from: row?.status ?? null });
      }
    }
    return result;
  }
}
