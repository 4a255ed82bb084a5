import { type SelectQueryBuilder, sql } from 'kysely';
import type { LinesQuery } from '../../shared/queries';
import type { LedgerConnection } from './connection';
import type { Database } from './schema';

/**
 * The lines of one aggregated line: their `line_aggregation` rows. No index on the link
 * (aggregation would pay for it on every line it aggregates): the aggregated line keeps the
 * seq range its lines lie in, and only that range of the narrow table is read.
 */
export function linesOf(
  q: SelectQueryBuilder<Database, 'adjustment_lines', object>,
  aggregatedLineId: string,
): SelectQueryBuilder<Database, 'adjustment_lines', object> {
  // A line still being aggregated has its sums written as its run goes: its lines lie up to the run's end.
  const links = sql`(SELECT a.seq FROM aggregated_lines AS g JOIN line_aggregation AS a
     ON a.seq BETWEEN g.first_line_seq AND coalesce(g.pending_through_seq, g.last_line_seq) AND a.aggregated_seq = g.seq
     WHERE g.aggregated_line_id = ${aggregatedLineId})`;
  return q.where(sql.ref('seq'), 'in', links);
}

/**
 * The lines of one aggregated line, and nothing else asked: as many as it counts (a run
 * writes the count and the links in the same transactions), without counting rows.
 */
export function countLinesOf(conn: LedgerConnection, query: LinesQuery): number | undefined {
  const { aggregatedLineId, status, orderBy: _o, direction: _d, top: _t, skip: _s, ...rest } = query;
  if (!aggregatedLineId || Object.values(rest).some((v) => v !== undefined)) return undefined;
  if (status?.length && !status.includes('Aggregated')) return undefined;
  const row = conn.first(
    conn.qb
      .selectFrom('aggregated_lines')
      .select('detailed_line_count')
      .where('aggregated_line_id', '=', aggregatedLineId),
  );
  return row?.detailed_line_count ?? 0;
}
