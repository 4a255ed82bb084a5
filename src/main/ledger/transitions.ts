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
  /** Migration 10: the IV call carrying the line settled (0), and IV has it (1). */
  iv_sending?: number;
  iv_maybe_applied?: number;
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

const LINKS_PER_INSERT = 500;

export class StatusWriter {
  constructor(private readonly conn: LedgerConnection) {}

  /**
   * Moves detailed lines by record ID; answers the IDs that moved (the others were not in a
   * source status). A line reaching IVPosted joins the aggregation queue in the same step.
   */
  moveLines(ids: readonly string[], to: LineStatus, fields: LineMoveFields = {}): string[] {
    return this.conn.writeNow(() => this.moveLinesNow(ids, to, fields));
  }

  private moveLinesNow(ids: readonly string[], to: LineStatus, fields: LineMoveFields): string[] {
    if (to === 'Aggregated') throw new Error('lines are aggregated a slice at a time: aggregateSlice');
    const set = setClause({ status: to, ...fields });
    const statement = this.conn.prepare(
      `UPDATE adjustment_lines SET ${set.sql} WHERE line_record_id = ? AND status IN (${inList(lineSources(to))})
       RETURNING seq`,
    );
    const enqueue = this.conn.prepare('INSERT INTO aggregation_queue (seq) VALUES (?)');
    const moved: string[] = [];
    for (const id of ids) {
      const row = statement.get(...set.values, id) as { seq: number } | undefined;
      if (!row) continue;
      if (to === 'IVPosted') enqueue.run(row.seq);
      moved.push(id);
    }
    return moved;
  }

  /**
   * Aggregation's move, IVPosted → Aggregated, for the queued lines in (`afterSeq`, `lastSeq`]:
   * each gets its `line_aggregation` row (`links`: [seq, aggregated seq]) and leaves the queue,
   * and the counters move with them. The line's own row is not rewritten (migration 9).
   * Answers how many joined and how many left: the caller refuses the slice unless both are
   * every line it read.
   */
  aggregateSlice(
    afterSeq: number,
    lastSeq: number,
    links: readonly (readonly [number, number])[],
  ): { linked: number; dequeued: number } {
    if (!canMoveLine('IVPosted', 'Aggregated')) throw new Error('IVPosted → Aggregated is not allowed');
    // Rows of LINKS_PER_INSERT per statement: a third of the time of one statement per row.
    const many = this.conn.prepare(
      `INSERT INTO line_aggregation (seq, aggregated_seq) VALUES ${Array(LINKS_PER_INSERT).fill('(?, ?)').join(', ')}`,
    );
    const one = this.conn.prepare('INSERT INTO line_aggregation (seq, aggregated_seq) VALUES (?, ?)');
    let linked = 0;
    let i = 0;
    for (; i + LINKS_PER_INSERT <= links.length; i += LINKS_PER_INSERT)
      linked += many.run(links.slice(i, i + LINKS_PER_INSERT).flat()).changes;
    for (; i < links.length; i++) linked += one.run(links[i]![0], links[i]![1]).changes;
    const dequeued = this.conn
      .prepare('DELETE FROM aggregation_queue WHERE seq > ? AND seq <= ?')
      .run(afterSeq, lastSeq).changes;
    this.conn
      .prepare(
        `UPDATE line_status_counts SET n = n + CASE status WHEN 'Aggregated' THEN ? ELSE -? END
          WHERE status IN ('IVPosted', 'Aggregated')`,
      )
      .run(linked, linked);
    return { linked, dequeued };
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
        detailed_line_count, created_at, updated_at, pending_through_seq, pending_magnitude,
        pending_summed_through, first_line_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        r.pending_summed_through ?? null,
        r.first_line_seq ?? null,
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
    return this.conn.writeNow(() => this.moveAggregatedNow(moves, to, at, common));
  }

  private moveAggregatedNow(
    moves: readonly AggregatedMove[],
    to: AggregatedStatus,
    at: string,
    common: AggregatedMoveFields,
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
