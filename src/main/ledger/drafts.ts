import { sql } from 'kysely';
import type { DraftRowView, DraftSummary, RowError } from '../../shared/drafts';
import type { LedgerConnection } from './connection';
import type { DraftRow } from './store-knowledge-schema';

export interface NewDraftRow {
  row: number;
  line: Record<string, unknown>;
  errors: { field: string; message: string }[];
}

const ROWS_PER_INSERT = 500;

function summary(d: DraftRow): DraftSummary {
  return {
    draftId: d.draft_id,
    name: d.name,
    state: d.state,
    rowCount: d.row_count,
    errorCount: d.error_count,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
    postedAt: d.posted_at,
  };
}

/** Draft batches and their rows; rows keep what was entered, with the schema's errors. */
export class DraftStore {
  constructor(private readonly conn: LedgerConnection) {}

  create(draftId: string, name: string, now: string): DraftSummary {
    this.conn.run(
      this.conn.qb.insertInto('drafts').values({
        draft_id: draftId,
        name,
        state: 'Open',
        created_at: now,
        updated_at: now,
        posted_at: null,
      }),
    );
    return this.get(draftId)!;
  }

  get(draftId: string): DraftSummary | null {
    const row = this.conn.first(
      this.conn.qb.selectFrom('drafts').selectAll().where('draft_id', '=', draftId),
    );
    return row ? summary(row) : null;
  }

  list(): DraftSummary[] {
    return this.conn
      .all(this.conn.qb.selectFrom('drafts').selectAll().orderBy('created_at', 'desc'))
      .map(summary);
  }

  /** Appends rows (one transaction) and keeps the draft's counts; only an open draft takes rows. */
  append(draftId: string, rows: NewDraftRow[], now: string): boolean {
    const { conn } = this;
    return conn.transaction(() => {
      const errors = rows.filter((r) => r.errors.length > 0).length;
      const updated = conn.run(
        conn.qb
          .updateTable('drafts')
          .set({
            row_count: sql`row_count + ${rows.length}`,
            error_count: sql`error_count + ${errors}`,
            updated_at: now,
          })
          .where('draft_id', '=', draftId)
          .where('state', '=', 'Open'),
      );
      if (updated.changes === 0) return false;
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
        conn.run(
          conn.qb.insertInto('draft_rows').values(
            rows.slice(i, i + ROWS_PER_INSERT).map((r) => ({
              draft_id: draftId,
              row_number: r.row,
              line_id: String(r.line.id ?? ''),
              line: JSON.stringify(r.line),
              errors: r.errors.length > 0 ? JSON.stringify(r.errors) : null,
            })),
          ),
        );
      return true;
    });
  }

  rows(draftId: string, top: number, skip: number, onlyErrors = false): DraftRowView[] {
    let q = this.conn.qb
      .selectFrom('draft_rows')
      .select(['row_number', 'line', 'errors'])
      .where('draft_id', '=', draftId);
    if (onlyErrors) q = q.where('errors', 'is not', null);
    return this.conn.all(q.orderBy('row_number').limit(top).offset(skip)).map((r) => ({
      row: r.row_number,
      line: JSON.parse(r.line) as Record<string, unknown>,
      errors: r.errors ? (JSON.parse(r.errors) as DraftRowView['errors']) : [],
    }));
  }

  errors(draftId: string, limit: number): RowError[] {
    return this.rows(draftId, limit, 0, true).flatMap((r) => r.errors.map((e) => ({ row: r.row, ...e })));
  }

  /** The first draft row carrying each of these ids, for ids already in the draft. */
  rowsWithIds(draftId: string, ids: string[]): Map<string, number> {
    const out = new Map<string, number>();
    if (ids.length === 0) return out;
    const rows = this.conn.all(
      this.conn.qb
        .selectFrom('draft_rows')
        .select(['line_id', (eb) => eb.fn.min('row_number').as('row')])
        .where('draft_id', '=', draftId)
        .where('line_id', 'in', ids)
        .groupBy('line_id'),
    );
    for (const r of rows) out.set(r.line_id, Number(r.row));
    return out;
  }

  /** The lines of rows after `afterRow`, in row order, `limit` at a time. */
  lines(draftId: string, afterRow: number, limit: number): { row: number; line: Record<string, unknown> }[] {
    return this.conn
      .all(
        this.conn.qb
          .selectFrom('draft_rows')
          .select(['row_number', 'line'])
          .where('draft_id', '=', draftId)
          .where('row_number', '>', afterRow)
          .orderBy('row_number')
          .limit(limit),
      )
      .map((r) => ({ row: r.row_number, line: JSON.parse(r.line) as Record<string, unknown> }));
  }

  lastRow(draftId: string): number {
    const r = this.conn.first(
      this.conn.qb
        .selectFrom('draft_rows')
        .select((eb) => eb.fn.max('row_number').as('n'))
        .where('draft_id', '=', draftId),
    );
    return Number(r?.n ?? 0);
  }

  markPosted(draftId: string, now: string): void {
    this.conn.run(
      this.conn.qb
        .updateTable('drafts')
        .set({ state: 'Posted', posted_at: now, updated_at: now })
        .where('draft_id', '=', draftId)
        .where('state', '=', 'Open'),
    );
  }

  /** Deletes an open draft and its rows; a posted draft stays as the record of what was posted. */
  delete(draftId: string): boolean {
    const { conn } = this;
    return conn.transaction(() => {
      const d = this.get(draftId);
      if (d?.state !== 'Open') return false;
      conn.run(conn.qb.deleteFrom('draft_rows').where('draft_id', '=', draftId));
      conn.run(conn.qb.deleteFrom('drafts').where('draft_id', '=', draftId).where('state', '=', 'Open'));
      return true;
    });
  }
}
