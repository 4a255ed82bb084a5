/**
 * A child process for the aggregation kill -9 test: aggregates the ledger in `argv[2]` in small
 * slices, saying "slice" after each, slowly enough to be killed at any point of a slice; its
 * sums are written every `argv[4]` lines (default: the app's own interval).
 */
import { Ledger } from '../../src/main/ledger';
import { connectionOf } from '../../src/main/ledger/internal';
import { SyncStore } from '../../src/main/ledger/sync-store';
import { aggregate } from '../../src/main/sync/aggregation';

const ledger = Ledger.open(process.argv[2]!);
const store = new SyncStore(connectionOf(ledger));
void aggregate(store, store.mappingTargets(), {
  now: Date.now(),
  step: Number(process.argv[3] ?? 200),
  sumsEveryLines: process.argv[4] ? Number(process.argv[4]) : undefined,
  between: async () => {
    process.stdout.write('slice\n');
    await new Promise((resolve) => setTimeout(resolve, 10));
  },
}).then((result) => {
  process.stdout.write(`done ${JSON.stringify(result)}\n`);
  ledger.close();
});
