// The status writer (ledger/transitions.ts): statements built once per call and per shape of
// fields, every value bound, the allowed source statuses in the WHERE.
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../src/main/ingest/ingest';
import { Ledger } from '../../src/main/ledger';
import { connectionOf } from '../../src/main/ledger/internal';
import type { NewAggregatedLine } from '../../src/main/ledger/schema';
import { seedLine, tempDir } from '../helpers/layer';
import { author } from '../helpers/people';

let ledger: Ledger | null = null;
afterEach(() => {
  ledger?.close();
  ledger = null;
});

const aggregatedLine = (id: string, status: NewAggregatedLine['status']): NewAggregatedLine => ({
  aggregated_line_id: id,
  aggregation_key: `key-${id}`,
  organization_id: 'usmf',
  product_id: 'MOVE',
  quantity_data_source: '@iv',
  physical_measure: 'adjustment',
  dimensions: '{}',
  site_id: '1',
  location_id: '13',
  fno_journal_name_id: null,
  cost_price: null,
  trans_date: '2026-12-07',
  quantity: 1,
  status,
  status_reason: status === 'DoNotSync' ? 'set aside' : null,
  target_transaction_status: 'Posted',
  detailed_line_count: 1,
  created_at: '2026-12-07T00:00:00.000Z',
  updated_at: '2026-12-07T00:00:00.000Z',
});

describe('status moves', () => {
  it('moves aggregated lines whose fields differ in shape in one call, and refuses what the contract does not allow', () => {
    ledger = Ledger.open(tempDir());
    const { status } = ledger.syncStore;
    ledger.writeNow(() =>
      status.insertAggregated([
        aggregatedLine('a', 'Created'),
        aggregatedLine('b', 'Created'),
        aggregatedLine('c', 'Created'),
        aggregatedLine('set-aside', 'DoNotSync'),
      ]),
    );
    const result = status.moveAggregated(
      [
        { id: 'a', fields: { journal_number: 'IVJ-1' } },
        { id: 'b' },
        { id: 'c', fields: { journal_number: 'IVJ-2', last_error: "it's quoted" } },
        { id: 'set-aside' },
        { id: 'nowhere' },
      ],
      'FnOSent',
      '2026-12-07T01:00:00.000Z',
      { journal_batch_id: 'pkg-1', attemptsDelta: 2 },
    );
    expect(result).toEqual({
      moved: ['a', 'b', 'c'],
      refused: [
        { id: 'set-aside', from: 'DoNotSync' },
        { id: 'nowhere', from: null },
      ],
    });
    const rows = connectionOf(ledger)
      .db.prepare(
        'SELECT aggregated_line_id AS id, status, journal_batch_id, journal_number, last_error, attempts, updated_at FROM aggregated_lines ORDER BY seq',
      )
      .all();
    const moved = {
      status: 'FnOSent',
      journal_batch_id: 'pkg-1',
      attempts: 2,
      updated_at: '2026-12-07T01:00:00.000Z',
    };
    expect(rows).toEqual([
      { id: 'a', ...moved, journal_number: 'IVJ-1', last_error: null },
      { id: 'b', ...moved, journal_number: null, last_error: null },
      { id: 'c', ...moved, journal_number: 'IVJ-2', last_error: "it's quoted" },
      {
        id: 'set-aside',
        status: 'DoNotSync',
        journal_batch_id: null,
        journal_number: null,
        last_error: null,
        attempts: 0,
        updated_at: '2026-12-07T00:00:00.000Z',
      },
    ]);
  });

  it('moves detailed lines only from an allowed status, queueing the ones that reach IVPosted', () => {
    ledger = Ledger.open(tempDir());
    const outcome = ingest(ledger, [seedLine({ id: 'm1' }), seedLine({ id: 'm2' })], {
      source: 'api',
      author: author('t'),
      instantIv: false,
    });
    if (outcome.kind !== 'ok') throw new Error(outcome.kind);
    const [one, two] = outcome.results.map((r) => r.lineRecordId) as [string, string];
    const { status } = ledger.syncStore;
    const fields = { iv_posted_at: '2026-12-07T02:00:00.000Z', attemptsDelta: 1 };
    expect(status.moveLines([one], 'IVPosted', fields)).toEqual([one]);
    // IVPosted → IVPosted is no move: the WHERE refuses it, the line is not queued twice.
    expect(status.moveLines([one, two], 'IVPosted', fields)).toEqual([two]);
    const db = connectionOf(ledger).db;
    expect(db.prepare('SELECT status, attempts FROM adjustment_lines ORDER BY seq').all()).toEqual([
      { status: 'IVPosted', attempts: 1 },
      { status: 'IVPosted', attempts: 1 },
    ]);
    expect(db.prepare('SELECT count(*) FROM aggregation_queue').pluck().get()).toBe(2);
    expect(ledger.syncStore.lineCounts()).toMatchObject({ Created: 0, IVPosted: 2, Aggregated: 0 });
  });
});
