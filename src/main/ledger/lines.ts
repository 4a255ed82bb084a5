import { type CompiledQuery, type SelectQueryBuilder, sql } from 'kysely';
import type { LinesQuery } from '../../shared/queries';
import { type LineStatus, type StoredLineStatus, VOIDABLE_FROM, VOIDED } from '../../shared/status';
import type { DetailedLine, Page, ScmOutcome } from '../../shared/views';
import { countLinesOf, linesOf } from './aggregated-link';
import type { LedgerConnection } from './connection';
import { GridQuery, whereCommon } from './grid-query';
import type { AdjustmentLineRow, Database, DetailedLineRow } from './schema';

export function toDetailedLine(row: DetailedLineRow): DetailedLine {
  return {
    lineRecordId: row.line_record_id,
    id: row.id,
    organizationId: row.organization_id,
    productId: row.product_id,
    quantityDataSource: row.quantity_data_source,
    physicalMeasure: row.physical_measure,
    quantity: row.quantity,
    dimensions: JSON.parse(row.dimensions) as Record<string, string>,
    externalReferenceCategory: row.external_reference_category,
    externalReferenceId: row.external_reference_id,
    fnoJournalNameId: row.fno_journal_name_id,
    costPrice: row.cost_price,
    transDate: row.trans_date,
    reasonCode: row.reason_code ?? null,
    approvedBy: row.approved_by ?? null,
    // The view's status: the stored one (Voided included), or Aggregated.
    status: row.status as StoredLineStatus,
    aggregatedLineId: row.aggregated_line_id,
    source: row.source,
    createdAt: row.created_at,
    createdBy: row.created_by,
    createdById: row.created_by_id,
    authorKind: row.author_kind,
    ivPostedAt: row.iv_posted_at,
    aggregatedAt: row.aggregated_at,
    attempts: row.attempts,
    lastError: row.last_error,
    lastErrorKind: row.last_error_kind,
    voidReason: row.void_reason ?? null,
    voidedAt: row.voided_at ?? null,
    voidedBy: row.voided_by ?? null,
    voidedById: row.voided_by_id ?? null,
    corrects: row.corrects ?? null,
    correctedBy: row.corrected_by ?? null,
    replaces: row.replaces ?? null,
    replacedBy: row.replaced_by ?? null,
    ivMaybeApplied: row.iv_maybe_applied === 1,
    ivSending: row.iv_sending === 1,
  };
}

/** A line is Aggregated once a `line_aggregation` row says so (migration 9). */
const aggregated = sql<boolean>`EXISTS (SELECT 1 FROM line_aggregation AS x WHERE x.seq = adjustment_lines.seq)`;

const SORT_COLUMNS = {
  createdAt: 'seq',
  productId: 'product_id',
  organizationId: 'organization_id',
  quantity: 'quantity',
  status: sql`CASE WHEN ${aggregated} THEN ${'Aggregated' satisfies LineStatus} ELSE status END`,
  transDate: 'trans_date',
  externalReferenceId: 'external_reference_id',
  siteId: 'site_id',
  locationId: 'location_id',
} as const;

const SUGGESTION_COLUMNS = [
  'organization_id',
  'quantity_data_source',
  'physical_measure',
  'fno_journal_name_id',
  'external_reference_category',
] as const;
type SuggestionColumn = (typeof SUGGESTION_COLUMNS)[number];

/**
 * The status filter of the lines grid, on what the indexes hold: Created and Voided are the
 * stored status; IVPosted is the aggregation queue (usually small, so it drives the query);
 * Aggregated is a `line_aggregation` row (most lines, found walking the grid's order).
 */
function whereLineStatus(
  q: SelectQueryBuilder<Database, 'adjustment_lines', object>,
  statuses: readonly string[],
): SelectQueryBuilder<Database, 'adjustment_lines', object> {
  return q.where((eb) => {
    const stored = statuses.filter((s) => s !== 'IVPosted' && s !== 'Aggregated');
    const terms = [];
    if (stored.length > 0) terms.push(eb('status', 'in', stored as LineStatus[]));
    if (statuses.includes('IVPosted'))
      terms.push(eb('seq', 'in', eb.selectFrom('aggregation_queue').select('seq')));
    if (statuses.includes('Aggregated')) terms.push(aggregated);
    return eb.or(terms);
  });
}

export class LineStore {
  private readonly grid: GridQuery<'adjustment_lines', LinesQuery, DetailedLine, DetailedLineRow>;

  constructor(private readonly conn: LedgerConnection) {
    this.grid = new GridQuery(conn, {
      // Filtered, sorted and counted on the lines alone; a page's rows are read with their
      // aggregation from the view (its joins for every matching line cost a date range 3 ×).
      table: 'adjustment_lines',
      counters: 'line_status_counts',
      rowsOf: (seqs) => this.rowsOf(seqs),
      sortColumns: SORT_COLUMNS,
      filter: (q, query) => {
        if (query.externalReferenceId) q = q.where('external_reference_id', '=', query.externalReferenceId);
        if (query.externalReferenceCategory)
          q = q.where('external_reference_category', '=', query.externalReferenceCategory);
        if (query.reasonCode) q = q.where('reason_code', '=', query.reasonCode.toUpperCase());
        if (query.aggregatedLineId) q = linesOf(q, query.aggregatedLineId);
        return whereCommon(q, query, whereLineStatus);
      },
      toView: toDetailedLine,
      count: (query) => countLinesOf(conn, query),
    });
  }

  /** The view's rows for these lines, in this order (one statement whatever their number). */
  private rowsOf(seqs: readonly number[]): DetailedLineRow[] {
    if (seqs.length === 0) return [];
    const rows = this.conn.all(
      this.conn.qb
        .selectFrom('detailed_lines')
        .selectAll()
        .where(sql.ref('seq'), 'in', sql`(SELECT value FROM json_each(${JSON.stringify(seqs)}))`),
    );
    const bySeq = new Map(rows.map((r) => [r.seq, r]));
    return seqs.map((seq) => bySeq.get(seq)!);
  }

  get(lineRecordId: string): DetailedLine | undefined {
    const row = this.conn.first(
      this.conn.qb.selectFrom('detailed_lines').selectAll().where('line_record_id', '=', lineRecordId),
    );
    return row ? toDetailedLine(row) : undefined;
  }

  list(query: LinesQuery): Page<DetailedLine> {
    return this.grid.list(query);
  }

  /**
   * The lines with their SCM outcome, read from their aggregated lines in one query: the
   * grids and the drawer show what SCM made of a line, not only that it was aggregated.
   */
  withScm(lines: DetailedLine[]): DetailedLine[] {
    const ids = [...new Set(lines.map((l) => l.aggregatedLineId).filter((id): id is string => id !== null))];
    const outcomes = new Map<string, ScmOutcome>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = this.conn.all(
        this.conn.qb
          .selectFrom('aggregated_lines')
          .select([
            'aggregated_line_id',
            'status',
            'status_reason',
            'journal_number',
            'last_error',
            'last_error_kind',
          ])
          .where('aggregated_line_id', 'in', ids.slice(i, i + 500)),
      );
      for (const r of rows)
        outcomes.set(r.aggregated_line_id, {
          status: r.status,
          statusReason: r.status_reason,
          journalNumber: r.journal_number,
          lastError: r.last_error,
          lastErrorKind: r.last_error_kind,
        });
    }
    return lines.map((l) => ({
      ...l,
      scm: l.aggregatedLineId ? (outcomes.get(l.aggregatedLineId) ?? null) : null,
    }));
  }

  /**
   * Voids a Created line that IV cannot have counted: no call may have applied it
   * (`iv_maybe_applied`) and none carrying it is on the wire (`iv_sending`), however often the
   * job failed to reach IV. Nor a line that is part of a correction: voiding the original of
   * a reversing line would take its quantity out twice, voiding a reversing line would undo it.
   * The WHERE holds the rule, so a line the IV job moved or marked meanwhile is left alone.
   * Answers whether it moved.
   */
  void(lineRecordId: string, reason: string, by: { name: string; id: string | null }, at: string): boolean {
    const { changes } = this.conn.run(
      this.conn.qb
        .updateTable('adjustment_lines')
        // The schema types the statuses a line moves through; Voided is where it leaves them.
        .set({
          status: sql<LineStatus>`${VOIDED}`,
          void_reason: reason,
          voided_at: at,
          voided_by: by.name,
          voided_by_id: by.id,
        })
        .where('line_record_id', '=', lineRecordId)
        .where('status', '=', VOIDABLE_FROM)
        .where('iv_posted_at', 'is', null)
        .where('iv_maybe_applied', '=', 0)
        .where('iv_sending', '=', 0)
        .where('corrects', 'is', null)
        .where('corrected_by', 'is', null),
    );
    return Number(changes) === 1;
  }

  /**
   * Links the reversing line (and the replacing line, when there is one) to the line they
   * correct, both ways; a line is corrected once. Answers whether the original was linked.
   */
  linkCorrection(originalId: string, reversalId: string, replacementId: string | null = null): boolean {
    const { conn } = this;
    const update = conn.qb.updateTable('adjustment_lines');
    return conn.writeNow(() => {
      const linked = conn.run(
        update
          .set({ corrected_by: reversalId, replaced_by: replacementId })
          .where('line_record_id', '=', originalId)
          .where('corrected_by', 'is', null),
      );
      if (Number(linked.changes) !== 1) return false;
      conn.run(update.set({ corrects: originalId }).where('line_record_id', '=', reversalId));
      if (replacementId)
        conn.run(update.set({ replaces: originalId }).where('line_record_id', '=', replacementId));
      return true;
    });
  }

  /** Every matching row in creation order, for the CSV export. */
  iterate(query: Partial<LinesQuery>): Generator<DetailedLine> {
    return this.grid.iterate(query);
  }

  /** The XLSX export's scan in the grid's order, as SQL for a worker's connection. */
  orderedScan(query: Partial<LinesQuery> & Pick<LinesQuery, 'orderBy' | 'direction'>): CompiledQuery {
    return this.grid.orderedScan(query);
  }

  /** The rows of these seqs, in this order: a page of an export's scan. */
  rowsAt(seqs: readonly number[]): DetailedLine[] {
    return this.grid.rowsAt(seqs);
  }

  /**
   * Distinct values of the suggestion columns among the most recent lines, latest first:
   * what the entry form offers. Looking at a recent window keeps this cheap on a ledger
   * of millions of lines, and recent values are the likely next ones.
   */
  recentValues(window = 5000, limit = 50): Record<SuggestionColumn, string[]> {
    const { conn } = this;
    const out = {} as Record<SuggestionColumn, string[]>;
    for (const column of SUGGESTION_COLUMNS) {
      const recent = conn.qb
        .selectFrom('adjustment_lines')
        .select([`${column} as value`, 'seq'])
        .orderBy('seq', 'desc')
        .limit(window)
        .as('recent');
      out[column] = conn
        .all(
          conn.qb
            .selectFrom(recent)
            .select('value')
            .where('value', 'is not', null)
            .groupBy('value')
            .orderBy((eb) => eb.fn.max('seq'), 'desc')
            .limit(limit),
        )
        .map((r) => String(r.value));
    }
    return out;
  }

  lastFormEntry(): Pick<AdjustmentLineRow, 'organization_id' | 'site_id' | 'location_id'> | undefined {
    return this.conn.first(
      this.conn.qb
        .selectFrom('adjustment_lines')
        .select(['organization_id', 'site_id', 'location_id'])
        .where('source', '=', 'form')
        .orderBy('seq', 'desc')
        .limit(1),
    );
  }

  countByStatus(): Record<string, number> {
    return this.grid.countByStatus();
  }
}
