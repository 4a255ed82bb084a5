import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../src/main/ingest/ingest';
import { Ledger } from '../../src/main/ledger';
import { LedgerConnection } from '../../src/main/ledger/connection';
import { LATEST_VERSION, MIGRATIONS, migrate } from '../../src/main/ledger/migrations';
import { SyncStore } from '../../src/main/ledger/sync-store';
import { aggregatedSources, lineSources } from '../../src/main/ledger/transitions';
import { aggregate, doNotSyncReason, isNetZero, roundQuantity } from '../../src/main/sync/aggregation';
import { createBatches, toJournalRow } from '../../src/main/sync/scm-job';
import { buildJournalCsv } from '../../src/main/upstream';
import { tempDir } from '../helpers/layer';

const open: Ledger[] = [];
afterEach(() => {
  for (const l of open.splice(0)) l.close();
});

function ledger(): Ledger {
  const l = Ledger.open(tempDir());
  open.push(l);
  return l;
}

const base = {
  organizationId: 'usmf',
  productId: 'D0001',
  quantityDataSource: '@iv',
  physicalMeasure: 'adjustment',
  dimensions: { siteId: '1', locationId: '13' },
  transDate: '2024-05-01',
};

/** Records lines and marks them IVPosted, as if IV had accepted them. */
function ivPosted(l: Ledger, lines: Record<string, unknown>[]): SyncStore {
  const outcome = ingest(l, lines, { source: 'api', createdBy: 't', instantIv: false });
  if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome));
  const store = new SyncStore(l.conn);
  store.transaction(() =>
    store.status.moveLines(
      outcome.results.map((r) => r.lineRecordId),
      'IVPosted',
      { iv_posted_at: '2024-05-01T00:00:00Z' },
    ),
  );
  return store;
}

describe('migration 2 (sync)', () => {
  it('adds the read-back flag to existing journal batches, keeping them', () => {
    const file = path.join(tempDir(), 'ledger.sqlite');
    const db = new Sqlite(file);
    migrate(db, file, MIGRATIONS.slice(0, 1));
    db.prepare(
      `INSERT INTO journal_batches (batch_id, organization_id, state, line_count, created_at, updated_at)
       VALUES ('b1', 'usmf', 'Sending', 3, 'x', 'x')`,
    ).run();
    db.close();
    const conn = new LedgerConnection(file);
    try {
      expect(conn.migration.from).toBe(1);
      // Later steps (format 5: void and correct) run too; what matters here is step 2's effect.
      expect(conn.migration.to).toBe(LATEST_VERSION);
      expect(
        conn.db
          .prepare('SELECT batch_id, read_back_first, target_status, last_error FROM journal_batches')
          .get(),
      ).toEqual({
        batch_id: 'b1',
        read_back_first: 0,
        target_status: null,
        last_error: null,
      });
      expect(conn.integrityCheck()).toEqual([]);
    } finally {
      conn.close();
    }
  });
});

describe('status transitions', () => {
  it('are written only from the statuses the contract allows', () => {
    expect(lineSources('IVPosted')).toEqual(['Created']);
    expect(aggregatedSources('DoNotSync')).toEqual(['Created', 'FnOCreateError', 'FnOPostError']);
    const l = ledger();
    const store = ivPosted(l, [{ ...base, id: 'a', quantity: 5 }]);
    aggregate(store, new Map([['adjustment', 'Posted']]));
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
  it('sums by the key, leaves external dimensions out, and explains each DoNotSync', () => {
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
    const result = aggregate(
      store,
      new Map([
        ['adjustment', 'Posted'],
        ['gone', 'None'],
      ]),
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
    expect(aggregate(store, new Map())).toEqual({ aggregatedLines: 0, detailedLines: 0, doNotSync: 0 });
  });

  it('aggregates a large backlog in steps, oldest lines first, each step whole', () => {
    const l = ledger();
    const store = ivPosted(
      l,
      Array.from({ length: 7 }, (_, i) => ({ ...base, id: `s${i}`, quantity: i + 1 })),
    );
    const targets = new Map([['adjustment', 'Posted' as const]]);
    expect(aggregate(store, targets, new Date(), 3)).toMatchObject({ detailedLines: 3, aggregatedLines: 1 });
    expect(aggregate(store, targets, new Date(), 3)).toMatchObject({ detailedLines: 3, aggregatedLines: 1 });
    expect(aggregate(store, targets, new Date(), 3)).toMatchObject({ detailedLines: 1, aggregatedLines: 1 });
    expect(aggregate(store, targets, new Date(), 3)).toMatchObject({ detailedLines: 0 });
    // Oldest first: the first step summed lines 1, 2 and 3.
    const quantities = [...l.aggregated.iterate({})].map((a) => a.quantity);
    expect(quantities).toEqual([6, 15, 7]);
  });

  it('judges net zero relative to the quantities summed and rounds float crumbs away', () => {
    expect(roundQuantity(0.1 + 0.2)).toBe(0.3);
    expect(roundQuantity(1e12 + 0.5)).toBe(1e12 + 0.5);
    expect(isNetZero(1e-10, 1)).toBe(true);
    expect(isNetZero(1e-3, 1)).toBe(false);
    expect(isNetZero(1e-4, 1e12)).toBe(true);
    expect(doNotSyncReason({ quantity: 5, magnitude: 5, n: 1, physical_measure: 'x' }, 'Created')).toBeNull();
  });

  it('cuts journals per company, journal name and target, at most max line count each, with every column', () => {
    const l = ledger();
    const lines = [];
    for (let i = 0; i < 7; i++) lines.push({ ...base, id: `a${i}`, quantity: i + 1, productId: `D000${i}` });
    lines.push({ ...base, id: 'b', quantity: 1, fnoJournalNameId: 'IVAdj2', costPrice: 3 });
    lines.push({ ...base, id: 'c', quantity: 1, organizationId: 'usrt' });
    lines.push({ ...base, id: 'd', quantity: 2, physicalMeasure: 'counted' });
    const store = ivPosted(l, lines);
    aggregate(
      store,
      new Map([
        ['adjustment', 'Posted'],
        ['counted', 'Created'],
      ]),
    );
    const settings = l.settings.read();
    settings.transactions.fnoSyncMaxLineCount = 3;
    const counts: Record<string, number> = {};
    expect(createBatches({ store, settings, counts })).toBe(6);
    const batches = store.batchesIn(['Sending']);
    expect(batches.map((b) => [b.organization_id, b.journal_name_id, b.target_status, b.line_count])).toEqual(
      [
        ['usmf', null, 'Posted', 3],
        ['usmf', null, 'Posted', 3],
        ['usmf', null, 'Posted', 1],
        ['usmf', 'IVAdj2', 'Posted', 1],
        ['usrt', null, 'Posted', 1],
        ['usmf', null, 'Created', 1],
      ],
    );
    const row = toJournalRow(
      store
        .batchLines(batches[3]!.batch_id)
        .map((x) => x)
        .at(0)!,
    );
    expect(row).toMatchObject({
      dataAreaId: 'usmf',
      JournalNameId: 'IVAdj2',
      InventoryServiceJournalExpectedStatus: 'Posted',
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
    const blank = toJournalRow(store.batchLines(batches[0]!.batch_id)[0]!);
    expect(blank.JournalNameId).toBe('');
    expect(buildJournalCsv([blank]).split('\r\n')[1]).toMatch(/^[0-9a-f-]{36},usmf,,Posted,D0000,1,13,/);
    expect([...l.aggregated.iterate({})].every((a) => a.status === 'FnOSent')).toBe(true);
  });
});

describe('history retention', () => {
  it('drops runs and attempts older than the cut-off and keeps the recent ones', () => {
    const l = ledger();
    const store = new SyncStore(l.conn);
    const oldRun = store.startRun('iv', 'timer', '2026-01-01T00:00:00.000Z');
    store.finishRun(oldRun, '2026-01-01T00:00:01.000Z', 'ok', null, {});
    store.recordAttempt({
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
    const newRun = store.startRun('iv', 'timer', '2026-11-01T00:00:00.000Z');
    store.finishRun(newRun, '2026-11-01T00:00:01.000Z', 'ok', null, {});
    store.recordAttempt({
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
    expect(store.pruneHistory('2026-06-01T00:00:00.000Z')).toEqual({ runs: 1, attempts: 1 });
    expect(store.attemptsFor('line-1').map((a) => a.request)).toEqual(['new']);
    expect(store.runs(10).map((r) => r.runId)).toEqual([newRun]);
    expect(store.pruneHistory('2026-06-01T00:00:00.000Z')).toEqual({ runs: 0, attempts: 0 });
  });
});
