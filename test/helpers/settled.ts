// No vitest here: the soak run (bench/soak.ts) asks the same question outside a test.
import type { Ledger } from '../../src/main/ledger';
import { connectionOf } from '../../src/main/ledger/internal';

/** Nothing left for either job: every line is in a status only a person can change. */
export function settled(ledger: Ledger): boolean {
  const db = connectionOf(ledger).db;
  const open = db
    .prepare(
      `SELECT (SELECT count(*) FROM detailed_lines WHERE status <> 'Aggregated')
            + (SELECT count(*) FROM aggregated_lines WHERE status IN ('Created','FnOSent')
                 OR (status = 'FnOCreated' AND target_transaction_status = 'Posted'))`,
    )
    .pluck()
    .get() as number;
  return open === 0;
}
