import { SCM_DIMENSIONS, type ScmDimension } from '../../shared/dimensions';
import type { LedgerConnection } from './connection';
import type { NewAggregatedLine } from './schema';
import type { StatusWriter } from './transitions';

/** IVPosted lines sharing one aggregation key (domain.md §2), summed. */
export interface AggregationGroup {
  k: string;
  organization_id: string;
  product_id: string;
  quantity_data_source: string;
  physical_measure: string;
  fno_journal_name_id: string | null;
  cost_price: number | null;
  trans_date: string;
  /** The SCM-mapped dimensions only, under their IV names. */
  dimensions: Partial<Record<ScmDimension, string>>;
  quantity: number;
  /** Sum of |quantity|: the scale against which a net 0 is judged. */
  magnitude: number;
  n: number;
}

const DIMENSION_COLUMN: Record<string, string> = { siteId: 'site_id', locationId: 'location_id' };
/** SQL for one SCM dimension of a detailed line (`p`: a table alias and dot, or ''); site and warehouse have their own columns. */
const dimensionSql = (d: ScmDimension, p = '') =>
  DIMENSION_COLUMN[d] ? `${p}${DIMENSION_COLUMN[d]}` : `json_extract(${p}dimensions, '$.${d}')`;

/** The aggregation key over the lines aliased `alias` (or unaliased). */
export function aggregationKeySql(alias?: string): string {
  const p = alias ? `${alias}.` : '';
  return `json_array(${p}organization_id, ${p}product_id, ${p}quantity_data_source, ${p}physical_measure, ${SCM_DIMENSIONS.map((d) => dimensionSql(d, p)).join(', ')}, ${p}fno_journal_name_id, ${p}cost_price, ${p}trans_date)`;
}

/**
 * The aggregation key as SQL: everything that reaches SCM. External dimensions and the
 * external reference stay out of it.
 */
export const AGGREGATION_KEY_SQL = aggregationKeySql();

/**
 * Aggregation's SQL, in slices a run strings together (sync/aggregation.ts). Raw SQL here,
 * because the builder cannot say it: the key is a json_array over json_extract'ed dimensions,
 * scans are pinned to the status index, and detailed lines find their aggregated line through a
 * temp table in one UPDATE per slice.
 */
export class AggregationStore {
  constructor(
    private readonly conn: LedgerConnection,
    private readonly status: StatusWriter,
  ) {}

  /** The newest IVPosted line: a run aggregates what was IVPosted up to it when it started. */
  ivPostedMaxSeq(): number | null {
    return this.conn
      .prepare("SELECT max(seq) FROM adjustment_lines INDEXED BY ix_lines_status WHERE status = 'IVPosted'")
      .pluck()
      .get() as number | null;
  }

  /**
   * Sums the next `limit` IVPosted lines after `afterSeq` (up to `throughSeq`) by the
   * aggregation key: one slice of a run's scan. `lastSeq` is where the next slice starts.
   */
  groupSlice(
    afterSeq: number,
    throughSeq: number,
    limit: number,
  ): { groups: AggregationGroup[]; lastSeq: number | null } {
    const dims = SCM_DIMENSIONS.map((d, i) => `${dimensionSql(d)} AS d${i}`).join(', ');
    const rows = this.conn
      .prepare(
        `SELECT ${AGGREGATION_KEY_SQL} AS k, organization_id, product_id, quantity_data_source, physical_measure,
                fno_journal_name_id, cost_price, trans_date, ${dims},
                sum(quantity) AS quantity, sum(abs(quantity)) AS magnitude, count(*) AS n, max(seq) AS last_seq
           FROM (SELECT seq, organization_id, product_id, quantity_data_source, physical_measure, dimensions,
                        site_id, location_id, fno_journal_name_id, cost_price, trans_date, quantity
                   FROM adjustment_lines INDEXED BY ix_lines_status
                  WHERE status = 'IVPosted' AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?)
          GROUP BY k ORDER BY min(seq)`,
      )
      .all(afterSeq, throughSeq, limit) as (Omit<AggregationGroup, 'dimensions'> & Record<string, unknown>)[];
    let lastSeq: number | null = null;
    const groups = rows.map((r) => {
      lastSeq = Math.max(lastSeq ?? 0, r.last_seq as number);
      const dimensions: Partial<Record<ScmDimension, string>> = {};
      SCM_DIMENSIONS.forEach((d, i) => {
        const v = r[`d${i}`];
        if (v !== null && v !== undefined) dimensions[d] = String(v);
      });
      return {
        k: r.k,
        organization_id: r.organization_id,
        product_id: r.product_id,
        quantity_data_source: r.quantity_data_source,
        physical_measure: r.physical_measure,
        fno_journal_name_id: r.fno_journal_name_id,
        cost_price: r.cost_price,
        trans_date: r.trans_date,
        dimensions,
        quantity: r.quantity,
        magnitude: r.magnitude,
        n: r.n,
      };
    });
    return { groups, lastSeq };
  }

  /**
   * Inserts a run's aggregated lines, each still pending (`pending_through_seq`) until every
   * detailed line of its key up to that seq points at it: cutting journals ignores them until then.
   */
  insertPending(rows: readonly NewAggregatedLine[], throughSeq: number): void {
    this.status.insertAggregated(rows.map((r) => ({ ...r, pending_through_seq: throughSeq })));
  }

  /**
   * The aggregated lines still pending, as the temp key map the move uses; null when none.
   * After a crash they tell the next run what to finish.
   */
  loadPending(): { throughSeq: number; since: string } | null {
    this.conn.db.exec(
      'CREATE TEMP TABLE IF NOT EXISTS aggregation_map (k TEXT PRIMARY KEY, aggregated_line_id TEXT NOT NULL)',
    );
    this.conn.db.exec('DELETE FROM temp.aggregation_map');
    const info = this.conn
      .prepare(
        `SELECT max(pending_through_seq) AS through_seq, min(created_at) AS since FROM aggregated_lines
          WHERE pending_through_seq IS NOT NULL`,
      )
      .get() as { through_seq: number | null; since: string | null };
    if (info.through_seq === null || info.since === null) return null;
    this.conn.db.exec(
      `INSERT INTO temp.aggregation_map (k, aggregated_line_id)
         SELECT aggregation_key, aggregated_line_id FROM aggregated_lines WHERE pending_through_seq IS NOT NULL`,
    );
    return { throughSeq: info.through_seq, since: info.since };
  }

  /**
   * Points the next slice of IVPosted lines (after `afterSeq`, up to `throughSeq`) whose key is
   * pending at its aggregated line. Only lines IVPosted by `ivPostedBy` (the run's start): a line
   * IV took later belongs to the next run, whatever its seq.
   */
  moveSlice(
    afterSeq: number,
    throughSeq: number,
    limit: number,
    ivPostedBy: string,
    at: string,
  ): { moved: number; lastSeq: number | null } {
    const lastSeq = this.conn
      .prepare(
        `SELECT max(seq) FROM (SELECT seq FROM adjustment_lines INDEXED BY ix_lines_status
            WHERE status = 'IVPosted' AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?)`,
      )
      .pluck()
      .get(afterSeq, throughSeq, limit) as number | null;
    if (lastSeq === null) return { moved: 0, lastSeq: null };
    const moved = this.status.aggregateIvPostedLines(
      aggregationKeySql('a'),
      at,
      afterSeq,
      lastSeq,
      ivPostedBy,
    );
    return { moved, lastSeq };
  }

  /** Every detailed line of the pending aggregated lines points at them: they may go to SCM. */
  seal(): number {
    this.conn.db.exec('DELETE FROM temp.aggregation_map');
    return this.conn
      .prepare('UPDATE aggregated_lines SET pending_through_seq = NULL WHERE pending_through_seq IS NOT NULL')
      .run().changes;
  }
}
