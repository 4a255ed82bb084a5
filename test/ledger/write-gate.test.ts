import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/main/ledger';
import { connectionOf } from '../../src/main/ledger/internal';
import { countCreated, insertLines } from '../../src/main/ledger/line-writes';
import type { NewAdjustmentLine } from '../../src/main/ledger/schema';
import { tempDir } from '../helpers/layer';

/**
 * The ledger's one write gate (LedgerConnection.write): a write waits its turn behind an open
 * bulk instead of holding the event loop, runs in one transaction, and the ledger itself
 * announces the commit; a write that skips the gate is refused.
 */
let ledger: Ledger | null = null;
afterEach(() => {
  ledger?.close();
  ledger = null;
});

const open = () => {
  ledger = Ledger.open(tempDir());
  return ledger;
};

const row = (id: string): NewAdjustmentLine => ({
  line_record_id: `rec-${id}`,
  id,
  content_hash: 'h',
  organization_id: 'usmf',
  product_id: 'GATE',
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
  status: 'Created',
  source: 'api',
  created_at: '2026-11-30T00:00:00.000Z',
  created_by: 't',
  created_by_id: null,
  author_kind: 'os-user',
  iv_posted_at: null,
  last_error: null,
  last_error_kind: null,
  next_attempt_at: null,
});

function* bulkOf(n: number) {
  const ids = Array.from({ length: n }, (_, i) => `gate-${i}`);
  for (let i = 0; i < ids.length; i += 1_000) yield insertLines(ids.slice(i, i + 1_000).map(row));
  yield countCreated(n);
}

const lines = (l: Ledger) =>
  connectionOf(l).db.prepare('SELECT count(*) FROM adjustment_lines').pluck().get() as number;

describe('the write gate', () => {
  it('waits for an open bulk with the event loop turning, then writes after its commit', async () => {
    const l = open();
    const bulk = connectionOf(l).bulk;
    const posting = l.writeBulk(bulkOf(20_000));
    while (!bulk.inProgress()) await new Promise((resolve) => setImmediate(resolve));
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    const seen = await l.write(() => {
      l.settings.writeValue('after-bulk', 'x');
      return lines(l);
    });
    clearInterval(ticker);
    // The bulk was committed whole by its own thread before the write ran, not finished on the spot.
    expect(seen).toBe(20_000);
    expect(turns).toBeGreaterThan(1);
    await posting;
    expect(l.settings.readValue('after-bulk')).toBe('x');
  });

  it('announces a commit that changed rows, once, after the commit', async () => {
    const l = open();
    const heard: { inTransaction: boolean; value: string | undefined }[] = [];
    l.onChange(() =>
      heard.push({ inTransaction: connectionOf(l).db.inTransaction, value: l.settings.readValue('a') }),
    );
    await l.write(() => {
      l.settings.writeValue('a', '1');
      // A gated write inside another is part of it: one commit, one announcement.
      l.writeNow(() => l.settings.writeValue('b', '2'));
    });
    expect(heard).toEqual([{ inTransaction: false, value: '1' }]);
    // A store's own write is gated too (a statement of its own).
    l.settings.writeValue('a', '3');
    expect(heard.map((h) => h.value)).toEqual(['1', '3']);
  });

  it('announces neither a rolled-back write, nor one that changed nothing, nor redoable bookkeeping', async () => {
    const l = open();
    let heard = 0;
    l.onChange(() => heard++);
    await expect(
      l.write(() => {
        l.settings.writeValue('gone', 'x');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(l.settings.readValue('gone')).toBeUndefined();
    await l.write(() => l.settings.readValue('nothing'));
    await l.write(() => l.settings.writeValue('redone', 'x'), { redoable: true });
    expect(l.settings.readValue('redone')).toBe('x');
    expect(heard).toBe(0);
  });

  it('announces a bulk committed by the bulk writer', async () => {
    const l = open();
    let heard = 0;
    l.onChange(() => heard++);
    await l.writeBulk(bulkOf(10));
    expect(lines(l)).toBe(10);
    expect(heard).toBe(1);
  });

  it('refuses a write statement run outside the gate, and changes nothing', () => {
    const l = open();
    const conn = connectionOf(l);
    expect(() => conn.prepare("INSERT INTO settings (key, value) VALUES ('raw', 'x')").run()).toThrow(
      /outside its write gate/,
    );
    expect(l.settings.readValue('raw')).toBeUndefined();
  });
});
