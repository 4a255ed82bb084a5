import { SCM_DIMENSIONS, type ScmDimension } from '../../shared/dimensions';
import type { LedgerConnection } from './connection';
import type { NewAggregatedLine } from './schema';
import type { StatusWriter } from './transitions';

/** What an aggregated line takes from the first detailed line of its key (domain.md §2). */
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

/** One run: the lines IVPosted by `since` (its start), up to `throughSeq` (the newest IVPosted then). */
export interface AggregationRun {
  throughSeq: number;
  since: string;
}

/** A pending aggregated line with its sums so far, as the seal reads it. */
export interface PendingAggregatedLine {
  seq: number;
  aggregated_line_id: string;
  physical_measure: string;
  quantity: number;
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
 * scans are pinned to the status index, and a slice works set-based through two temp tables:
 * `aggregation_map` (key → the run's pending aggregated line) and `aggregation_slice` (the
 * slice's lines, each with its key computed once).
 */
export class AggregationStore {
  private autocheckpoint: number | null = null;

  constructor(
    private readonly conn: LedgerConnection,
    private readonly status: StatusWriter,
  ) {}

  /**
   * Before a run: empty temp tables, and the WAL's checkpoints off this connection's commits.
   * A run rewrites every page of its lines; copying them back into the file inside each
   * slice's commit (fsync included) would double a slice's time, so the checkpointer thread
   * does it between slices instead (`checkpoint`).
   */
  begin(): void {
    this.conn.db.exec(`
      CREATE TEMP TABLE IF NOT EXISTS aggregation_map (k TEXT PRIMARY KEY, aggregated_seq INTEGER NOT NULL);
      CREATE TEMP TABLE IF NOT EXISTS aggregation_slice (
        seq INTEGER PRIMARY KEY, k TEXT NOT NULL, quantity REAL NOT NULL, aggregated_seq INTEGER);
      DELETE FROM temp.aggregation_map;
      DELETE FROM temp.aggregation_slice;
    `);
    this.autocheckpoint ??= this.conn.db.pragma('wal_autocheckpoint', { simple: true }) as number;
    this.conn.db.pragma('wal_autocheckpoint = 0');
  }

  /** After a run, however it ended. */
  end(): void {
    this.conn.db.exec('DELETE FROM temp.aggregation_map; DELETE FROM temp.aggregation_slice;');
    if (this.autocheckpoint !== null) this.conn.db.pragma(`wal_autocheckpoint = ${this.autocheckpoint}`);
    this.autocheckpoint = null;
    this.checkpoint();
  }

  /** Copies the WAL back into the ledger file on the checkpointer thread (never blocks the loop). */
  checkpoint(): void {
    this.conn.bulk.checkpointInBackground();
  }

  /** Once the checkpointer has caught up, the next commit starts the WAL over: it stops growing. */
  checkpointed(): Promise<void> {
    return this.conn.bulk.checkpointed();
  }

  /** The newest IVPosted line: a run aggregates what was IVPosted up to it when it started. */
  ivPostedMaxSeq(): number | null {
    return this.conn
      .prepare("SELECT max(seq) FROM adjustment_lines INDEXED BY ix_lines_status WHERE status = 'IVPosted'")
      .pluck()
      .get() as number | null;
  }

  /** A run cut short (crash, stop) left its aggregated lines pending: that run; null when there is none. */
  pendingRun(): AggregationRun | null {
    const info = this.conn
      .prepare(
        `SELECT max(pending_through_seq) AS through_seq, min(created_at) AS since FROM aggregated_lines
          WHERE pending_through_seq IS NOT NULL`,
      )
      .get() as { through_seq: number | null; since: string | null };
    if (info.through_seq === null || info.since === null) return null;
    return { throughSeq: info.through_seq, since: info.since };
  }

  /** Before a run's first slice: the key map holds the pending lines (a run cut short), no other. */
  openRun(): void {
    this.conn.db.exec(`
      DELETE FROM temp.aggregation_map;
      INSERT INTO temp.aggregation_map (k, aggregated_seq)
        SELECT aggregation_key, seq FROM aggregated_lines WHERE pending_through_seq IS NOT NULL;
    `);
  }

  /**
   * One slice, inside the caller's transaction: the next `limit` lines of the run after
   * `afterSeq` are added to their key's pending aggregated line (made by `make` for a key the
   * run has not met yet) and pointed at it (IVPosted → Aggregated). Sums and moves commit
   * together, so a pending line always holds exactly the lines that point at it.
   */
  slice(
    run: AggregationRun,
    afterSeq: number,
    limit: number,
    at: string,
    make: (group: AggregationGroup) => NewAggregatedLine,
  ): { lastSeq: number | null; moved: number; created: number } {
    const db = this.conn.db;
    db.exec('DELETE FROM temp.aggregation_slice');
    // The key is computed once per line; the LIMIT walks the status index from where the last slice ended.
    const read = this.conn
      .prepare(
        `WITH s AS MATERIALIZED (
           SELECT seq, ${AGGREGATION_KEY_SQL} AS k, quantity FROM adjustment_lines INDEXED BY ix_lines_status
            WHERE status = 'IVPosted' AND seq > ? AND seq <= ? AND (iv_posted_at IS NULL OR iv_posted_at <= ?)
            ORDER BY seq LIMIT ?)
         INSERT INTO temp.aggregation_slice (seq, k, quantity, aggregated_seq)
         SELECT s.seq, s.k, s.quantity, m.aggregated_seq FROM s LEFT JOIN temp.aggregation_map AS m ON m.k = s.k`,
      )
      .run(afterSeq, run.throughSeq, run.since, limit).changes;
    if (read === 0) return { lastSeq: null, moved: 0, created: 0 };
    const lastSeq = this.conn.prepare('SELECT max(seq) FROM temp.aggregation_slice').pluck().get() as number;

    const fresh = this.conn
      .prepare('SELECT min(seq) FROM temp.aggregation_slice WHERE aggregated_seq IS NULL GROUP BY k')
      .pluck()
      .all() as number[];
    for (const seq of fresh) {
      const group = this.groupOf(seq);
      const aggregatedSeq = this.status.insertAggregated([
        { ...make(group), pending_through_seq: run.throughSeq, pending_magnitude: 0 },
      ]);
      this.conn
        .prepare('INSERT INTO temp.aggregation_map (k, aggregated_seq) VALUES (?, ?)')
        .run(group.k, aggregatedSeq);
    }
    if (fresh.length > 0) {
      db.exec(`UPDATE temp.aggregation_slice SET aggregated_seq = (
                 SELECT m.aggregated_seq FROM temp.aggregation_map AS m WHERE m.k = aggregation_slice.k)
               WHERE aggregated_seq IS NULL`);
    }

    const groups = this.conn
      .prepare(
        `UPDATE aggregated_lines
            SET quantity = aggregated_lines.quantity + g.q, pending_magnitude = aggregated_lines.pending_magnitude + g.m,
                detailed_line_count = aggregated_lines.detailed_line_count + g.n, updated_at = ?,
                first_line_seq = min(coalesce(aggregated_lines.first_line_seq, g.f), g.f),
                last_line_seq = max(coalesce(aggregated_lines.last_line_seq, g.l), g.l)
           FROM (SELECT aggregated_seq, sum(quantity) AS q, sum(abs(quantity)) AS m, count(*) AS n,
                        min(seq) AS f, max(seq) AS l
                   FROM temp.aggregation_slice GROUP BY aggregated_seq) AS g
          WHERE aggregated_lines.seq = g.aggregated_seq AND +aggregated_lines.pending_through_seq IS NOT NULL`,
      )
      .run(at).changes;
    const keys = this.conn
      .prepare('SELECT count(DISTINCT aggregated_seq) FROM temp.aggregation_slice')
      .pluck()
      .get() as number;
    const moved = this.status.aggregateSlice(at, afterSeq, lastSeq);
    // Anything else would count a line in no aggregated line, or in one it does not point at.
    if (groups !== keys || moved !== read) {
      throw new Error(
        `aggregation slice after seq ${afterSeq}: ${read} lines read, ${moved} moved, ${groups} of ${keys} keys summed`,
      );
    }
    return { lastSeq, moved, created: fresh.length };
  }

  /** The representative fields of a key, from one of its lines. */
  private groupOf(seq: number): AggregationGroup {
    const dims = SCM_DIMENSIONS.map((d, i) => `${dimensionSql(d)} AS d${i}`).join(', ');
    const r = this.conn
      .prepare(
        `SELECT ${AGGREGATION_KEY_SQL} AS k, organization_id, product_id, quantity_data_source, physical_measure,
                fno_journal_name_id, cost_price, trans_date, ${dims}
           FROM adjustment_lines WHERE seq = ?`,
      )
      .get(seq) as Omit<AggregationGroup, 'dimensions'> & Record<string, unknown>;
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

  /** The next `limit` pending aggregated lines after `afterSeq`, with their sums, for the seal. */
  pendingLines(afterSeq: number, limit: number): PendingAggregatedLine[] {
    return this.conn
      .prepare(
        `SELECT seq, aggregated_line_id, physical_measure, quantity, coalesce(pending_magnitude, abs(quantity)) AS magnitude,
                detailed_line_count AS n
           FROM aggregated_lines INDEXED BY ix_aggregated_pending
          WHERE pending_through_seq IS NOT NULL AND seq > ? ORDER BY seq LIMIT ?`,
      )
      .all(afterSeq, limit) as PendingAggregatedLine[];
  }

  /**
   * Seals a pending line once every line of its run points at it: its final quantity and
   * target; from now on it may go to SCM (or, with a reason, moves on to DoNotSync).
   */
  seal(
    line: PendingAggregatedLine,
    quantity: number,
    target: string,
    reason: string | null,
    at: string,
  ): void {
    this.conn
      .prepare(
        `UPDATE aggregated_lines SET quantity = ?, target_transaction_status = ?, updated_at = ?,
                pending_through_seq = NULL, pending_magnitude = NULL
          WHERE seq = ? AND pending_through_seq IS NOT NULL`,
      )
      .run(quantity, target, at, line.seq);
    if (reason) {
      this.status.moveAggregated(
        [{ id: line.aggregated_line_id, fields: { status_reason: reason } }],
        'DoNotSync',
        at,
      );
    }
  }
}
