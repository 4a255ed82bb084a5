import { afterEach, describe, expect, it } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import { ingest } from '../../src/main/ingest/ingest';
import { connectionOf } from '../../src/main/ledger/internal';
import { openLayer, seedLine } from '../helpers/layer';
import { author } from '../helpers/people';

let layer: BusinessLayer;
afterEach(async () => {
  await layer?.close();
});

const ctx = { source: 'api' as const, author: author('test'), instantIv: false };

function rowCount(): number {
  return connectionOf(layer.ledger)
    .db.prepare('SELECT count(*) FROM adjustment_lines')
    .pluck()
    .get() as number;
}

describe('ingest', () => {
  it('appends a line as Created with the local date filled in', () => {
    layer = openLayer();
    const now = new Date(2026, 10, 26, 23, 30); // local time, late evening
    const outcome = ingest(layer.ledger, seedLine(), { ...ctx, now });
    expect(outcome.kind).toBe('ok');
    if (outcome.kind !== 'ok') return;
    const line = layer.ledger.lines.get(outcome.results[0]!.lineRecordId)!;
    expect(line).toMatchObject({
      status: 'Created',
      transDate: '2026-11-26',
      source: 'api',
      createdBy: 'test',
      authorKind: 'os-user',
      attempts: 0,
    });
    expect(line.dimensions).toEqual({
      colorId: 'red',
      locationId: '13',
      siteId: '1',
      sizeId: 'S',
      styleId: 'women',
    });
  });

  it('answers a resend with the existing line, even the next day with a blank transDate', () => {
    layer = openLayer();
    const first = ingest(layer.ledger, [seedLine()], { ...ctx, now: new Date(2026, 10, 26) });
    const again = ingest(
      layer.ledger,
      [
        seedLine({
          dimensions: { SITEID: '1', locationId: '13', colorId: 'red', sizeId: 'S', styleId: 'women' },
        }),
      ],
      {
        ...ctx,
        now: new Date(2026, 10, 27),
      },
    );
    expect(first.kind).toBe('ok');
    expect(again).toMatchObject({ kind: 'ok', created: 0 });
    if (first.kind === 'ok' && again.kind === 'ok') {
      expect(again.results[0]!.lineRecordId).toBe(first.results[0]!.lineRecordId);
      expect(again.results[0]!.created).toBe(false);
    }
    expect(rowCount()).toBe(1);
  });

  it('refuses the whole request when an id comes back with other content', () => {
    layer = openLayer();
    ingest(layer.ledger, seedLine(), ctx);
    const outcome = ingest(layer.ledger, [seedLine({ id: 'new-1' }), seedLine({ quantity: 6 })], ctx);
    expect(outcome).toMatchObject({ kind: 'conflict', errors: [{ index: 1, id: 'seed-1', field: 'id' }] });
    expect(rowCount()).toBe(1);
  });

  it('stores nothing when one line of many is invalid, and names it', () => {
    layer = openLayer();
    const lines = Array.from({ length: 100 }, (_, i) => seedLine({ id: `l${i}` }));
    lines[57] = seedLine({ id: 'l57', quantity: 0 });
    const outcome = ingest(layer.ledger, lines, ctx);
    expect(outcome).toMatchObject({ kind: 'invalid', errors: [{ index: 57, id: 'l57', field: 'quantity' }] });
    expect(rowCount()).toBe(0);
  });

  it('refuses duplicate ids inside one request', () => {
    layer = openLayer();
    const outcome = ingest(layer.ledger, [seedLine(), seedLine({ id: 'x' }), seedLine()], ctx);
    expect(outcome).toMatchObject({ kind: 'invalid', errors: [{ index: 2, field: 'id' }] });
    expect(rowCount()).toBe(0);
  });

  it('refuses new lines while the feature is disabled', () => {
    layer = openLayer();
    layer.settings.update({ enableFeature: false });
    expect(ingest(layer.ledger, seedLine(), ctx).kind).toBe('disabled');
    expect(rowCount()).toBe(0);
  });
});

describe('record IDs', () => {
  it('are version-7 GUIDs that sort by creation time', async () => {
    const { newRecordId } = await import('../../src/main/ledger/ids');
    const a = newRecordId(1_700_000_000_000);
    const b = newRecordId(1_700_000_000_001);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
  });
});
