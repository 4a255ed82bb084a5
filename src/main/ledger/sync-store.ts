import { SCM_DIMENSIONS, type ScmDimension } from '../../shared/dimensions';
import type { AggregatedStatus, LineStatus, TargetTransactionStatus } from '../../shared/status';
import type { JobName, SyncRunSummary } from '../../shared/sync-status';
import type { Attempt, ErrorKind } from '../../shared/views';
import type { LedgerConnection } from './connection';
import { JournalBatchStore } from './journal-batches';
import type { AggregatedLineRow, NewAggregatedLine } from './schema';
import { MappingStore } from './settings-store';
import { StatusWriter } from './transitions';

/** What the IV job needs of a Created line to build its on-hand change event. */
export interface DueLine {
  seq: number;
  line_record_id: string;
  organization_id: string;
  product_id: string;
  quantity_data_source: string;
  physical_measure: string;
  quantity: number;
  dimensions: string;
  attempts: number;
}

export interface AttemptTarget {
  id: string;
  outcome: string;
  message?: string | null;
}

export interface NewAttempt {
  runId: number | null;
  job: JobName;
  action: string;
  at: string;
  durationMs: number;
  outcome: 'ok' | ErrorKind;
  request: string | null;
  response: string | null;
  targets: readonly AttemptTarget[];
}

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

interface RunRow {
  run_id: number;
  job: JobName;
  trigger: string;
  started_at: string;
  finished_at: string | null;
  outcome: string;
  message: string | null;
  counts: string;
}

function toRun(r: RunRow): SyncRunSummary {
  return {
    runId: r.run_id,
    job: r.job,
    trigger: r.trigger as SyncRunSummary['trigger'],
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    outcome: r.outcome as SyncRunSummary['outcome'],
    message: r.message,
    counts: JSON.parse(r.counts) as Record<string, number>,
  };
}

/**
 * The sync engine's SQL: its reads, its bookkeeping (runs, attempts, journal batches) and,
 * through StatusWriter, every status it writes.
 */
export class SyncStore {
  readonly status: StatusWriter;
  readonly batches: JournalBatchStore;

  constructor(readonly conn: LedgerConnection) {
    this.status = new StatusWriter(conn);
    this.batches = new JournalBatchStore(conn);
  }

  transaction<T>(fn: () => T): T {
    return this.conn.transaction(fn);
  }

  // ---------------------------------------------------------------- IV job

  /**
   * Created lines after `afterSeq`, oldest first. With `dueAt`, lines IV rejected are held
   * back until their `next_attempt_at`; without it (on demand) they go too.
   */
  dueCreatedLines(afterSeq: number, limit: number, dueAt: string | null, instantOnly = false): DueLine[] {
    const columns =
      'seq, line_record_id, organization_id, product_id, quantity_data_source, physical_measure, quantity, dimensions, attempts';
    const due = dueAt === null ? '' : 'AND (next_attempt_at IS NULL OR next_attempt_at <= ?)';
    const instant = instantOnly ? 'AND instant_iv = 1' : '';
    const params: unknown[] = [afterSeq];
    if (dueAt !== null) params.push(dueAt);
    return this.conn
      .prepare(
        `SELECT ${columns} FROM adjustment_lines
          WHERE status = 'Created' AND seq > ? ${due} ${instant} ORDER BY seq LIMIT ?`,
      )
      .all(...params, limit) as DueLine[];
  }

  /** A line stays Created with the upstream's message; `nextAttemptAt` holds it back. */
  lineFailed(id: string, message: string, kind: ErrorKind, nextAttemptAt: string | null): void {
    this.conn
      .prepare(
        `UPDATE adjustment_lines SET last_error = ?, last_error_kind = ?, next_attempt_at = ?, attempts = attempts + 1
          WHERE line_record_id = ? AND status = 'Created'`,
      )
      .run(message, kind, nextAttemptAt, id);
  }

  // ---------------------------------------------------------------- aggregation

  /** Groups every IVPosted line up to `maxSeq` by the aggregation key, in one set-based pass. */
  aggregationGroups(maxSeq: number): AggregationGroup[] {
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
   * inside the caller's transaction together with aggregationGroups.
   */
  writeAggregation(rows: readonly NewAggregatedLine[], at: string, maxSeq: number): number {
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

  // ---------------------------------------------------------------- SCM job

  /** measure key → target status, read at aggregation time. */
  mappingTargets(): Map<string, TargetTransactionStatus> {
    return new MappingStore(this.conn).targets();
  }

  aggregatedStatuses(ids: readonly string[]): Map<string, AggregatedLineRow> {
    const statement = this.conn.prepare('SELECT * FROM aggregated_lines WHERE aggregated_line_id = ?');
    const out = new Map<string, AggregatedLineRow>();
    for (const id of ids) {
      const row = statement.get(id) as AggregatedLineRow | undefined;
      if (row) out.set(id, row);
    }
    return out;
  }

  // ---------------------------------------------------------------- counts

  /** From the counters the ledger keeps per status (no scan of the lines). */
  lineCounts(): Record<LineStatus, number> {
    const rows = this.conn.prepare('SELECT status, n FROM line_status_counts').all() as {
      status: LineStatus;
      n: number;
    }[];
    const out: Record<LineStatus, number> = { Created: 0, IVPosted: 0, Aggregated: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  aggregatedCounts(): {
    counts: Record<AggregatedStatus, number>;
    /** Detailed lines behind aggregated lines not yet done in SCM (nor set aside). */
    openDetailed: number;
  } {
    const rows = this.conn.prepare('SELECT status, n FROM aggregated_status_counts').all() as {
      status: AggregatedStatus;
      n: number;
    }[];
    const counts: Record<AggregatedStatus, number> = {
      Created: 0,
      DoNotSync: 0,
      FnOSent: 0,
      FnOCreateError: 0,
      FnOCreated: 0,
      FnOPostError: 0,
      FnOPosted: 0,
    };
    for (const r of rows) counts[r.status] = r.n;
    const openDetailed = this.conn
      .prepare(
        `SELECT coalesce(sum(detailed_line_count), 0) FROM aggregated_lines
          WHERE status IN ('Created', 'FnOSent', 'FnOCreateError', 'FnOPostError')
             OR (status = 'FnOCreated' AND target_transaction_status = 'Posted')`,
      )
      .pluck()
      .get() as number;
    return { counts, openDetailed };
  }

  // ---------------------------------------------------------------- runs

  startRun(job: JobName, trigger: SyncRunSummary['trigger'], at: string): number {
    return Number(
      this.conn
        .prepare(
          "INSERT INTO sync_runs (job, trigger, started_at, outcome, counts) VALUES (?, ?, ?, 'running', '{}')",
        )
        .run(job, trigger, at).lastInsertRowid,
    );
  }

  finishRun(
    runId: number,
    at: string,
    outcome: SyncRunSummary['outcome'],
    message: string | null,
    counts: Record<string, number>,
  ): void {
    this.conn
      .prepare('UPDATE sync_runs SET finished_at = ?, outcome = ?, message = ?, counts = ? WHERE run_id = ?')
      .run(at, outcome, message, JSON.stringify(counts), runId);
  }

  run(runId: number): SyncRunSummary | undefined {
    const row = this.conn.prepare('SELECT * FROM sync_runs WHERE run_id = ?').get(runId) as
      | RunRow
      | undefined;
    return row ? toRun(row) : undefined;
  }

  runs(top: number): SyncRunSummary[] {
    return (
      this.conn.prepare('SELECT * FROM sync_runs ORDER BY run_id DESC LIMIT ?').all(top) as RunRow[]
    ).map(toRun);
  }

  /** Runs a crash cut short: they say so instead of staying 'running' forever. */
  closeInterruptedRuns(at: string): number {
    return this.conn
      .prepare(
        "UPDATE sync_runs SET outcome = 'failed', finished_at = ?, message = 'Interrupted: Store Ledger stopped during this run; the next run finished its work.' WHERE outcome = 'running'",
      )
      .run(at).changes;
  }

  lastRunTimes(job: JobName): { lastRunAt: string | null; lastSuccessAt: string | null } {
    const last = this.conn
      .prepare('SELECT max(started_at) FROM sync_runs WHERE job = ? AND outcome <> ?')
      .pluck()
      .get(job, 'skipped') as string | null;
    const success = this.conn
      .prepare("SELECT max(finished_at) FROM sync_runs WHERE job = ? AND outcome IN ('ok','partial')")
      .pluck()
      .get(job) as string | null;
    return { lastRunAt: last, lastSuccessAt: success };
  }

  /**
   * Drops the troubleshooting history (runs, attempts) older than `before`. Lines keep their
   * status and last error; only the per-call log goes, so the ledger does not grow without end.
   */
  pruneHistory(before: string): { runs: number; attempts: number } {
    return this.transaction(() => {
      const lastAttempt = this.conn
        .prepare('SELECT max(attempt_id) FROM sync_attempts WHERE at < ?')
        .pluck()
        .get(before) as number | null;
      if (lastAttempt !== null) {
        this.conn.prepare('DELETE FROM sync_attempt_targets WHERE attempt_id <= ?').run(lastAttempt);
      }
      const attempts =
        lastAttempt === null
          ? 0
          : this.conn.prepare('DELETE FROM sync_attempts WHERE attempt_id <= ?').run(lastAttempt).changes;
      const runs = this.conn
        .prepare(
          `DELETE FROM sync_runs WHERE finished_at < ?
             AND NOT EXISTS (SELECT 1 FROM sync_attempts a WHERE a.run_id = sync_runs.run_id)`,
        )
        .run(before).changes;
      return { runs, attempts };
    });
  }

  // ---------------------------------------------------------------- attempts

  recordAttempt(a: NewAttempt): number {
    const attemptId = Number(
      this.conn
        .prepare(
          `INSERT INTO sync_attempts (run_id, job, action, at, duration_ms, outcome, request, response)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(a.runId, a.job, a.action, a.at, Math.round(a.durationMs), a.outcome, a.request, a.response)
        .lastInsertRowid,
    );
    const target = this.conn.prepare(
      'INSERT OR IGNORE INTO sync_attempt_targets (target_id, attempt_id, outcome, message) VALUES (?, ?, ?, ?)',
    );
    for (const t of a.targets) target.run(t.id, attemptId, t.outcome, t.message ?? null);
    return attemptId;
  }

  attemptsFor(targetId: string, limit = 200): Attempt[] {
    const rows = this.conn
      .prepare(
        `SELECT a.attempt_id, a.job, a.action, a.at, a.duration_ms, t.outcome AS target_outcome, a.request,
                a.response, t.message
           FROM sync_attempt_targets t JOIN sync_attempts a ON a.attempt_id = t.attempt_id
          WHERE t.target_id = ? ORDER BY a.attempt_id DESC LIMIT ?`,
      )
      .all(targetId, limit) as {
      attempt_id: number;
      job: JobName;
      action: string;
      at: string;
      duration_ms: number;
      target_outcome: string;
      request: string | null;
      response: string | null;
      message: string | null;
    }[];
    return rows.map((r) => ({
      attemptId: r.attempt_id,
      job: r.job,
      action: r.action,
      at: r.at,
      durationMs: r.duration_ms,
      outcome: (['ok', 'retry', 'data', 'config'].includes(r.target_outcome)
        ? r.target_outcome
        : 'ok') as Attempt['outcome'],
      request: r.request,
      // What came back about this line in particular, when the answer said; else the answer.
      response: r.message ?? r.response,
    }));
  }
}
