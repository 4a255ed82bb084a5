import type { Insertable, Selectable } from 'kysely';
import type { LedgerConnection } from './connection';
import type { HeldLinesTable } from './schema';
import type { WriteRequest } from './statement-runs';

export type HeldLineRow = Selectable<HeldLinesTable>;

/**
 * Lines waiting for a manager (migration 15), kept outside `adjustment_lines` so that nothing
 * waiting can be aggregated or sent. A decision moves a row out of `waiting` once: the UPDATE's
 * WHERE says `state = 'waiting'`, so a second Approve (a double click, a retry after a crash)
 * changes nothing.
 */
export class HeldLineStore {
  constructor(private readonly conn: LedgerConnection) {}

  insert(row: Insertable<HeldLinesTable>): void {
    this.conn.run(this.conn.qb.insertInto('held_lines').values(row));
  }

  get(heldId: string): HeldLineRow | undefined {
    return this.conn.first(this.conn.qb.selectFrom('held_lines').selectAll().where('held_id', '=', heldId));
  }

  /** The line with this caller id that waits, if one does. */
  waitingById(lineId: string): HeldLineRow | undefined {
    return this.conn.first(
      this.conn.qb
        .selectFrom('held_lines')
        .selectAll()
        .where('line_id', '=', lineId)
        .where('state', '=', 'waiting'),
    );
  }

  /** Waiting lines, oldest first; then the last decisions, newest first. */
  list(decidedToo: number): HeldLineRow[] {
    const waiting = this.conn.all(
      this.conn.qb.selectFrom('held_lines').selectAll().where('state', '=', 'waiting').orderBy('created_at'),
    );
    if (decidedToo <= 0) return waiting;
    const decided = this.conn.all(
      this.conn.qb
        .selectFrom('held_lines')
        .selectAll()
        .where('state', '!=', 'waiting')
        .orderBy('decided_at', 'desc')
        .limit(decidedToo),
    );
    return [...waiting, ...decided];
  }

  countWaiting(): number {
    const row = this.conn.first(
      this.conn.qb
        .selectFrom('held_lines')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', '=', 'waiting'),
    );
    return Number(row?.n ?? 0);
  }

  /** The decision, once: false when the line no longer waits (decided already). */
  decide(
    heldId: string,
    decision: {
      state: 'approved' | 'refused';
      at: string;
      by: string;
      byId: string | null;
      refusal?: string;
      lineRecordId?: string;
    },
  ): boolean {
    const { changes } = this.conn.run(
      this.conn.qb
        .updateTable('held_lines')
        .set({
          state: decision.state,
          decided_at: decision.at,
          decided_by: decision.by,
          decided_by_id: decision.byId,
          refusal: decision.refusal ?? null,
          line_record_id: decision.lineRecordId ?? null,
        })
        .where('held_id', '=', heldId)
        .where('state', '=', 'waiting'),
    );
    return Number(changes) === 1;
  }
}

/** Parameters in the order of `holdLines`' rows. A line already waiting under its id is not held twice. */
const HOLD_LINE = `INSERT OR IGNORE INTO held_lines (held_id, line_id, line, source, instant_iv, why, created_at,
    created_by, created_by_id, author_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** The ingest's write of lines that wait for a manager, in the same transaction as the lines stored with them. */
export function holdLines(rows: readonly Insertable<HeldLinesTable>[]): WriteRequest {
  return {
    op: 'run',
    sql: HOLD_LINE,
    rows: rows.map((r) => [
      r.held_id,
      r.line_id,
      r.line,
      r.source,
      r.instant_iv ?? 0,
      r.why,
      r.created_at,
      r.created_by,
      r.created_by_id,
      r.author_kind,
    ]),
  };
}
