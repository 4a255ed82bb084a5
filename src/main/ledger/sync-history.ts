import type { JobName, SyncRunSummary } from '../../shared/sync-status';
import type { Attempt, ErrorKind } from '../../shared/views';
import type { LedgerConnection } from './connection';
import type { SyncRunRow } from './schema';

/** Hot path: one row per line of every call (512 for an IV call). Parameters: target, attempt, outcome, message. */
const INSERT_TARGET_SQL = `INSERT INTO sync_attempt_targets (target_id, attempt_id, outcome, message)
  VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`;

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

const ATTEMPT_OUTCOMES: readonly string[] = ['ok', 'retry', 'data', 'config'];

function toRun(r: SyncRunRow): SyncRunSummary {
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

/** The sync's history: runs, and every upstream call with the lines it concerned (the attempt log). */
export class SyncHistoryStore {
  constructor(private readonly conn: LedgerConnection) {}

  private get qb() {
    return this.conn.qb;
  }

  startRun(job: JobName, trigger: SyncRunSummary['trigger'], at: string): number {
    const result = this.conn.run(
      this.qb
        .insertInto('sync_runs')
        .values({ job, trigger, started_at: at, outcome: 'running', counts: '{}' }),
    );
    return Number(result.lastInsertRowid);
  }

  finishRun(
    runId: number,
    at: string,
    outcome: SyncRunSummary['outcome'],
    message: string | null,
    counts: Record<string, number>,
  ): void {
    this.conn.run(
      this.qb
        .updateTable('sync_runs')
        .set({ finished_at: at, outcome, message, counts: JSON.stringify(counts) })
        .where('run_id', '=', runId),
    );
  }

  run(runId: number): SyncRunSummary | undefined {
    const row = this.conn.first(this.qb.selectFrom('sync_runs').selectAll().where('run_id', '=', runId));
    return row ? toRun(row) : undefined;
  }

  runs(top: number): SyncRunSummary[] {
    return this.conn
      .all(this.qb.selectFrom('sync_runs').selectAll().orderBy('run_id', 'desc').limit(top))
      .map(toRun);
  }

  /** Runs a crash cut short: they say so instead of staying 'running' forever. */
  closeInterruptedRuns(at: string): number {
    const result = this.conn.run(
      this.qb
        .updateTable('sync_runs')
        .set({
          outcome: 'failed',
          finished_at: at,
          message: 'Interrupted: Store Ledger stopped during this run; the next run finished its work.',
        })
        .where('outcome', '=', 'running'),
    );
    return Number(result.changes);
  }

  lastRunTimes(job: JobName): { lastRunAt: string | null; lastSuccessAt: string | null } {
    const last = this.conn.first(
      this.qb
        .selectFrom('sync_runs')
        .select((eb) => eb.fn.max('started_at').as('at'))
        .where('job', '=', job)
        .where('outcome', '<>', 'skipped'),
    );
    const success = this.conn.first(
      this.qb
        .selectFrom('sync_runs')
        .select((eb) => eb.fn.max('finished_at').as('at'))
        .where('job', '=', job)
        .where('outcome', 'in', ['ok', 'partial']),
    );
    return { lastRunAt: last?.at ?? null, lastSuccessAt: success?.at ?? null };
  }

  /**
   * Drops the troubleshooting history (runs, attempts) older than `before`. Lines keep their
   * status and last error; only the per-call log goes, so the ledger does not grow without end.
   */
  prune(before: string): { runs: number; attempts: number } {
    return this.conn.writeNow(() => {
      const last = this.conn.first(
        this.qb
          .selectFrom('sync_attempts')
          .select((eb) => eb.fn.max('attempt_id').as('id'))
          .where('at', '<', before),
      )?.id;
      let attempts = 0;
      if (last !== null && last !== undefined) {
        this.conn.run(this.qb.deleteFrom('sync_attempt_targets').where('attempt_id', '<=', last));
        attempts = Number(
          this.conn.run(this.qb.deleteFrom('sync_attempts').where('attempt_id', '<=', last)).changes,
        );
      }
      const runs = this.conn.run(
        this.qb
          .deleteFrom('sync_runs')
          .where('finished_at', '<', before)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('sync_attempts as a')
                  .select('a.attempt_id')
                  .whereRef('a.run_id', '=', 'sync_runs.run_id'),
              ),
            ),
          ),
      );
      return { runs: Number(runs.changes), attempts };
    });
  }

  /** One call and its targets, together. */
  record(a: NewAttempt): number {
    return this.conn.writeNow(() => this.recordNow(a));
  }

  private recordNow(a: NewAttempt): number {
    const attemptId = Number(
      this.conn.run(
        this.qb.insertInto('sync_attempts').values({
          run_id: a.runId,
          job: a.job,
          action: a.action,
          at: a.at,
          duration_ms: Math.round(a.durationMs),
          outcome: a.outcome,
          request: a.request,
          response: a.response,
        }),
      ).lastInsertRowid,
    );
    if (a.targets.length > 0) {
      // One prepared statement for all of a call's lines (an IV call has 512).
      const insert = this.conn.prepare(INSERT_TARGET_SQL);
      for (const t of a.targets) insert.run(t.id, attemptId, t.outcome, t.message ?? null);
    }
    return attemptId;
  }

  /** The calls that concerned one line (detailed or aggregated), newest first. */
  attemptsFor(targetId: string, limit = 200): Attempt[] {
    const rows = this.conn.all(
      this.qb
        .selectFrom('sync_attempt_targets as t')
        .innerJoin('sync_attempts as a', 'a.attempt_id', 't.attempt_id')
        .select([
          'a.attempt_id',
          'a.job',
          'a.action',
          'a.at',
          'a.duration_ms',
          't.outcome as target_outcome',
          'a.request',
          'a.response',
          't.message',
        ])
        .where('t.target_id', '=', targetId)
        .orderBy('a.attempt_id', 'desc')
        .limit(limit),
    );
    return rows.map((r) => ({
      attemptId: r.attempt_id,
      job: r.job,
      action: r.action,
      at: r.at,
      durationMs: r.duration_ms,
      outcome: (ATTEMPT_OUTCOMES.includes(r.target_outcome) ? r.target_outcome : 'ok') as Attempt['outcome'],
      request: r.request,
      // What came back about this line in particular, when the answer said; else the answer.
      response: r.message ?? r.response,
    }));
  }
}
