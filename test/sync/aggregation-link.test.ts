import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/main/ledger';
import { LedgerConnection } from '../../src/main/ledger/connection';
import { connectionOf } from '../../src/main/ledger/internal';
import { AGGREGATION_STEP, aggregate, nextStep, SLICE_MS } from '../../src/main/sync/aggregation';
import { linesQuerySchema } from '../../src/shared/queries';
import { AGGREGATION_LINE, ivPosted } from '../helpers/iv-posted';
import { tempDir } from '../helpers/layer';
import { ledgerAtVersion } from '../helpers/ledger-at';

const open: { close(): void }[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

const base = AGGREGATION_LINE;
const targets = new Map([['adjustment', 'Posted' as const]]);

const linesOf = (l: Ledger, aggregatedLineId: string, more: Record<string, unknown> = {}) =>
  l.lines.list(linesQuerySchema.parse({ aggregatedLineId, top: 1000, ...more }));

describe("a detailed line's aggregated line, without an index on the link", () => {
  it('finds exactly the lines of an aggregated line among interleaved keys and runs, with their total', async () => {
    const l = Ledger.open(tempDir());
    open.push(l);
    // Two keys interleaved, aggregated in slices of 2; then a second run of the first key.
    const store = ivPosted(
      l,
      Array.from({ length: 9 }, (_, i) => ({ ...base, id: `a${i}`, quantity: 1, productId: `P${i % 2}` })),
    );
    await aggregate(store, targets, { now: Date.now(), step: 2 });
    ivPosted(l, [{ ...base, id: 'late', quantity: 5, productId: 'P0' }]);
    await aggregate(store, targets, { now: Date.now(), step: 2 });

    const aggregated = [...l.aggregated.iterate({})];
    expect(aggregated.map((a) => [a.productId, a.quantity, a.detailedLineCount])).toEqual([
      ['P0', 5, 5],
      ['P1', 4, 4],
      ['P0', 5, 1],
    ]);
    const all = [...l.lines.iterate({})];
    for (const a of aggregated) {
      const expected = all.filter((x) => x.aggregatedLineId === a.aggregatedLineId).map((x) => x.id);
      const page = linesOf(l, a.aggregatedLineId);
      expect(page.value.map((x) => x.id).sort()).toEqual(expected.sort());
      expect(page.count).toBe(a.detailedLineCount);
      // Paging and other filters read the same range.
      expect(linesOf(l, a.aggregatedLineId, { top: 1, skip: 1 }).value).toHaveLength(
        Math.min(1, expected.length - 1),
      );
      expect(linesOf(l, a.aggregatedLineId, { status: ['Created'] })).toEqual({ value: [], count: 0 });
      const odd = linesOf(l, a.aggregatedLineId, { productId: 'P1' });
      expect(odd.count).toBe(a.productId === 'P1' ? 4 : 0);
      expect(odd.value).toHaveLength(odd.count);
    }
    expect(linesOf(l, 'no-such-line')).toEqual({ value: [], count: 0 });
    const rows = connectionOf(l)
      .db.prepare('SELECT first_line_seq, last_line_seq FROM aggregated_lines ORDER BY seq')
      .all() as { first_line_seq: number; last_line_seq: number }[];
    expect(rows.every((r) => r.first_line_seq <= r.last_line_seq)).toBe(true);
  });

  it('migration 8 records the range of the lines already aggregated and drops the index on the link', () => {
    const { file, db } = ledgerAtVersion(7);
    const agg = db.prepare(
      `INSERT INTO aggregated_lines (aggregated_line_id, aggregation_key, organization_id, product_id, quantity_data_source,
         physical_measure, dimensions, site_id, location_id, trans_date, quantity, status, target_transaction_status,
         detailed_line_count, created_at, updated_at)
       VALUES (?, ?, 'usmf', 'D0001', '@iv', 'adjustment', '{}', '1', '13', '2024-05-01', ?, 'Created', 'Posted', ?, 'x', 'x')`,
    );
    agg.run('agg-a', 'ka', 3, 3);
    agg.run('agg-b', 'kb', 2, 2);
    agg.run('agg-none', 'kc', 0, 0);
    const line = db.prepare(
      `INSERT INTO adjustment_lines (seq, line_record_id, id, content_hash, organization_id, product_id, quantity_data_source,
         physical_measure, quantity, dimensions, site_id, location_id, trans_date, status, aggregated_line_id, source,
         created_at, created_by)
       VALUES (?, ?, ?, 'h', 'usmf', 'D0001', '@iv', 'adjustment', 1, '{}', '1', '13', '2024-05-01', ?, ?, 'api', 'x', 't')`,
    );
    const links = ['agg-a', 'agg-b', null, 'agg-a', 'agg-b', 'agg-a'];
    for (const [i, link] of links.entries()) {
      line.run(10 + i, `r${i}`, `i${i}`, link ? 'Aggregated' : 'IVPosted', link);
    }
    db.close();

    const conn = new LedgerConnection(file);
    open.push(conn);
    expect(conn.migration.to).toBeGreaterThanOrEqual(8);
    expect(
      conn.db
        .prepare(
          'SELECT aggregated_line_id, first_line_seq, last_line_seq FROM aggregated_lines ORDER BY seq',
        )
        .all(),
    ).toEqual([
      { aggregated_line_id: 'agg-a', first_line_seq: 10, last_line_seq: 15 },
      { aggregated_line_id: 'agg-b', first_line_seq: 11, last_line_seq: 14 },
      { aggregated_line_id: 'agg-none', first_line_seq: null, last_line_seq: null },
    ]);
    expect(
      conn.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'ix_lines_aggregated'").pluck().get(),
    ).toBe(0);
    const l = new Ledger(conn);
    expect(linesOf(l, 'agg-a').value.map((x) => x.id)).toEqual(['i0', 'i3', 'i5']);
    expect(linesOf(l, 'agg-b').count).toBe(2);
    expect(linesOf(l, 'agg-none')).toEqual({ value: [], count: 0 });
    expect(conn.integrityCheck()).toEqual([]);
  });
});

describe('migration 9: that a line was aggregated is kept beside it', () => {
  it('moves the links of aggregated lines out of their rows, queues the IVPosted ones, keeps what a clerk sees', () => {
    const { file, db } = ledgerAtVersion(8);
    db.prepare(
      `INSERT INTO aggregated_lines (aggregated_line_id, aggregation_key, organization_id, product_id, quantity_data_source,
         physical_measure, dimensions, site_id, location_id, trans_date, quantity, status, target_transaction_status,
         detailed_line_count, created_at, updated_at, first_line_seq, last_line_seq)
       VALUES ('agg-a', 'ka', 'usmf', 'D0001', '@iv', 'adjustment', '{}', '1', '13', '2024-05-01', 2, 'FnOPosted', 'Posted',
               2, '2026-11-01T00:00:00.000Z', 'x', 1, 3)`,
    ).run();
    const line = db.prepare(
      `INSERT INTO adjustment_lines (seq, line_record_id, id, content_hash, organization_id, product_id, quantity_data_source,
         physical_measure, quantity, dimensions, site_id, location_id, trans_date, status, aggregated_line_id, aggregated_at,
         source, created_at, created_by)
       VALUES (?, ?, ?, 'h', 'usmf', 'D0001', '@iv', 'adjustment', 1, '{}', '1', '13', '2024-05-01', ?, ?, ?, 'api', 'x', 't')`,
    );
    line.run(1, 'r1', 'i1', 'Aggregated', 'agg-a', '2026-11-01T00:00:01.000Z');
    line.run(2, 'r2', 'i2', 'IVPosted', null, null);
    line.run(3, 'r3', 'i3', 'Aggregated', 'agg-a', null);
    line.run(4, 'r4', 'i4', 'Created', null, null);
    db.exec(`UPDATE line_status_counts SET n = CASE status WHEN 'Aggregated' THEN 2 WHEN 'IVPosted' THEN 1
             WHEN 'Created' THEN 1 ELSE 0 END`);
    db.close();

    const conn = new LedgerConnection(file);
    open.push(conn);
    const l = new Ledger(conn);
    expect([...l.lines.iterate({})].map((x) => [x.id, x.status, x.aggregatedLineId, x.aggregatedAt])).toEqual(
      [
        // A line was aggregated when its aggregated line was made (its run's start).
        ['i1', 'Aggregated', 'agg-a', '2026-11-01T00:00:00.000Z'],
        ['i2', 'IVPosted', null, null],
        ['i3', 'Aggregated', 'agg-a', '2026-11-01T00:00:00.000Z'],
        ['i4', 'Created', null, null],
      ],
    );
    expect(conn.db.prepare('SELECT seq FROM aggregation_queue').pluck().all()).toEqual([2]);
    expect(
      conn.db
        .prepare('SELECT count(*) FROM adjustment_lines WHERE aggregated_line_id IS NOT NULL')
        .pluck()
        .get(),
    ).toBe(0);
    expect(l.lines.countByStatus()).toMatchObject({ Created: 1, IVPosted: 1, Aggregated: 2 });
    // Each status filter finds its lines through the new tables.
    for (const [status, ids] of [
      ['Aggregated', ['i3', 'i1']],
      ['IVPosted', ['i2']],
      ['Created', ['i4']],
    ] as const) {
      const page = l.lines.list(linesQuerySchema.parse({ status: [status], direction: 'desc' }));
      expect(page.value.map((x) => x.id)).toEqual(ids);
    }
    expect(conn.integrityCheck()).toEqual([]);
  });
});

describe('slices sized by time', () => {
  it('fit the last slice pace into the slice budget, at most doubling, within bounds', () => {
    // 1,000 lines in 10 ms: 4,000 would take 40 ms, but a slice at most doubles.
    expect(nextStep(1_000, 1_000, 10)).toBe(2_000);
    expect(nextStep(4_000, 4_000, SLICE_MS * 2)).toBe(2_000);
    expect(nextStep(4_000, 4_000, SLICE_MS)).toBe(4_000);
    // A slow machine never goes below the floor, a fast one never above the ceiling.
    expect(nextStep(1_000, 1_000, 10_000)).toBe(100);
    expect(nextStep(20_000, 20_000, 1)).toBe(20_000);
    // The run's last, partial slice says nothing about the pace.
    expect(nextStep(4_000, 10, 100)).toBe(4_000);
    expect(AGGREGATION_STEP).toBeLessThanOrEqual(5_000);
  });
});
