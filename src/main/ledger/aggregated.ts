import type { CompiledQuery } from 'kysely';
import type { AggregatedQuery } from '../../shared/queries';
import type { AggregatedLine, AggregatedLineDetail, Page } from '../../shared/views';
import { linesOf } from './aggregated-link';
import type { LedgerConnection } from './connection';
import { GridQuery, whereCommon } from './grid-query';
import type { AggregatedLineRow } from './schema';

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
  private readonly grid: GridQuery<'aggregated_lines', AggregatedQuery, AggregatedLine>;

  constructor(private readonly conn: LedgerConnection) {
    this.grid = new GridQuery(conn, {
      table: 'aggregated_lines',
      counters: 'aggregated_status_counts',
      sortColumns: SORT_COLUMNS,
      filter: (q, query) => {
        if (query.journalNumber) q = q.where('journal_number', '=', query.journalNumber);
        return whereCommon(q, query);
      },
      toView: toAggregatedLine,
    });
  }

  get(aggregatedLineId: string): AggregatedLineDetail | undefined {
    const row = this.conn.first(
      this.conn.qb
        .selectFrom('aggregated_lines')
        .selectAll()
        .where('aggregated_line_id', '=', aggregatedLineId),
    );
    if (!row) return undefined;
    const detailed = this.conn.all(
      linesOf(this.conn.qb.selectFrom('adjustment_lines'), aggregatedLineId)
        .select('line_record_id')
        .orderBy('seq'),
    );
    return { ...toAggregatedLine(row), detailedLineIds: detailed.map((d) => d.line_record_id) };
  }

  list(query: AggregatedQuery): Page<AggregatedLine> {
    return this.grid.list(query);
  }

  /** Every matching row in creation order, for the CSV export. */
  iterate(query: Partial<AggregatedQuery>): Generator<AggregatedLine> {
    return this.grid.iterate(query);
  }

  /** The XLSX export's scan in the grid's order, as SQL for a worker's connection. */
  orderedScan(
    query: Partial<AggregatedQuery> & Pick<AggregatedQuery, 'orderBy' | 'direction'>,
  ): CompiledQuery {
    return this.grid.orderedScan(query);
  }

  /** The rows of these seqs, in this order: a page of an export's scan. */
  rowsAt(seqs: readonly number[]): AggregatedLine[] {
    return this.grid.rowsAt(seqs);
  }

  countByStatus(): Record<string, number> {
    return this.grid.countByStatus();
  }
}
