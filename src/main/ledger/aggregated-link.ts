import { type SelectQueryBuilder, sql } from 'kysely';
import type { LinesQuery } from '../../shared/queries';
import type { LedgerConnection } from './connection';
import type { Database } from './schema';

/**
 * The lines pointing at one aggregated line. No index on the link (aggregation would pay for it
 * on every line it moves): the aggregated line keeps the seq range its lines lie in instead.
 */
export function linesOf(
  q: SelectQueryBuilder<Database, 'adjustment_lines', object>,
  aggregatedLineId: string,
): SelectQueryBuilder<Database, 'adjustment_lines', object> {
  const bound = (column: 'first_line_seq' | 'last_line_seq') =>
    sql<number>`(SELECT ${sql.ref(`g.${column}`)} FROM aggregated_lines AS g WHERE g.aggregated_line_id = ${aggregatedLineId})`;
  return q
    .where('aggregated_line_id', '=', aggregatedLineId)
    .where(sql.ref('seq'), '>=', bound('first_line_seq'))
    .where(sql.ref('seq'), '<=', bound('last_line_seq'));
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
