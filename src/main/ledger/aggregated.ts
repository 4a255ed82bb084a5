import type { SelectQueryBuilder } from 'kysely';
import type { AggregatedQuery } from '../../shared/queries';
import type { AggregatedLine, AggregatedLineDetail, Page } from '../../shared/views';
import type { LedgerConnection } from './connection';
import { dateRange } from './lines';
import type { AggregatedLineRow, Database } from './schema';

export function toAggregatedLine(row: AggregatedLineRow): AggregatedLine {
  return {
    aggregatedLineId: row.aggregated_line_id,
    organizationId: row.organization_id,
    productId: row.product_id,
    quantityDataSource: row.quantity_data_source,
    physicalMeasure: row.physical_measure,
    dimensions: JSON.parse(row.dimensions) as Record<string, string>,
    fnoJournalNameId: row.fno_journal_name_id,
    costPrice: row.cost_price,
    transDate: row.trans_date,
    quantity: row.quantity,
    status: row.status,
    statusReason: row.status_reason,
    targetTransactionStatus: row.target_transaction_status,
    journalNumber: row.journal_number,
    journalLineNumber: row.journal_line_number,
    detailedLineCount: row.detailed_line_count,
    attempts: row.attempts,
    lastError: row.last_error,
    lastErrorKind: row.last_error_kind,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const SORT_COLUMNS = {
  createdAt: 'seq',
  updatedAt: 'updated_at',
  productId: 'product_id',
  organizationId: 'organization_id',
  quantity: 'quantity',
  status: 'status',
  transDate: 'trans_date',
  journalNumber: 'journal_number',
  siteId: 'site_id',
  locationId: 'location_id',
} as const;

export class AggregatedStore {
  constructor(private readonly conn: LedgerConnection) {}

  get(aggregatedLineId: string): AggregatedLineDetail | undefined {
    const row = this.conn.first(
      this.conn.qb
        .selectFrom('aggregated_lines')
        .selectAll()
        .where('aggregated_line_id', '=', aggregatedLineId),
    );
    if (!row) return undefined;
    const detailed = this.conn.all(
      this.conn.qb
        .selectFrom('adjustment_lines')
        .select('line_record_id')
        .where('aggregated_line_id', '=', aggregatedLineId)
        .orderBy('seq'),
    );
    return { ...toAggregatedLine(row), detailedLineIds: detailed.map((d) => d.line_record_id) };
  }

  private filtered(
    query: Partial<AggregatedQuery>,
  ): SelectQueryBuilder<Database, 'aggregated_lines', object> {
    let q = this.conn.qb.selectFrom('aggregated_lines');
    if (query.status?.length) q = q.where('status', 'in', query.status);
    if (query.organizationId) q = q.where('organization_id', '=', query.organizationId);
    if (query.productId) q = q.where('product_id', '=', query.productId);
    if (query.siteId) q = q.where('site_id', '=', query.siteId);
    if (query.locationId) q = q.where('location_id', '=', query.locationId);
    if (query.journalNumber) q = q.where('journal_number', '=', query.journalNumber);
    const range = dateRange(query.from, query.to);
    if (range.from) q = q.where('created_at', '>=', range.from);
    if (range.to) q = q.where('created_at', '<=', range.to);
    return q;
  }

  list(query: AggregatedQuery): Page<AggregatedLine> {
    const base = this.filtered(query);
    const n =
      this.countFromCounters(query) ??
      this.conn.first(base.select((eb) => eb.fn.countAll<number>().as('n')))!.n;
    const column = SORT_COLUMNS[query.orderBy];
    let q = base.selectAll().orderBy(column, query.direction);
    if (column !== 'seq') q = q.orderBy('seq', query.direction);
    const rows = this.conn.all(q.limit(query.top).offset(query.skip));
    return { value: rows.map(toAggregatedLine), count: n };
  }

  *iterate(query: Partial<AggregatedQuery>, pageSize = 2000): Generator<AggregatedLine> {
    let after = 0;
    for (;;) {
      const rows = this.conn.all(
        this.filtered(query).selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize),
      );
      for (const row of rows) yield toAggregatedLine(row);
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  /** Totals kept by triggers answer status-only filters without counting rows. */
  private countFromCounters(query: AggregatedQuery): number | undefined {
    const { status, orderBy: _o, direction: _d, top: _t, skip: _s, ...rest } = query;
    if (Object.values(rest).some((v) => v !== undefined)) return undefined;
    const counts = this.countByStatus();
    return (status ?? Object.keys(counts)).reduce((sum, s) => sum + (counts[s] ?? 0), 0);
  }

  countByStatus(): Record<string, number> {
    const rows = this.conn.all(this.conn.qb.selectFrom('aggregated_status_counts').select(['status', 'n']));
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }
}
