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
/** SQL for one SCM dimension of a detailed line; site and warehouse have their own columns. */
const dimensionSql = (d: ScmDimension) => DIMENSION_COLUMN[d] ?? `json_extract(dimensions, '$.${d}')`;

/**
 * The aggregation key as SQL: everything that reaches SCM. External dimensions and the
 * external reference stay out of it.
 */
export const AGGREGATION_KEY_SQL = `json_array(organization_id, product_id, quantity_data_source, physical_measure, ${SCM_DIMENSIONS.map(dimensionSql).join(', ')}, fno_journal_name_id, cost_price, trans_date)`;

/**
 * Aggregation's SQL. Raw SQL here, because the builder cannot say it: the key is a
 * json_array over json_extract'ed dimensions, the scan is pinned to the status index, and the
 * detailed lines find their aggregated line through a temp table in one UPDATE.
 */
export class AggregationStore {
  constructor(
    private readonly conn: LedgerConnection,
    private readonly status: StatusWriter,
  ) {}

  /** Groups every IVPosted line up to `maxSeq` by the aggregation key, in one set-based pass. */
  groups(maxSeq: number): AggregationGroup[] {
    const dims = SCM_DIMENSIONS.map((d, i) => `${dimensionSql(d)} AS d${i}`).join(', ');
    const rows = this.conn
      .prepare(
        `SELECT ${AGGREGATION_KEY_SQL} AS k, organization_id, product_id, quantity_data_source, physical_measure,
                fno_journal_name_id, cost_price, trans_date, ${dims},
                sum(quantity) AS quantity, sum(abs(quantity)) AS magnitude, count(*) AS n, min(seq) AS first_seq
           FROM adjustment_lines INDEXED BY ix_lines_status WHERE status = 'IVPosted' AND seq <= ?
          GROUP BY k ORDER BY first_seq`,
      )
      .all(maxSeq) as (Omit<AggregationGroup, 'dimensions'> & Record<string, unknown>)[];
    return rows.map((r) => {
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
  }

  /** The seq of the `limit`-th oldest IVPosted line (or of the newest, when there are fewer). */
  ivPostedSeqLimit(limit: number): number | null {
    return this.conn
      .prepare(
        `SELECT max(seq) FROM (SELECT seq FROM adjustment_lines WHERE status = 'IVPosted' ORDER BY seq LIMIT ?)`,
      )
      .pluck()
      .get(limit) as number | null;
  }

  /**
   * Inserts the aggregated lines and points every grouped detailed line at its own; run
   * inside the caller's transaction together with groups.
   */
  write(rows: readonly NewAggregatedLine[], at: string, maxSeq: number): number {
    this.conn.db.exec(
      'CREATE TEMP TABLE IF NOT EXISTS aggregation_map (k TEXT PRIMARY KEY, aggregated_line_id TEXT NOT NULL)',
    );
    this.conn.db.exec('DELETE FROM temp.aggregation_map');
    this.status.insertAggregated(rows);
    const map = this.conn.db.prepare(
      'INSERT INTO temp.aggregation_map (k, aggregated_line_id) VALUES (?, ?)',
    );
    for (const r of rows) map.run(r.aggregation_key, r.aggregated_line_id);
    const moved = this.status.aggregateIvPostedLines(AGGREGATION_KEY_SQL, at, maxSeq);
    this.conn.db.exec('DELETE FROM temp.aggregation_map');
    return moved;
  }
}
