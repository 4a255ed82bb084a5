import { sql } from 'kysely';
import type { LineStatus } from '../../shared/status';
import type { ErrorKind } from '../../shared/views';
import type { LedgerConnection } from './connection';

/** Hot path (a failed IV call settles up to 512 lines): see `failed`. Parameters: message, kind, next attempt, maybe applied, id, status. */
const FAILED_SQL = `UPDATE adjustment_lines
    SET last_error = ?, last_error_kind = ?, next_attempt_at = ?, attempts = attempts + 1,
        iv_maybe_applied = max(iv_maybe_applied, ?), iv_sending = 0
  WHERE line_record_id = ? AND status = ?`;

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

/** The IV job's SQL: Created lines waiting for Inventory Visibility. */
export class IvQueueStore {
  constructor(private readonly conn: LedgerConnection) {}

  /**
   * Created lines after `afterSeq`, oldest first. With `dueAt`, lines IV rejected are held
   * back until their `next_attempt_at`; without it (on demand) they go too.
   */
  due(afterSeq: number, limit: number, dueAt: string | null, instantOnly = false): DueLine[] {
    let query = this.conn.qb
      .selectFrom('adjustment_lines')
      .select([
        'seq',
        'line_record_id',
        'organization_id',
        'product_id',
        'quantity_data_source',
        'physical_measure',
        'quantity',
        'dimensions',
        'attempts',
      ])
      .where('status', '=', 'Created')
      .where('seq', '>', afterSeq);
    if (dueAt !== null)
      query = query.where((eb) =>
        eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', dueAt)]),
      );
    if (instantOnly) query = query.where('instant_iv', '=', 1);
    return this.conn.all(query.orderBy('seq').limit(limit));
  }

  /**
   * The lines of a call about to leave, marked in the ledger before it leaves (one statement,
   * its own commit): whatever stops Store Ledger while the call is on the wire, the next start
   * knows these lines may be in IV (`interrupted`) and never lets them be voided. Answers the
   * lines marked: those still Created (a line voided since the job read it is not sent). The
   * seqs are read through json_each so the lookup goes by rowid whatever their number.
   */
  sending(seqs: readonly number[]): Set<number> {
    const marked = this.conn.writeNow(() =>
      this.conn.all(
        this.conn.qb
          .updateTable('adjustment_lines')
          .set({ iv_sending: 1 })
          .where('seq', 'in', sql<number>`(SELECT value FROM json_each(${JSON.stringify(seqs)}))`)
          .where('status', '=', 'Created')
          .returning('seq'),
      ),
    );
    return new Set(marked.map((r) => r.seq));
  }

  /**
   * At start, before any run: a line still marked as sending was on the wire when Store Ledger
   * stopped, so IV may have applied it. Reads the Created lines only (the status index), the
   * only ones that can still be marked.
   */
  interrupted(): number {
    return Number(
      this.conn.run(
        this.conn.qb
          .updateTable('adjustment_lines')
          .set({ iv_maybe_applied: 1, iv_sending: 0 })
          .where('status', '=', 'Created')
          .where('iv_sending', '=', 1),
      ).changes,
    );
  }

  /**
   * A line stays Created with the upstream's message; `nextAttemptAt` holds it back. The call
   * carrying it has settled (`iv_sending` back to 0); `maybeApplied` says whether it may have
   * applied the line all the same (a lost answer, a server error): once set, it stays set.
   *
   * A prepared statement (FAILED_SQL), not a query built per line: a failed call of 512 lines
   * spent about 50 ms of the event loop building and compiling one query per line under the
   * soak's load. Not one statement with an IN list of the ids either: SQLite then chose the
   * status index (without statistics it takes an equality to match about 10 rows) and read
   * every Created line of the backlog, 0.4–0.9 s in the soak; `line_record_id = ?` always takes
   * the unique index.
   */
  failed(
    id: string,
    message: string,
    kind: ErrorKind,
    nextAttemptAt: string | null,
    maybeApplied: boolean,
  ): void {
    this.conn.writeNow(() =>
      this.conn
        .prepare(FAILED_SQL)
        .run(message, kind, nextAttemptAt, maybeApplied ? 1 : 0, id, 'Created' satisfies LineStatus),
    );
  }
}
