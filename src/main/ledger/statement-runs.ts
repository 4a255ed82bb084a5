import type Sqlite from 'better-sqlite3';
import type { Compilable } from 'kysely';

/**
 * A write described as data (SQL and parameter rows), so the same write runs either on the
 * main connection (a small request, inside its transaction) or in the bulk writer's worker
 * thread (a big bulk: ledger/bulk-writes.ts), from one definition.
 *
 * - `insert`: runs `sql` per row; a row the table refuses by its unique key (`changes = 0`,
 *   `ON CONFLICT DO NOTHING`) is reported with the row `find` returns for `row[key]`.
 * - `run`: runs `sql` per row and reports the number of rows changed.
 * - `read`: reads one row inside the transaction (`row`), for a write that depends on what is
 *   there (the audit trail's head, the seq its lines got).
 */
export type WriteRequest =
  | { op: 'insert'; sql: string; rows: unknown[][]; find: string; key: number }
  | { op: 'run'; sql: string; rows: unknown[][] }
  | { op: 'read'; sql: string; rows: unknown[][] };

export interface WriteReport {
  /** Refused rows of an `insert`, by index in its `rows`, with the row already there. */
  skipped: { index: number; prior: unknown }[];
  changes: number;
  /** A `read`'s row (undefined when none). */
  row?: unknown;
}

/** A Kysely query as a write request: the typed builder stays the one SQL style. */
export function compiled(query: Compilable<unknown>): WriteRequest {
  const { sql, parameters } = query.compile();
  return { op: 'run', sql, rows: [parameters as unknown[]] };
}

type Prepare = (sql: string) => Pick<Sqlite.Statement, 'run' | 'get'>;

/**
 * Runs one request. Self-contained on purpose (no imports, no inner functions): the bulk
 * writer's worker gets this very function as source text (`executeWrite.toString()`).
 *
 * A failed insert costs more than a lookup, and a resend tends to repeat a whole batch: after
 * the first refused row, the remaining rows are looked up before they are inserted.
 */
export function executeWrite(prepare: Prepare, request: WriteRequest): WriteReport {
  const statement = prepare(request.sql);
  const skipped: { index: number; prior: unknown }[] = [];
  let changes = 0;
  if (request.op === 'read') return { skipped, changes, row: statement.get(...(request.rows[0] ?? [])) };
  if (request.op === 'run') {
    for (const row of request.rows) changes += statement.run(...row).changes;
    return { skipped, changes };
  }
  const find = prepare(request.find);
  let lookFirst = false;
  for (let index = 0; index < request.rows.length; index++) {
    const row = request.rows[index] as unknown[];
    if (lookFirst) {
      const prior = find.get(row[request.key]);
      if (prior) {
        skipped.push({ index, prior });
        continue;
      }
    }
    const { changes: inserted } = statement.run(...row);
    if (inserted === 0) {
      skipped.push({ index, prior: find.get(row[request.key]) });
      lookFirst = true;
    } else changes += inserted;
  }
  return { skipped, changes };
}
