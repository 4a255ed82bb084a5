import { type AggregationGroup, aggregationKeySql, groupOf } from './aggregation-key';
import type { LedgerConnection } from './connection';
import type { NewAggregatedLine } from './schema';
import type { StatusWriter } from './transitions';

/** One run: the queued lines up to `throughSeq` (the newest when it started); `since`, its start, dates its aggregated lines. */
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

/** A pending aggregated line's sums as the run keeps them between writes. */
interface KeyTotals {
  seq: number;
  quantity: number;
  magnitude: number;
  n: number;
  first: number | null;
  last: number | null;
}

/** What one slice did: its last line, how many lines it aggregated, how many keys it met first. */
interface SliceResult {
  lastSeq: number | null;
  moved: number;
  created: number;
}

/**
 * Sums are written to the pending aggregated lines once per this many lines (and at the end of
 * a run), not with every slice: each slice meets most keys, and rewriting every key's line
 * every slice cost a run more than its reading. A run cut short re-reads at most this many
 * lines' links to rebuild the sums (`openRun`).
 */
const SUMS_EVERY_LINES = 50_000;

/*
 * Aggregation's hot paths, as raw SQL (the builder cannot say the key, a json_array over
 * json_extract'ed dimensions, nor an index hint), every value bound. Rows as typed below.
 */
/** A run's pending lines with their sums as last written. No parameter; rows: KeyTotals & { k, summed }. */
const PENDING_SUMS_SQL = `SELECT seq, aggregation_key AS k, quantity, coalesce(pending_magnitude, abs(quantity)) AS magnitude,
    detailed_line_count AS n, first_line_seq AS first, last_line_seq AS last,
    coalesce(pending_summed_through, 0) AS summed
  FROM aggregated_lines INDEXED BY ix_aggregated_pending WHERE pending_through_seq IS NOT NULL`;
/** Links made after a pending line's sums were last written. Parameter: since; raw rows [seq, aggregated seq, quantity]. */
const UNSUMMED_LINKS_SQL = `SELECT a.seq, a.aggregated_seq, l.quantity FROM line_aggregation AS a
    JOIN aggregated_lines AS g ON g.seq = a.aggregated_seq
    JOIN adjustment_lines AS l ON l.seq = a.seq
  WHERE a.seq > ? AND g.pending_through_seq IS NOT NULL AND a.seq > g.pending_summed_through`;
/** A slice's last queued line. Parameters: after, through, limit; plucked: number | null. */
const SLICE_END_SQL =
  'SELECT max(seq) FROM (SELECT seq FROM aggregation_queue WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?)';
/**
 * A slice's lines with their key: a bounded range, not ORDER BY … LIMIT (SQLite walks the join
 * 2–3 × faster so). Parameters: after, last; raw rows [seq, key, quantity].
 */
const SLICE_LINES_SQL = `SELECT q.seq, ${aggregationKeySql('l')}, l.quantity
  FROM aggregation_queue AS q JOIN adjustment_lines AS l ON l.seq = q.seq
  WHERE q.seq > ? AND q.seq <= ?`;
/** Parameters: quantity, magnitude, n, first, last, summed through, at, seq. */
const WRITE_SUMS_SQL = `UPDATE aggregated_lines SET quantity = ?, pending_magnitude = ?, detailed_line_count = ?,
    first_line_seq = ?, last_line_seq = ?, pending_summed_through = ?, updated_at = ?
  WHERE seq = ? AND pending_through_seq IS NOT NULL`;
/** Parameters: after, limit; rows: PendingAggregatedLine. */
const PENDING_LINES_SQL = `SELECT seq, aggregated_line_id, physical_measure, quantity,
    coalesce(pending_magnitude, abs(quantity)) AS magnitude, detailed_line_count AS n
  FROM aggregated_lines INDEXED BY ix_aggregated_pending
  WHERE pending_through_seq IS NOT NULL AND seq > ? ORDER BY seq LIMIT ?`;
/** Parameters: quantity, target, at, seq. */
const SEAL_SQL = `UPDATE aggregated_lines SET quantity = ?, target_transaction_status = ?, updated_at = ?,
    pending_through_seq = NULL, pending_magnitude = NULL, pending_summed_through = NULL
  WHERE seq = ? AND pending_through_seq IS NOT NULL`;

/**
 * Aggregation's SQL, in slices a run strings together (sync/aggregation.ts). Raw SQL here,
 * because the builder cannot say it: the key is a json_array over json_extract'ed dimensions.
 * A slice reads the queued lines in a seq range (`aggregation_queue` ⋈ the lines), keeps each
 * key's sums in memory, and in one transaction links its lines (`line_aggregation`), takes
 * them off the queue and, now and then, writes the sums; the lines' own rows are not rewritten.
 */
export class AggregationStore {
  private autocheckpoint: number | null = null;
  /** The run's keys: the key SQL's text → its pending aggregated line and sums so far. */
  private readonly keys = new Map<string, KeyTotals>();
  private unsummed = 0;
  private sumsEveryLines = SUMS_EVERY_LINES;

  constructor(
    private readonly conn: LedgerConnection,
    private readonly status: StatusWriter,
  ) {}

  /**
   * Before a run: no keys, and the WAL's checkpoints off this connection's commits. Copying a
   * run's pages back into the file inside each slice's commit (fsync included) would double a
   * slice's time, so the checkpointer thread does it between slices instead (`checkpoint`).
   */
  begin(sumsEveryLines = SUMS_EVERY_LINES): void {
    this.sumsEveryLines = sumsEveryLines;
    this.keys.clear();
    this.unsummed = 0;
    this.autocheckpoint ??= this.conn.db.pragma('wal_autocheckpoint', { simple: true }) as number;
    this.conn.db.pragma('wal_autocheckpoint = 0');
  }

  /** After a run, however it ended. */
  end(): void {
    this.keys.clear();
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

  /** The newest queued line: a run aggregates the queue up to it. */
  ivPostedMaxSeq(): number | null {
    const row = this.conn.first(
      this.conn.qb.selectFrom('aggregation_queue').select((eb) => eb.fn.max('seq').as('seq')),
    );
    return row?.seq ?? null;
  }

  /** A run cut short (crash, stop) left its aggregated lines pending: that run; null when there is none. */
  pendingRun(): AggregationRun | null {
    const info = this.conn.first(
      this.conn.qb
        .selectFrom('aggregated_lines')
        .select((eb) => [
          eb.fn.max<number | null>('pending_through_seq').as('through_seq'),
          eb.fn.min<string | null>('created_at').as('since'),
        ])
        .where('pending_through_seq', 'is not', null),
    );
    if (!info || info.through_seq === null || info.since === null) return null;
    return { throughSeq: info.through_seq, since: info.since };
  }

  /**
   * Before a run's first slice: its keys are the pending lines (a run cut short, or stopped),
   * with their sums as last written plus the lines linked to them since. Those sums are
   * written back at once, all as of the newest link, and the walk goes on from there: within
   * a walk, links are made in seq order, so "linked after the sums were written" stays "seq
   * after the line's mark". Queued lines below it wait for the next run. Answers where the
   * walk starts.
   */
  openRun(at: string): number {
    this.keys.clear();
    this.unsummed = 0;
    const pending = this.conn.prepare(PENDING_SUMS_SQL).all() as (KeyTotals & {
      k: string;
      summed: number;
    })[];
    if (pending.length === 0) return 0;
    const bySeq = new Map<number, KeyTotals>();
    // Sums were last written as of `since` for some keys, later for keys met after it.
    let since = pending[0]!.summed;
    let cursor = since;
    for (const { k, summed, ...totals } of pending) {
      this.keys.set(k, totals);
      bySeq.set(totals.seq, totals);
      since = Math.min(since, summed);
      cursor = Math.max(cursor, summed);
    }
    const unsummed = this.conn.prepare(UNSUMMED_LINKS_SQL).raw().all(since) as [number, number, number][];
    for (const [seq, aggregatedSeq, quantity] of unsummed) {
      add(bySeq.get(aggregatedSeq)!, seq, quantity);
      cursor = Math.max(cursor, seq);
    }
    this.saveSums(cursor, at);
    return cursor;
  }

  /**
   * One slice, in its own transaction: the next `limit` queued lines of the run after
   * `afterSeq` are linked to their key's pending aggregated line (made by `make` for a key the
   * run has not met yet) and leave the queue (IVPosted → Aggregated). The run's sums take the
   * slice in once its transaction has committed.
   */
  slice(
    run: AggregationRun,
    afterSeq: number,
    limit: number,
    at: string,
    make: (group: AggregationGroup) => NewAggregatedLine,
  ): SliceResult {
    // The slice's keys with their sums after it; they replace the run's own once committed.
    const touched = new Map<string, KeyTotals>();
    let created = 0;
    const result = this.conn.writeNow(
      (): SliceResult => {
        const lastSeq = this.conn.prepare(SLICE_END_SQL).pluck().get(afterSeq, run.throughSeq, limit) as
          | number
          | null;
        if (lastSeq === null) return { lastSeq: null, moved: 0, created: 0 };
        const rows = this.conn.prepare(SLICE_LINES_SQL).raw().all(afterSeq, lastSeq) as [
          number,
          string,
          number,
        ][];
        const links: [number, number][] = [];
        for (const [seq, k, quantity] of rows) {
          let totals = touched.get(k);
          if (!totals) {
            const known = this.keys.get(k);
            totals = known ? { ...known } : this.newKey(run, afterSeq, seq, make);
            if (!known) created++;
            touched.set(k, totals);
          }
          add(totals, seq, quantity);
          links.push([seq, totals.seq]);
        }
        const { linked, dequeued } = this.status.aggregateSlice(afterSeq, lastSeq, links);
        // Anything else would count a line in no aggregated line, or in one it does not point at.
        if (linked !== rows.length || dequeued !== rows.length) {
          throw new Error(
            `aggregation slice after seq ${afterSeq}: ${rows.length} lines read, ${linked} linked, ${dequeued} off the queue`,
          );
        }
        if (this.unsummed + rows.length >= this.sumsEveryLines) this.writeSums(lastSeq, at, touched);
        return { lastSeq, moved: rows.length, created };
      },
      { redoable: true },
    );
    for (const [k, totals] of touched) this.keys.set(k, totals);
    this.unsummed = this.unsummed + result.moved >= this.sumsEveryLines ? 0 : this.unsummed + result.moved;
    return result;
  }

  /**
   * Writes the run's sums as of `cursor` (its last linked line): after its last slice, before
   * the seal, and when it stops early, so that pending lines at rest hold exactly their lines.
   */
  saveSums(cursor: number, at: string): void {
    this.conn.writeNow(() => this.writeSums(cursor, at, new Map()), { redoable: true });
    this.unsummed = 0;
  }

  /** A key the run meets first: its pending aggregated line, summing nothing yet. */
  private newKey(
    run: AggregationRun,
    afterSeq: number,
    seq: number,
    make: (group: AggregationGroup) => NewAggregatedLine,
  ): KeyTotals {
    const aggregatedSeq = this.status.insertAggregated([
      {
        ...make(groupOf(this.conn, seq)),
        pending_through_seq: run.throughSeq,
        pending_magnitude: 0,
        // Its sums (none yet) hold its lines up to here: there are none.
        pending_summed_through: afterSeq,
        first_line_seq: seq,
      },
    ]);
    return { seq: aggregatedSeq, quantity: 0, magnitude: 0, n: 0, first: seq, last: null };
  }

  /** Writes the run's sums (with `touched` in place of the run's own) into its pending lines, as of `through`. */
  private writeSums(through: number, at: string, touched: ReadonlyMap<string, KeyTotals>): void {
    const update = this.conn.prepare(WRITE_SUMS_SQL);
    const write = (t: KeyTotals) => {
      if (update.run(t.quantity, t.magnitude, t.n, t.first, t.last, through, at, t.seq).changes !== 1)
        throw new Error(`aggregated line ${t.seq} is not pending: its sums cannot be written`);
    };
    for (const [k, totals] of this.keys) if (!touched.has(k)) write(totals);
    for (const totals of touched.values()) write(totals);
  }

  /** The next `limit` pending aggregated lines after `afterSeq`, with their sums, for the seal. */
  pendingLines(afterSeq: number, limit: number): PendingAggregatedLine[] {
    return this.conn.prepare(PENDING_LINES_SQL).all(afterSeq, limit) as PendingAggregatedLine[];
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
    this.conn.prepare(SEAL_SQL).run(quantity, target, at, line.seq);
    if (reason) {
      this.status.moveAggregated(
        [{ id: line.aggregated_line_id, fields: { status_reason: reason } }],
        'DoNotSync',
        at,
      );
    }
  }
}

/** One more line in a key's sums. */
function add(totals: KeyTotals, seq: number, quantity: number): void {
  totals.quantity += quantity;
  totals.magnitude += Math.abs(quantity);
  totals.n++;
  totals.first = totals.first === null ? seq : Math.min(totals.first, seq);
  totals.last = totals.last === null ? seq : Math.max(totals.last, seq);
}
