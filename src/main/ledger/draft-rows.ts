import { sql } from 'kysely';
import type { DraftRowView, RowError, RowProblem } from '../../shared/drafts';
import type { LedgerConnection } from './connection';
import type { AdjustmentLineRow } from './schema';

/** A draft row as stored: `rowNumber` orders the draft; `block` and `sourceRow` are what the clerk sees. */
export interface StoredDraftRow {
  rowNumber: number;
  block: number;
  sourceRow: number;
  /** The row as read, without a derived id (`id` present: the file's own). */
  line: Record<string, unknown>;
  /** The id it posts under (normalised): its own, or derived from the file's content and row. */
  lineId: string;
  errors: RowProblem[];
  cautions: RowProblem[];
}
export type NewDraftRow = StoredDraftRow;

/** What the ledger holds under an id: enough to say since when, and whether it is the same line. */
export type LedgerLine = Pick<
  AdjustmentLineRow,
  | 'id'
  | 'created_at'
  | 'organization_id'
  | 'product_id'
  | 'quantity_data_source'
  | 'physical_measure'
  | 'quantity'
  | 'dimensions'
  | 'external_reference_category'
  | 'external_reference_id'
  | 'fno_journal_name_id'
  | 'cost_price'
  | 'trans_date'
  | 'reason_code'
>;

const ROWS_PER_INSERT = 500;
const IDS_PER_QUERY = 500;
const json = (list: RowProblem[]) => (list.length > 0 ? JSON.stringify(list) : null);
const parse = (text: string | null): RowProblem[] => (text ? (JSON.parse(text) as RowProblem[]) : []);

/** The rows of draft batches; each keeps what was entered, with the pipeline's errors and cautions. */
export class DraftRowStore {
  constructor(private readonly conn: LedgerConnection) {}

  private select() {
    return this.conn.qb
      .selectFrom('draft_rows as r')
      .leftJoin('draft_imports as i', (j) =>
        j.onRef('i.draft_id', '=', 'r.draft_id').onRef('i.block', '=', 'r.block'),
      )
      .select([
        'r.row_number',
        'r.block',
        'r.source_row',
        'r.line',
        'r.line_id',
        'r.errors',
        'r.cautions',
        'i.source_name',
      ]);
  }

  private static stored(r: {
    row_number: number;
    block: number | null;
    source_row: number | null;
    line: string;
    line_id: string;
    errors: string | null;
    cautions: string | null;
  }): StoredDraftRow {
    return {
      rowNumber: r.row_number,
      // Rows from before migration 12 have no block: they are numbered as the draft numbered them.
      block: r.block ?? 0,
      sourceRow: r.source_row ?? r.row_number,
      line: JSON.parse(r.line) as Record<string, unknown>,
      lineId: r.line_id,
      errors: parse(r.errors),
      cautions: parse(r.cautions),
    };
  }

  /**
   * Moves an open draft's counts by these amounts (rows, and rows with errors or cautions);
   * false when the draft is not open (posted or gone), so the caller changes nothing else.
   */
  private countOpen(
    draftId: string,
    now: string,
    by: { rows: number; errors: number; cautions: number },
  ): boolean {
    const { conn } = this;
    const updated = conn.run(
      conn.qb
        .updateTable('drafts')
        .set({
          row_count: sql`row_count + ${by.rows}`,
          error_count: sql`error_count + ${by.errors}`,
          caution_count: sql`caution_count + ${by.cautions}`,
          updated_at: now,
        })
        .where('draft_id', '=', draftId)
        .where('state', '=', 'Open'),
    );
    return updated.changes > 0;
  }

  /** Appends rows (one transaction) and keeps the draft's counts; only an open draft takes rows. */
  append(draftId: string, rows: NewDraftRow[], now: string): boolean {
    const { conn } = this;
    return conn.writeNow(() => {
      const counted = this.countOpen(draftId, now, {
        rows: rows.length,
        errors: rows.filter((r) => r.errors.length > 0).length,
        cautions: rows.filter((r) => r.cautions.length > 0).length,
      });
      if (!counted) return false;
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
        conn.run(
          conn.qb.insertInto('draft_rows').values(
            rows.slice(i, i + ROWS_PER_INSERT).map((r) => ({
              draft_id: draftId,
              row_number: r.rowNumber,
              block: r.block,
              source_row: r.sourceRow,
              line_id: r.lineId,
              line: JSON.stringify(r.line),
              errors: json(r.errors),
              cautions: json(r.cautions),
            })),
          ),
        );
      return true;
    });
  }

  /** Replaces a row's content and judgement (an edit), keeping the draft's counts; only while open. */
  replace(draftId: string, before: StoredDraftRow, after: StoredDraftRow, now: string): boolean {
    const { conn } = this;
    const delta = (a: RowProblem[], b: RowProblem[]) => Number(b.length > 0) - Number(a.length > 0);
    return conn.writeNow(() => {
      const counted = this.countOpen(draftId, now, {
        rows: 0,
        errors: delta(before.errors, after.errors),
        cautions: delta(before.cautions, after.cautions),
      });
      if (!counted) return false;
      conn.run(
        conn.qb
          .updateTable('draft_rows')
          .set({
            line: JSON.stringify(after.line),
            line_id: after.lineId,
            errors: json(after.errors),
            cautions: json(after.cautions),
          })
          .where('draft_id', '=', draftId)
          .where('row_number', '=', before.rowNumber),
      );
      return true;
    });
  }

  remove(draftId: string, row: StoredDraftRow, now: string): boolean {
    const { conn } = this;
    return conn.writeNow(() => {
      const counted = this.countOpen(draftId, now, {
        rows: -1,
        errors: -Number(row.errors.length > 0),
        cautions: -Number(row.cautions.length > 0),
      });
      if (!counted) return false;
      conn.run(
        conn.qb
          .deleteFrom('draft_rows')
          .where('draft_id', '=', draftId)
          .where('row_number', '=', row.rowNumber),
      );
      return true;
    });
  }

  /** The row the clerk knows as row `sourceRow` of file or block `block`. */
  find(draftId: string, block: number, sourceRow: number): StoredDraftRow | undefined {
    const r = this.conn.first(
      this.select()
        .where('r.draft_id', '=', draftId)
        .where('r.block', '=', block)
        .where('r.source_row', '=', sourceRow),
    );
    return r && DraftRowStore.stored(r);
  }

  page(draftId: string, top: number, skip: number, problemsOnly = false): DraftRowView[] {
    let q = this.select().where('r.draft_id', '=', draftId);
    if (problemsOnly)
      q = q.where((eb) => eb.or([eb('r.errors', 'is not', null), eb('r.cautions', 'is not', null)]));
    return this.conn.all(q.orderBy('r.row_number').limit(top).offset(skip)).map((r) => {
      const s = DraftRowStore.stored(r);
      return {
        block: s.block,
        source: r.source_name ?? 'draft',
        row: s.sourceRow,
        line: s.line,
        lineId: s.lineId,
        errors: s.errors,
        cautions: s.cautions,
      };
    });
  }

  /** Rows with an error or a caution. */
  problemRows(draftId: string): number {
    const r = this.conn.first(
      this.conn.qb
        .selectFrom('draft_rows')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('draft_id', '=', draftId)
        .where((eb) => eb.or([eb('errors', 'is not', null), eb('cautions', 'is not', null)])),
    );
    return Number(r?.n ?? 0);
  }

  /** The first errors (or cautions) of the draft, in row order, each named by file and row. */
  problems(draftId: string, kind: 'errors' | 'cautions', limit: number): RowError[] {
    const out: RowError[] = [];
    const rows = this.conn.all(
      this.select()
        .where('r.draft_id', '=', draftId)
        .where(`r.${kind}`, 'is not', null)
        .orderBy('r.row_number')
        .limit(limit),
    );
    for (const r of rows) {
      const s = DraftRowStore.stored(r);
      for (const p of s[kind])
        if (out.length < limit)
          out.push({ block: s.block, source: r.source_name ?? 'draft', row: s.sourceRow, ...p });
    }
    return out;
  }

  /** Rows after `afterRowNumber`, in order, `limit` at a time. */
  slice(draftId: string, afterRowNumber: number, limit: number, block?: number): StoredDraftRow[] {
    let q = this.select().where('r.draft_id', '=', draftId).where('r.row_number', '>', afterRowNumber);
    if (block !== undefined) q = q.where('r.block', '=', block);
    return this.conn.all(q.orderBy('r.row_number').limit(limit)).map((r) => DraftRowStore.stored(r));
  }

  lastRowNumber(draftId: string): number {
    const r = this.conn.first(
      this.conn.qb
        .selectFrom('draft_rows')
        .select((eb) => eb.fn.max('row_number').as('n'))
        .where('draft_id', '=', draftId),
    );
    return Number(r?.n ?? 0);
  }

  /** The first row of the draft carrying each of these ids (other than row `except`). */
  withIds(
    draftId: string,
    ids: string[],
    except?: number,
  ): Map<string, { block: number; row: number; source: string }> {
    const out = new Map<string, { block: number; row: number; source: string }>();
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      let q = this.select()
        .where('r.draft_id', '=', draftId)
        .where('r.line_id', 'in', ids.slice(i, i + IDS_PER_QUERY));
      if (except !== undefined) q = q.where('r.row_number', '!=', except);
      for (const r of this.conn.all(q.orderBy('r.row_number')))
        if (!out.has(r.line_id))
          out.set(r.line_id, {
            block: r.block ?? 0,
            row: r.source_row ?? r.row_number,
            source: r.source_name ?? 'draft',
          });
    }
    return out;
  }

  /** The ledger's lines under these ids (its UNIQUE(id) index answers each). */
  ledgerLines(ids: string[]): Map<string, LedgerLine> {
    const out = new Map<string, LedgerLine>();
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const rows = this.conn.all(
        this.conn.qb
          .selectFrom('adjustment_lines')
          .select([
            'id',
            'created_at',
            'organization_id',
            'product_id',
            'quantity_data_source',
            'physical_measure',
            'quantity',
            'dimensions',
            'external_reference_category',
            'external_reference_id',
            'fno_journal_name_id',
            'cost_price',
            'trans_date',
            'reason_code',
          ])
          .where('id', 'in', ids.slice(i, i + IDS_PER_QUERY)),
      );
      for (const r of rows) out.set(r.id, r);
    }
    return out;
  }
}
