import { type SelectQueryBuilder, sql } from 'kysely';
import type { LinesQuery } from '../../shared/queries';
import type { LedgerConnection } from './connection';
import type { Database } from './schema';

/**
 * The lines of one aggregated line: their `line_aggregation` rows. No index on the link
 * (aggregation would pay for it on every line it aggregates): the aggregated line keeps the
 * seq range its lines lie in, and only that range of the narrow table is read.
 */
export function linesOf<T extends 'detailed_lines'>(
  q: SelectQueryBuilder<Database, T, object>,
  aggregatedLineId: string,
): SelectQueryBuilder<Database, T, object> {
  const own = (expression: string) =>
    sql<number>`(SELECT ${sql.raw(expression)} FROM aggregated_lines AS g WHERE g.aggregated_line_id = ${aggregatedLineId})`;
  return (
    q
      .where(sql.ref('aggregated_seq'), '=', own('g.seq'))
      .where(sql.ref('seq'), '>=', own('g.first_line_seq'))
      // A line still being aggregated has its sums written as its run goes: its lines lie up to the run's end.
      .where(sql.ref('seq'), '<=', own('coalesce(g.pending_through_seq, g.last_line_seq)'))
  );
}

/**
 * The lines of one aggregated line, and nothing else asked: as many as it counts (a run
 * writes the count and the links in the same transactions), without counting rows.
 */
export function countLinesOf(conn: LedgerConnection, query: LinesQuery): number | undefined {
  const { aggregatedLineId, status, orderBy: _o, direction: _d, top: _t, skip: _s, ...rest } = query;
  if (!aggregatedLineId || Object.values(rest).some((v) => v !== undefined)) return undefined;
  if (status?.length && !status.includes('Aggregated')) return undefined;
  const n = conn
    .prepare('SELECT detailed_line_count FROM aggregated_lines WHERE aggregated_line_id = ?')
    .pluck()
    .get(aggregatedLineId) as number | undefined;
  return n ?? 0;
}
