import fs from 'node:fs';
import { LedgerConnection } from '../src/main/ledger/connection';
import { SyncStore } from '../src/main/ledger/sync-store';
import { AGGREGATION_STEP, aggregate } from '../src/main/sync/aggregation';
import { fillLedger } from './fill';
import { fmt, report, tempDir } from './harness';

const LINES = 1_000_000;

export async function benchAggregation(): Promise<void> {
  console.log(`\n# Aggregation of ${fmt(LINES)} IVPosted lines vs a bare SQL GROUP BY over the same table`);
  const dir = tempDir();
  try {
    const file = fillLedger(dir, LINES, 'IVPosted');
    const conn = new LedgerConnection(file);
    // Baseline: the grouping alone, as plain SQL, reading the same columns.
    let start = performance.now();
    const groups = conn.db
      .prepare(
        `SELECT organization_id, product_id, quantity_data_source, physical_measure, dimensions,
                fno_journal_name_id, cost_price, trans_date, sum(quantity), count(*)
           FROM adjustment_lines WHERE status = 'IVPosted'
          GROUP BY organization_id, product_id, quantity_data_source, physical_measure, dimensions,
                   fno_journal_name_id, cost_price, trans_date`,
      )
      .all().length;
    const bareMs = performance.now() - start;

    const store = new SyncStore(conn);
    start = performance.now();
    const targets = store.mappingTargets();
    let detailed = 0;
    let aggregated = 0;
    let longestStepMs = 0;
    for (;;) {
      const stepStart = performance.now();
      const result = aggregate(store, targets);
      longestStepMs = Math.max(longestStepMs, performance.now() - stepStart);
      if (result.detailedLines === 0) break;
      detailed += result.detailedLines;
      aggregated += result.aggregatedLines;
    }
    const aggregateMs = performance.now() - start;
    if (detailed !== LINES) throw new Error(`aggregated ${detailed} of ${LINES} lines`);
    console.log(
      `(${fmt(groups)} groups in the bare query; ${fmt(aggregated)} aggregated lines written in steps of ${fmt(AGGREGATION_STEP)} lines; longest step ${fmt(longestStepMs)} ms)`,
    );
    report('aggregation (s)', aggregateMs / 1000, 's', bareMs / 1000, 'bare GROUP BY');
    report(
      'aggregation throughput (lines/s)',
      LINES / (aggregateMs / 1000),
      'lines/s',
      LINES / (bareMs / 1000),
      'bare GROUP BY',
    );
    conn.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
