import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/main/clock';
import { ingest } from '../../src/main/ingest/ingest';
import { Ledger } from '../../src/main/ledger';
import { LedgerConnection } from '../../src/main/ledger/connection';
import { connectionOf } from '../../src/main/ledger/internal';
import { LATEST_VERSION } from '../../src/main/ledger/migrations';
import { SyncStore } from '../../src/main/ledger/sync-store';
import { aggregatedSources, lineSources } from '../../src/main/ledger/transitions';
import { aggregate, doNotSyncReason, isNetZero, roundQuantity } from '../../src/main/sync/aggregation';
import { createBatches, toJournalFiles } from '../../src/main/sync/scm';
import { AGGREGATION_LINE, ivPosted } from '../helpers/iv-posted';
import { tempDir } from '../helpers/layer';
import { ledgerAtVersion } from '../helpers/ledger-at';
import { author } from '../helpers/people';

const open: Ledger[] = [];
afterEach(() => {
  for (const l of open.splice(0)) l.close();
});

function ledger(): Ledger {
  const l = Ledger.open(tempDir());
  open.push(l);
  return l;
}

const base = AGGREGATION_LINE;

describe('migration 4 (Dynamics contract)', () => {
  it('carries batches in flight over to the package path without touching what SCM may hold', () => {
    const { file, db } = ledgerAtVersion(2);
    const batch = db.prepare(
      `INSERT INTO journal_batches (batch_id, organization_id, state, message_id, line_count, read_back_first, created_at, updated_at)
       VALUES (?, 'usmf', ?, ?, 1, ?, 'x', 'x')`,
    );
    batch.run('sending-maybe-sent', 'Sending', null, 1);
    batch.run('enqueued', 'Enqueued', 'msg-1', 0);
    const line = db.prepare(
      `INSERT INTO aggregated_lines (aggregated_line_id, aggregation_key, organization_id, product_id, quantity_data_source,
         physical_measure, dimensions, site_id, location_id, trans_date, quantity, status, target_transaction_status,
         journal_batch_id, journal_number, detailed_line_count, created_at, updated_at)
       VALUES (?, ?, 'usmf', 'D0001', '@iv', 'adjustment', '{}', '1', '13', '2024-05-01', 1, ?, ?, ?, ?, 1, 'c', ?)`,
    );
    line.run('awaiting-post', 'k1', 'FnOCreated', 'Posted', null, 'IVJ-000001', '2026-11-01T00:00:00.000Z');
    line.run('created-only', 'k2', 'FnOCreated', 'Created', null, 'IVJ-000002', '2026-11-01T00:00:00.000Z');
    line.run('in-flight', 'k3', 'FnOSent', 'Posted', 'enqueued', null, '2026-11-02T00:00:00.000Z');
    db.close();
    const conn = new LedgerConnection(file);
    try {
      expect(conn.migration).toMatchObject({ from: 2, to: LATEST_VERSION });
      expect(
        conn.db
          .prepare(
            'SELECT batch_id, state, message_id, read_back_first, journal_count, execution_id, unknown_polls FROM journal_batches ORDER BY rowid',
          )
          .all(),
      ).toEqual([
        {
          batch_id: 'sending-maybe-sent',
          state: 'Sending',
          message_id: null,
          read_back_first: 1,
          journal_count: 1,
          execution_id: null,
          unknown_polls: 0,
        },
        {
          batch_id: 'enqueued',
          state: 'Enqueued',
          message_id: 'msg-1',
          read_back_first: 0,
          journal_count: 1,
          execution_id: null,
          unknown_polls: 0,
        },
      ]);
      // The overdue rule counts from the last change for journals already waiting for SCM's posting job.
      expect(
        conn.db
          .prepare('SELECT aggregated_line_id, status, posting_since FROM aggregated_lines ORDER BY seq')
          .all(),
      ).toEqual([
        {
          aggregated_line_id: 'awaiting-post',
          status: 'FnOCreated',
          posting_since: '2026-11-01T00:00:00.000Z',
        },
        { aggregated_line_id: 'created-only', status: 'FnOCreated', posting_since: null },
        { aggregated_line_id: 'in-flight', status: 'FnOSent', posting_since: null },
      ]);
      expect(conn.integrityCheck()).toEqual([]);
    } finally {
      conn.close();
    }
  });
});

describe('status transitions', () => {
  it('are written only from the statuses the contract allows', async () => {
    expect(lineSources('IVPosted')).toEqual(['Created']);
    expect(aggregatedSources('DoNotSync')).toEqual(['Created', 'FnOCreateError', 'FnOPostError']);
    const l = ledger();
    const store = ivPosted(l, [{ ...base, id: 'a', quantity: 5 }]);
    await aggregate(store, new Map([['adjustment', 'Posted']]), { now: Date.now() });
    const agg = [...l.aggregated.iterate({})][0]!;
    // Created → FnOPosted skips the journal: refused, and the row is untouched.
    const refused = store.status.moveAggregated([{ id: agg.aggregatedLineId }], 'FnOPosted', 'now');
    expect(refused).toEqual({ moved: [], refused: [{ id: agg.aggregatedLineId, from: 'Created' }] });
    expect(l.aggregated.get(agg.aggregatedLineId)!.status).toBe('Created');
    // A line already IVPosted does not move to IVPosted again (its ivPostedAt stays).
    const line = [...l.lines.iterate({})][0]!;
    expect(store.status.moveLines([line.lineRecordId], 'IVPosted', { iv_posted_at: 'later' })).toEqual([]);
  });
});

describe('aggregation', () => {
  it('sums by the key, leaves external dimensions out, and explains each DoNotSync', async () => {
    const l = ledger();
    const store = ivPosted(l, [
      { ...base, id: '1', quantity: 0.1, dimensions: { siteId: '1', locationId: '13', channel: 'web' } },
      { ...base, id: '2', quantity: 0.2, externalReferenceId: 'R2' },
      { ...base, id: '3', quantity: 0.3, dimensions: { siteId: '1', locationId: '13', colorId: 'red' } },
      { ...base, id: '4', quantity: 4, costPrice: 2.5 },
      { ...base, id: '5', quantity: 0.1 + 0.2, productId: 'D0002' },
      { ...base, id: '6', quantity: -0.3, productId: 'D0002' },
      { ...base, id: '7', quantity: 1, physicalMeasure: 'sold' },
      { ...base, id: '8', quantity: 1, physicalMeasure: 'gone' },
    ]);
    const result = await aggregate(
      store,
      new Map([
        ['adjustment', 'Posted'],
        ['gone', 'None'],
      ]),
      { now: Date.now() },
    );
    expect(result).toEqual({ aggregatedLines: 6, detailedLines: 8, doNotSync: 3 });
    const rows = [...l.aggregated.iterate({})];
    const plain = rows.find((r) => r.detailedLineCount === 2)!;
    expect(plain.quantity).toBe(0.3);
    expect(plain.dimensions).toEqual({ locationId: '13', siteId: '1' });
    expect(rows.find((r) => r.dimensions.colorId === 'red')!.quantity).toBe(0.3);
    expect(rows.find((r) => r.costPrice === 2.5)!.quantity).toBe(4);
    const zero = rows.find((r) => r.productId === 'D0002')!;
    expect(zero).toMatchObject({ status: 'DoNotSync', quantity: 0 });
    expect(zero.statusReason).toContain('Net quantity is 0');
    expect(rows.find((r) => r.physicalMeasure === 'sold')!.statusReason).toContain(
      "add a mapping row for 'sold'",
    );
    expect(rows.find((r) => r.physicalMeasure === 'gone')!.statusReason).toContain('target status None');
    expect([...l.lines.iterate({})].every((x) => x.status === 'Aggregated' && x.aggregatedLineId)).toBe(true);
    // Every detailed line points at the aggregated line of its own key.
    const byLine = new Map([...l.lines.iterate({})].map((x) => [x.id, x.aggregatedLineId]));
    expect(byLine.get('1')).toBe(byLine.get('2'));
    expect(byLine.get('1')).not.toBe(byLine.get('3'));
    // Nothing left to aggregate: a second pass is a no-op.
    expect(await aggregate(store, new Map(), { now: Date.now() })).toEqual({
      aggregatedLines: 0,
      detailedLines: 0,
      doNotSync: 0,
    });
  });

  it('writes one aggregated line per key however many slices the backlog takes', async () => {
    const l = ledger();
    const store = ivPosted(l, [
      ...Array.from({ length: 7 }, (_, i) => ({ ...base, id: `s${i}`, quantity: i + 1 })),
      ...Array.from({ length: 5 }, (_, i) => ({ ...base, id: `t${i}`, quantity: 1, productId: 'D0002' })),
    ]);
    const targets = new Map([['adjustment', 'Posted' as const]]);
    let slices = 0;
    const result = await aggregate(store, targets, {
      now: Date.now(),
      step: 3,
      between: async () => void slices++,
    });
    expect(result).toEqual({ aggregatedLines: 2, detailedLines: 12, doNotSync: 0 });
    // 12 lines in slices of 3, each read once: 4 slices, then the seal.
    expect(slices).toBeGreaterThanOrEqual(4);
    expect([...l.aggregated.iterate({})].map((a) => [a.productId, a.quantity, a.detailedLineCount])).toEqual([
      ['D0001', 28, 7],
      ['D0002', 5, 5],
    ]);
    expect(await aggregate(store, targets, { now: Date.now(), step: 3 })).toMatchObject({
      detailedLines: 0,
      aggregatedLines: 0,
    });
  });

  it('a run cut short leaves its lines pending, never sent; the next run finishes them and no quantity counts twice', async () => {
    const l = ledger();
    const store = ivPosted(
      l,
      Array.from({ length: 9 }, (_, i) => ({ ...base, id: `c${i}`, quantity: 1 })),
    );
    const targets = new Map([['adjustment', 'Posted' as const]]);
    // Stop after two slices: 6 of the 9 lines are summed into the pending line and point at it.
    let slices = 0;
    await aggregate(store, targets, {
      now: Date.now(),
      step: 3,
      between: async () => void slices++,
      stopping: () => slices >= 2,
    });
    const pending = connectionOf(l)
      .db.prepare(
        'SELECT aggregated_line_id, quantity, detailed_line_count, pending_through_seq FROM aggregated_lines',
      )
      .all() as {
      aggregated_line_id: string;
      quantity: number;
      detailed_line_count: number;
      pending_through_seq: number | null;
    }[];
    expect(pending).toHaveLength(1);
    expect(pending[0]!.pending_through_seq).not.toBeNull();
    expect(store.batches.createdAggregated()).toEqual([]);
    // A pending line holds exactly the lines that point at it, no more, no less.
    const moved = [...l.lines.iterate({})].filter((x) => x.status === 'Aggregated');
    expect(moved).toHaveLength(6);
    expect(moved.every((x) => x.aggregatedLineId === pending[0]!.aggregated_line_id)).toBe(true);
    expect([pending[0]!.quantity, pending[0]!.detailed_line_count]).toEqual([6, 6]);
    // Meanwhile IV takes a line of the same key: it belongs to the next aggregated line, not this one.
    const late = ingest(l, [{ ...base, id: 'late', quantity: 100 }], {
      source: 'api',
      author: author('t'),
      instantIv: false,
    });
    if (late.kind !== 'ok') throw new Error('ingest failed');
    store.writeNow(() =>
      store.status.moveLines([late.results[0]!.lineRecordId], 'IVPosted', {
        iv_posted_at: '2999-01-01T00:00:00Z',
      }),
    );

    await aggregate(store, targets, { step: 3, now: Date.parse('3000-01-01T00:00:00Z') });
    const rows = [...l.aggregated.iterate({})];
    expect(rows.map((a) => [a.quantity, a.detailedLineCount, a.status])).toEqual([
      [9, 9, 'Created'],
      [100, 1, 'Created'],
    ]);
    const lines = [...l.lines.iterate({})];
    expect(lines.every((x) => x.status === 'Aggregated')).toBe(true);
    expect(lines.filter((x) => x.aggregatedLineId === rows[0]!.aggregatedLineId)).toHaveLength(9);
    expect(store.batches.createdAggregated()).toHaveLength(2);
  });

  it('a run cut short twice sums every line once, even a line IV took below where the run had got to', async () => {
    const l = ledger();
    const [a, b] = [
      { ...base, productId: 'DA' },
      { ...base, productId: 'DB' },
    ];
    // seq 1–6; quantities are powers of two, so any sum names the lines in it.
    const lines = [
      { ...a, id: 'a1', quantity: 1 },
      { ...b, id: 'b2', quantity: 2 },
      { ...a, id: 'a3', quantity: 4 },
      { ...b, id: 'b4', quantity: 8 },
      { ...b, id: 'b5', quantity: 16 },
      { ...b, id: 'b6', quantity: 32 },
    ];
    const outcome = ingest(l, lines, { source: 'api', author: author('t'), instantIv: false });
    if (outcome.kind !== 'ok') throw new Error('ingest failed');
    const ids = Object.fromEntries(outcome.results.map((r, i) => [lines[i]!.id, r.lineRecordId]));
    const store = new SyncStore(connectionOf(l));
    const post = (...which: string[]) =>
      store.writeNow(() =>
        store.status.moveLines(
          which.map((w) => ids[w]!),
          'IVPosted',
          { iv_posted_at: '2024-05-01T00:00:00Z' },
        ),
      );
    post('a1', 'a3', 'b4', 'b5', 'b6');
    const targets = new Map([['adjustment', 'Posted' as const]]);
    /** A run that dies (as under kill -9: nothing after its last commit) once it has done `slices` slices. */
    const crashAfter = (slices: number, step: number) => {
      let done = 0;
      return expect(
        aggregate(store, targets, {
          now: Date.now(),
          step,
          between: async () => {
            if (++done >= slices) throw new Error('crash');
          },
        }),
      ).rejects.toThrow('crash');
    };
    // Run 1 links a1, a3 to A, then b4, b5 to B (B is made after A's sums were last written), and dies.
    await crashAfter(2, 2);
    // IV takes b2 now: below where run 1 had got to.
    post('b2');
    // Run 1 again: it goes on from b5 (b6 next), and dies. b2 waits for a run of its own.
    await crashAfter(1, 1);
    await aggregate(store, targets, { now: Date.now(), step: 10 });

    const aggregated = [...l.aggregated.iterate({})];
    const detailed = [...l.lines.iterate({})];
    expect(detailed.every((x) => x.status === 'Aggregated')).toBe(true);
    for (const g of aggregated) {
      const own = detailed.filter((x) => x.aggregatedLineId === g.aggregatedLineId);
      expect([g.quantity, g.detailedLineCount]).toEqual([
        own.reduce((sum, x) => sum + x.quantity, 0),
        own.length,
      ]);
    }
    expect(aggregated.map((g) => [g.productId, g.quantity])).toEqual([
      ['DA', 1 + 4],
      ['DB', 8 + 16 + 32],
      ['DB', 2],
    ]);
  });

  it('judges net zero relative to the quantities summed and rounds float crumbs away', () => {
    expect(roundQuantity(0.1 + 0.2)).toBe(0.3);
    expect(roundQuantity(1e12 + 0.5)).toBe(1e12 + 0.5);
    expect(isNetZero(1e-10, 1)).toBe(true);
    expect(isNetZero(1e-3, 1)).toBe(false);
    expect(isNetZero(1e-4, 1e12)).toBe(true);
    expect(doNotSyncReason({ quantity: 5, magnitude: 5, n: 1, physical_measure: 'x' }, 'Created')).toBeNull();
  });

  async function cutSample(l: Ledger, journalsPerPackage: number) {
    const lines = [];
    for (let i = 0; i < 7; i++) lines.push({ ...base, id: `a${i}`, quantity: i + 1, productId: `D000${i}` });
    lines.push({ ...base, id: 'b', quantity: 1, fnoJournalNameId: 'IVAdj2', costPrice: 3 });
    lines.push({ ...base, id: 'c', quantity: 1, organizationId: 'usrt' });
    lines.push({ ...base, id: 'd', quantity: 2, physicalMeasure: 'counted' });
    const store = ivPosted(l, lines);
    await aggregate(
      store,
      new Map([
        ['adjustment', 'Posted'],
        ['counted', 'Created'],
      ]),
      { now: Date.now() },
    );
    const settings = l.settings.read();
    settings.transactions.fnoSyncMaxLineCount = 3;
    settings.transactions.fnoSyncMaxJournalCountInPackage = journalsPerPackage;
    const counts: Record<string, number> = {};
    return {
      store,
      settings,
      packages: await createBatches({ store, settings, counts, clock: systemClock }),
    };
  }

  it('cuts journals per company, journal name and expected status, one journal per package by default (GA)', async () => {
    const l = ledger();
    const { store, packages } = await cutSample(l, 1);
    expect(packages).toBe(6);
    const batches = store.batches.in(['Sending']);
    expect(
      batches.map((b) => [
        b.organization_id,
        b.journal_name_id,
        b.target_status,
        b.line_count,
        b.journal_count,
      ]),
    ).toEqual([
      ['usmf', null, 'Posted', 3, 1],
      ['usmf', null, 'Posted', 3, 1],
      ['usmf', null, 'Posted', 1, 1],
      ['usmf', 'IVAdj2', 'Posted', 1, 1],
      ['usmf', null, 'Created', 1, 1],
      ['usrt', null, 'Posted', 1, 1],
    ]);
    expect([...l.aggregated.iterate({})].every((a) => a.status === 'FnOSent')).toBe(true);
  });

  it('packs up to "journals per package" journals of one company, and never two companies', async () => {
    const l = ledger();
    const { store, settings, packages } = await cutSample(l, 4);
    expect(packages).toBe(3);
    const batches = store.batches.in(['Sending']);
    expect(batches.map((b) => [b.organization_id, b.line_count, b.journal_count])).toEqual([
      ['usmf', 8, 4],
      ['usmf', 1, 1],
      ['usrt', 1, 1],
    ]);
    // The send step regroups a package's lines into the same journals, headers carrying the expected status.
    const journals = toJournalFiles(
      batches[0]!.batch_id,
      store.batches.lines(batches[0]!.batch_id),
      settings.transactions.fnoSyncMaxLineCount,
    );
    expect(
      journals.map((j) => [
        j.header.JournalNameId,
        j.header.InventoryServiceJournalExpectedStatus,
        j.lines.length,
      ]),
    ).toEqual([
      ['', 'Posted', 3],
      ['', 'Posted', 3],
      ['', 'Posted', 1],
      ['IVAdj2', 'Posted', 1],
    ]);
    expect(new Set(journals.map((j) => j.header.JournalNumber)).size).toBe(4);
    for (const j of journals) {
      for (const line of j.lines) {
        expect(line.JournalNumber).toBe(j.header.JournalNumber);
        expect(line).not.toHaveProperty('InventoryServiceJournalExpectedStatus');
      }
    }
    expect(journals[3]!.lines[0]).toMatchObject({
      dataAreaId: 'usmf',
      JournalNameId: 'IVAdj2',
      ItemNumber: 'D0001',
      InventorySiteId: '1',
      InventoryWarehouseId: '13',
      ProductColorId: '',
      TransactionDate: '2024-05-01',
      InventoryQuantity: 1,
      UnitCost: 3,
      InventoryServiceAdjustmentOffsetDatasource: '@iv',
      InventoryServiceAdjustmentOffsetPhysicalMeasure: 'adjustment',
    });
  });
});

describe('history retention', () => {
  it('drops runs and attempts older than the cut-off and keeps the recent ones', () => {
    const l = ledger();
    const store = new SyncStore(connectionOf(l));
    const oldRun = store.history.startRun('iv', 'timer', '2026-01-01T00:00:00.000Z');
    store.history.finishRun(oldRun, '2026-01-01T00:00:01.000Z', 'ok', null, {});
    store.history.record({
      runId: oldRun,
      job: 'iv',
      action: 'onhandBulk',
      at: '2026-01-01T00:00:00.500Z',
      durationMs: 5,
      outcome: 'ok',
      request: 'old',
      response: 'old',
      targets: [{ id: 'line-1', outcome: 'ok' }],
    });
    const newRun = store.history.startRun('iv', 'timer', '2026-11-01T00:00:00.000Z');
    store.history.finishRun(newRun, '2026-11-01T00:00:01.000Z', 'ok', null, {});
    store.history.record({
      runId: newRun,
      job: 'iv',
      action: 'onhandBulk',
      at: '2026-11-01T00:00:00.500Z',
      durationMs: 5,
      outcome: 'ok',
      request: 'new',
      response: 'new',
      targets: [{ id: 'line-1', outcome: 'ok' }],
    });
    // The old run's attempts go first, then the run itself (a run is kept while attempts point at it).
    expect(store.history.prune('2026-06-01T00:00:00.000Z')).toEqual({ runs: 1, attempts: 1 });
    expect(store.history.attemptsFor('line-1').map((a) => a.request)).toEqual(['new']);
    expect(store.history.runs(10).map((r) => r.runId)).toEqual([newRun]);
    expect(store.history.prune('2026-06-01T00:00:00.000Z')).toEqual({ runs: 0, attempts: 0 });
  });
});
