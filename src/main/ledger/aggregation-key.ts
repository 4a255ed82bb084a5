import { SCM_DIMENSIONS, type ScmDimension } from '../../shared/dimensions';
import type { LedgerConnection } from './connection';

/** What an aggregated line takes from the first detailed line of its key (the same for every line of it). */
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
}

const DIMENSION_COLUMN: Record<string, string> = { siteId: 'site_id', locationId: 'location_id' };
/** SQL for one SCM dimension of a detailed line (`p`: a table alias and dot, or ''); site and warehouse have their own columns. */
const dimensionSql = (d: ScmDimension, p = '') =>
  DIMENSION_COLUMN[d] ? `${p}${DIMENSION_COLUMN[d]}` : `json_extract(${p}dimensions, '$.${d}')`;

/**
 * The aggregation key over the lines aliased `alias` (or unaliased). The JSON dimensions are
 * read with one json_extract of every path (one parse of the object per line, not one per
 * dimension: 15% of a run's reading).
 */
export function aggregationKeySql(alias?: string): string {
  const p = alias ? `${alias}.` : '';
  const paths = SCM_DIMENSIONS.filter((d) => !DIMENSION_COLUMN[d]).map((d) => `'$.${d}'`);
  return `json_array(${p}organization_id, ${p}product_id, ${p}quantity_data_source, ${p}physical_measure, ${p}site_id, ${p}location_id, json_extract(${p}dimensions, ${paths.join(', ')}), ${p}fno_journal_name_id, ${p}cost_price, ${p}trans_date)`;
}

/**
 * The aggregation key as SQL: everything that reaches SCM. External dimensions and the
 * external reference stay out of it.
 */
export const AGGREGATION_KEY_SQL = aggregationKeySql();

/**
 * Hot path (once per key a run meets first): the key and its representative fields, with the
 * SCM dimensions as d0…dn. Parameter: the line's seq.
 */
const GROUP_OF_SQL = `SELECT ${AGGREGATION_KEY_SQL} AS k, organization_id, product_id, quantity_data_source, physical_measure,
    fno_journal_name_id, cost_price, trans_date, ${SCM_DIMENSIONS.map((d, i) => `${dimensionSql(d)} AS d${i}`).join(', ')}
  FROM adjustment_lines WHERE seq = ?`;

type GroupRow = Omit<AggregationGroup, 'dimensions'> & Record<`d${number}`, string | number | null>;

/** The representative fields of a key, from one of its lines. */
export function groupOf(conn: LedgerConnection, seq: number): AggregationGroup {
  const r = conn.prepare(GROUP_OF_SQL).get(seq) as GroupRow;
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
  };
}
