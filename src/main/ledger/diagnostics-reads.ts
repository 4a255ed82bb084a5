import type { LedgerConnection } from './connection';

export interface AttemptSummary {
  at: string;
  job: string;
  action: string;
  outcome: string;
  durationMs: number;
  request: string | null;
  response: string | null;
}

/** The few reads the diagnostics bundle needs beyond the other stores. */
export class DiagnosticsReads {
  constructor(private readonly conn: LedgerConnection) {}

  statusCounts(): { lines: Record<string, number>; aggregated: Record<string, number> } {
    const read = (table: 'line_status_counts' | 'aggregated_status_counts') =>
      Object.fromEntries(
        this.conn.all(this.conn.qb.selectFrom(table).select(['status', 'n'])).map((r) => [r.status, r.n]),
      );
    return { lines: read('line_status_counts'), aggregated: read('aggregated_status_counts') };
  }

  recentAttempts(limit: number): AttemptSummary[] {
    return this.conn
      .all(
        this.conn.qb
          .selectFrom('sync_attempts')
          .select(['at', 'job', 'action', 'outcome', 'duration_ms', 'request', 'response'])
          .orderBy('attempt_id', 'desc')
          .limit(limit),
      )
      .map((r) => ({
        at: r.at,
        job: r.job,
        action: r.action,
        outcome: r.outcome,
        durationMs: r.duration_ms,
        request: r.request,
        response: r.response,
      }));
  }

  schemaVersion(): number {
    return this.conn.db.pragma('user_version', { simple: true }) as number;
  }

  integrityCheck(): string[] {
    return this.conn.integrityCheck();
  }
}
