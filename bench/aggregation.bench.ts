import fs from 'node:fs';
import { LedgerConnection } from '../src/main/ledger/connection';
import { SyncStore } from '../src/main/ledger/sync-store';
import { aggregate, SLICE_MS } from '../src/main/sync/aggregation';
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
    // The longest stretch without a yield is the longest the API would wait behind aggregation.
    let longestStepMs = 0;
    let slices = 0;
    let sliceStart = performance.now();
    const result = await aggregate(store, targets, {
      now: Date.now(),
      between: async () => {
        longestStepMs = Math.max(longestStepMs, performance.now() - sliceStart);
        slices++;
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      },
    });
    const aggregateMs = performance.now() - start;
    if (result.detailedLines !== LINES)
      throw new Error(`aggregated ${result.detailedLines} of ${LINES} lines`);
    console.log(
      `(${fmt(groups)} groups in the bare query; ${fmt(result.aggregatedLines)} aggregated lines, one per key, in ${fmt(slices)} slices sized to about ${SLICE_MS} ms; longest slice ${fmt(longestStepMs)} ms)`,
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
