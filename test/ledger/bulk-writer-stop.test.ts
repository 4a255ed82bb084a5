import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/main/ledger';
import { LedgerConnection } from '../../src/main/ledger/connection';
import { connectionOf } from '../../src/main/ledger/internal';
import { insertLines } from '../../src/main/ledger/line-writes';
import { tempDir } from '../helpers/layer';

/**
 * The bulk writer's thread stopping (a crash in the native module, a kill by the OS) must not
 * take the app down or leave a request waiting: its bulk fails in words, nothing of it is
 * stored, and the next bulk starts a new thread.
 */
let ledger: Ledger | null = null;
afterEach(() => {
  ledger?.close();
  ledger = null;
});

const row = (id: string) => ({
  line_record_id: `rec-${id}`,
  id,
  content_hash: 'h',
  organization_id: 'usmf',
  product_id: 'STOP',
  quantity_data_source: '@iv',
  physical_measure: 'adjustment',
  quantity: 1,
  dimensions: '{}',
  site_id: '1',
  location_id: '13',
  external_reference_category: null,
  external_reference_id: null,
  fno_journal_name_id: null,
  cost_price: null,
  trans_date: '2026-11-30',
  instant_iv: 0,
  status: 'Created' as const,
  aggregated_line_id: null,
  source: 'api' as const,
  created_at: '2026-11-30T00:00:00.000Z',
  created_by: 't',
  created_by_id: null,
  author_kind: 'os-user' as const,
  iv_posted_at: null,
  aggregated_at: null,
  last_error: null,
  last_error_kind: null,
  next_attempt_at: null,
});

function* bulkOf(ids: string[]) {
  yield insertLines(ids.map(row));
}

/** The thread itself, reached past the class's privacy: only a test may stop it. */
function threadOf(l: Ledger): Worker {
  return (connectionOf(l).bulk as unknown as { worker: { worker: Worker } }).worker.worker;
}

describe('the bulk writer thread stopping', () => {
  it('fails its bulk in words, stores nothing of it, and the next bulk gets a new thread', async () => {
    ledger = new Ledger(new LedgerConnection(path.join(tempDir(), 'ledger.sqlite')));
    const { bulk } = connectionOf(ledger);
    await bulk.run(bulkOf(['first']));
    const first = threadOf(ledger);

    // A long bulk, the thread stopped while it inserts.
    const ids = Array.from({ length: 100_000 }, (_, i) => `doomed-${i}`);
    const doomed = bulk.run(bulkOf(ids));
    while (!bulk.inProgress()) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 200));
    await first.terminate();
    await expect(doomed).rejects.toThrow(/bulk writer stopped/);
    expect(bulk.inProgress()).toBe(false);
    const stored = connectionOf(ledger)
      .db.prepare("SELECT count(*) AS n FROM adjustment_lines WHERE id IN ('a', 'b')")
      .get() as {
      n: number;
    };
    expect(stored.n).toBe(0);

    await bulk.run(bulkOf(['after']));
    expect(threadOf(ledger)).not.toBe(first);
    const after = connectionOf(ledger)
      .db.prepare("SELECT count(*) AS n FROM adjustment_lines WHERE id = 'after'")
      .get() as {
      n: number;
    };
    expect(after.n).toBe(1);
  });
});
