import type Sqlite from 'better-sqlite3';
import type { UpdateObject } from 'kysely';
import {
  AGGREGATED_STATUSES,
  type AggregatedStatus,
  canMoveAggregated,
  canMoveLine,
  LINE_STATUSES,
  type LineStatus,
} from '../../shared/status';
import { type Compiled, compileOnce, slot } from './compiled';
import type { LedgerConnection } from './connection';
import type { AggregatedLinesTable, Database, NewAggregatedLine } from './schema';

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

/** The statuses allowed to move to a target, for `status IN (…)`; none allowed is a bug. */
function sourcesOf<S extends string>(sources: readonly S[]): readonly S[] {
  if (sources.length === 0) throw new Error('no status may move there');
  return sources;
}

/** The fields to set, without those left undefined; `attemptsDelta` adds to `attempts`. */
function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/*
 * Hot paths (aggregation's slices, one statement per row), as raw SQL: a statement of its own
 * per shape, every value bound.
 */
const LINKS_PER_INSERT = 500;
const ENQUEUE_SQL = 'INSERT INTO aggregation_queue (seq) VALUES (?)';
const LINK_ONE_SQL = 'INSERT INTO line_aggregation (seq, aggregated_seq) VALUES (?, ?)';
/** Rows of LINKS_PER_INSERT per statement: a third of the time of one statement per row. */
const LINK_MANY_SQL = `INSERT INTO line_aggregation (seq, aggregated_seq) VALUES ${Array(LINKS_PER_INSERT).fill('(?, ?)').join(', ')}`;
const DEQUEUE_SQL = 'DELETE FROM aggregation_queue WHERE seq > ? AND seq <= ?';
/** Parameters: to, n, n, from, to. */
const COUNT_MOVED_SQL = `UPDATE line_status_counts SET n = n + CASE status WHEN ? THEN ? ELSE -? END
  WHERE status IN (?, ?)`;
/** Parameters in the order of `insertedRow`. */
const INSERT_AGGREGATED_SQL = `INSERT INTO aggregated_lines (aggregated_line_id, aggregation_key, organization_id, product_id,
    quantity_data_source, physical_measure, dimensions, site_id, location_id, fno_journal_name_id,
    cost_price, trans_date, quantity, status, status_reason, target_transaction_status,
    detailed_line_count, created_at, updated_at, pending_through_seq, pending_magnitude,
    pending_summed_through, first_line_seq)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const insertedRow = (r: NewAggregatedLine): unknown[] => [
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
];

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
    const { attemptsDelta, ...columns } = fields;
    let update = this.conn.qb
      .updateTable('adjustment_lines')
      .set({ status: to, ...defined(columns) })
      .where('line_record_id', '=', slot<string>('id'))
      .where('status', 'in', sourcesOf(lineSources(to)));
    if (attemptsDelta !== undefined)
      update = update.set((eb) => ({ attempts: eb('attempts', '+', attemptsDelta) }));
    // One statement for all the ids of a call (the IV job moves 512 at a time): `line_record_id = ?`
    // always takes the unique index.
    const move = compileOnce(update.returning('seq'));
    const statement = this.conn.prepare(move.sql);
    const enqueue = this.conn.prepare(ENQUEUE_SQL);
    const moved: string[] = [];
    for (const id of ids) {
      const row = statement.get(...move.bind({ id })) as { seq: number } | undefined;
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
    const many = this.conn.prepare(LINK_MANY_SQL);
    const one = this.conn.prepare(LINK_ONE_SQL);
    let linked = 0;
    let i = 0;
    for (; i + LINKS_PER_INSERT <= links.length; i += LINKS_PER_INSERT)
      linked += many.run(links.slice(i, i + LINKS_PER_INSERT).flat()).changes;
    for (; i < links.length; i++) linked += one.run(links[i]![0], links[i]![1]).changes;
    const dequeued = this.conn.prepare(DEQUEUE_SQL).run(afterSeq, lastSeq).changes;
    this.conn.prepare(COUNT_MOVED_SQL).run('Aggregated', linked, linked, 'IVPosted', 'Aggregated');
    return { linked, dequeued };
  }

  /**
   * A new aggregated line is born Created, or goes straight on to DoNotSync (Created → DoNotSync).
   * Answers the seq of the last one inserted.
   */
  insertAggregated(rows: readonly NewAggregatedLine[]): number {
    const statement = this.conn.prepare(INSERT_AGGREGATED_SQL);
    let last = 0;
    for (const r of rows) {
      if (r.status !== 'Created' && !canMoveAggregated('Created', r.status)) {
        throw new Error(`an aggregated line cannot start as ${r.status}`);
      }
      last = Number(statement.run(...insertedRow(r)).lastInsertRowid);
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
    const sources = sourcesOf(aggregatedSources(to));
    const result: MoveResult = { moved: [], refused: [] };
    // One statement per shape of fields (moves of one call share theirs), every value a slot.
    const shapes = new Map<string, { statement: Sqlite.Statement; bind: Compiled['bind'] }>();
    for (const move of moves) {
      const values = defined({ status: to, updated_at: at, ...common, ...move.fields });
      const key = Object.keys(values).join();
      let shape = shapes.get(key);
      if (!shape) {
        const compiled = compileOnce(this.aggregatedUpdate(Object.keys(values), sources));
        shape = { statement: this.conn.prepare(compiled.sql), bind: compiled.bind };
        shapes.set(key, shape);
      }
      if (shape.statement.run(...shape.bind({ ...values, id: move.id })).changes > 0) {
        result.moved.push(move.id);
      } else {
        const row = this.conn.first(
          this.conn.qb
            .selectFrom('aggregated_lines')
            .select('status')
            .where('aggregated_line_id', '=', move.id),
        );
        result.refused.push({ id: move.id, from: row?.status ?? null });
      }
    }
    return result;
  }

  /** `UPDATE aggregated_lines SET <columns> WHERE id AND status IN (sources)`, each value a slot named by its column. */
  private aggregatedUpdate(columns: readonly string[], sources: readonly AggregatedStatus[]) {
    const set = Object.fromEntries(
      columns.filter((c) => c !== 'attemptsDelta').map((c) => [c, slot(c)]),
    ) as UpdateObject<Database, 'aggregated_lines'>;
    let update = this.conn.qb
      .updateTable('aggregated_lines')
      .set(set)
      .where('aggregated_line_id', '=', slot<string>('id'))
      .where('status', 'in', sources);
    if (columns.includes('attemptsDelta'))
      update = update.set((eb) => ({ attempts: eb('attempts', '+', slot<number>('attemptsDelta')) }));
    return update;
  }
}
