import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { locateEntries, sampleIds } from '../../src/main/sync/scm';
import { type JournalEntry, ScmClient } from '../../src/main/upstream';
import { TestClock } from '../helpers/test-clock';
import { journalPackage, journalRow, type LineRow } from '../upstream/helpers';
import { type Emulator, startEmulator } from '../upstream-emulator';
import { connectionOf } from './fixtures';

let emulator: Emulator;
let scm: ScmClient;
/** SCM's time: its imports happen when the test moves it. */
const clock = new TestClock();

beforeAll(async () => {
  emulator = await startEmulator({ importDelayMs: 10, postingDelayMs: 10, clock });
  scm = new ScmClient(connectionOf(emulator));
});
afterAll(() => emulator.close());
beforeEach(() => emulator.admin.reset());

async function importFile(batchId: string, rows: LineRow[], company = 'usmf'): Promise<void> {
  const messageId = await scm.enqueue(company, batchId, journalPackage(rows));
  await clock.advance(emulator.admin.settings().importDelayMs);
  expect((await scm.jobStatus(messageId)).final).toBe(true);
}

const byId = (entries: readonly JournalEntry[]) =>
  new Map(entries.map((e) => [e.transactionId.toLowerCase(), e] as const));

/** The read back and the number of OData queries it took. */
async function counted<T>(read: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const before = emulator.admin.counters().scmODataCalls;
  const result = await read();
  return { result, queries: emulator.admin.counters().scmODataCalls - before };
}

describe('reading a file back (locateEntries)', () => {
  it('finds what reading every ID back finds, through the journals, in a handful of queries', async () => {
    // Two packages, two companies (two journals), some rows SCM refuses, two of them sampled.
    // GUID-long, as aggregated line IDs are.
    const a = Array.from(
      { length: 1000 },
      (_, i) => `a-${String(i).padStart(4, '0')}-4000-8000-0f8fad5bd9cb`,
    );
    const bad = new Set([a[0], a[500], a[777]]);
    await importFile(
      'A',
      a.slice(0, 990).map((id) => (bad.has(id) ? journalRow(id, { ItemNumber: 'X9999' }) : journalRow(id))),
    );
    await importFile(
      'A2',
      a.slice(990).map((id) => journalRow(id, { InventoryWarehouseId: '11' })),
      'usrt',
    );
    // A second file: its lines went to another journal than the sample names.
    const b = Array.from({ length: 30 }, (_, i) => `b-${i}`);
    await importFile(
      'B',
      b.map((id) => journalRow(id)),
    );
    const ids = [...a, ...b, 'never-sent', a[1]!.toUpperCase()];

    const all = await counted(() => scm.readBackEntries(ids));
    const located = await counted(() => locateEntries(scm, ids));
    expect(located.result).toEqual(byId(all.result));
    expect(located.result.size).toBe(1000 - 3 + 30);
    expect(located.result.get(a[995]!)).toMatchObject({ dataAreaId: 'usrt', lineNumber: 6 });
    expect(located.result.has(a[500]!)).toBe(false);
    // By ID: one query per ~70 IDs. Here: the sample, the usmf journal, then the rest by ID.
    expect(all.queries).toBeGreaterThanOrEqual(12);
    expect(located.queries).toBeLessThanOrEqual(4);
  });

  it('falls back to reading by ID when the sample finds nothing, and reads a small batch by ID at once', async () => {
    await importFile('C', [journalRow('c-1'), journalRow('c-2')]);
    const missing = Array.from({ length: 40 }, (_, i) => `missing-${i}`);
    const none = await counted(() => locateEntries(scm, missing));
    expect(none.result.size).toBe(0);
    expect(none.queries).toBe(2);
    const small = await counted(() => locateEntries(scm, ['C-1', 'c-2', 'c-3']));
    expect([...small.result.keys()]).toEqual(['c-1', 'c-2']);
    expect(small.queries).toBe(1);
  });

  it('samples the first, the last and IDs spread between them', () => {
    const ids = Array.from({ length: 101 }, (_, i) => String(i));
    expect(sampleIds(ids)).toEqual(['0', '25', '50', '75', '100']);
    expect(sampleIds(['x', 'y'])).toEqual(['x', 'y']);
  });
});
