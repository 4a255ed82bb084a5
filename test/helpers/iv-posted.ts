import { ingest } from '../../src/main/ingest/ingest';
import type { Ledger } from '../../src/main/ledger';
import { connectionOf } from '../../src/main/ledger/internal';
import { SyncStore } from '../../src/main/ledger/sync-store';
import { author } from './people';

/** A line of the aggregation tests, without id and quantity: one key unless a test changes it. */
export const AGGREGATION_LINE = {
  organizationId: 'usmf',
  productId: 'D0001',
  quantityDataSource: '@iv',
  physicalMeasure: 'adjustment',
  dimensions: { siteId: '1', locationId: '13' },
  transDate: '2024-05-01',
};

/** Records lines and marks them IVPosted, as if IV had accepted them: the aggregation's input. */
export function ivPosted(l: Ledger, lines: Record<string, unknown>[]): SyncStore {
  const outcome = ingest(l, lines, { source: 'api', author: author('t'), instantIv: false });
  if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome));
  const store = new SyncStore(connectionOf(l));
  store.writeNow(() =>
    store.status.moveLines(
      outcome.results.map((r) => r.lineRecordId),
      'IVPosted',
      { iv_posted_at: '2024-05-01T00:00:00Z' },
    ),
  );
  return store;
}
