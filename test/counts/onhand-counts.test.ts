import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import { COUNT_CATEGORY } from '../../src/main/counts/service';
import { ingest } from '../../src/main/ingest/ingest';
import { linesQuerySchema } from '../../src/shared/queries';
import { openLayer, seedLine } from '../helpers/layer';
import { author } from '../helpers/people';
import { type Emulator, provisioningConfig, startEmulator } from '../upstream-emulator';

let emulator: Emulator;
let layer: BusinessLayer;
const at = { organizationId: 'usmf', productId: 'D0001', siteId: '1', locationId: '13' };

beforeAll(async () => {
  emulator = await startEmulator({ importDelayMs: 10, postingDelayMs: 20 });
  layer = openLayer();
  layer.settings.applyProvisioning(provisioningConfig(emulator));
});
afterAll(async () => {
  await layer.close();
  await emulator.close();
});

function addLine(id: string, productId: string, quantity: number): void {
  const outcome = ingest(
    layer.ledger,
    [seedLine({ id, productId, quantity, dimensions: { siteId: '1', locationId: '13' } })],
    {
      source: 'api',
      author: author('test'),
      instantIv: false,
    },
  );
  expect(outcome.kind).toBe('ok');
}

describe('on-hand at hand', () => {
  it('adds what is still pending here to what IV said, and falls back to IV’s last answer offline', async () => {
    const first = await layer.onHand.get({ ...at, live: true });
    expect(first.source).toBe('live');
    expect(first.rows).toMatchObject([{ siteId: '1', locationId: '13', iv: 100, pending: 0, total: 100 }]);
    const askedAt = first.rows[0]!.ivAt;

    addLine('sale-1', 'D0001', -3);
    const withPending = await layer.onHand.get({ ...at, live: false });
    expect(withPending).toMatchObject({
      source: 'cached',
      rows: [{ iv: 100, ivAt: askedAt, pending: -3, total: 97 }],
    });

    await emulator.stop();
    try {
      const offline = await layer.onHand.get({ ...at, live: true });
      expect(offline.source).toBe('cached');
      expect(offline.note).toMatch(/^IV could not be asked now/);
      expect(offline.rows).toMatchObject([{ iv: 100, ivAt: askedAt, pending: -3, total: 97 }]);
    } finally {
      await emulator.start();
    }
  });
});

describe('count mode', () => {
  it('compares each count with IV + pending, a recount replaces, Apply posts the deltas once', async () => {
    const count = layer.counts.create({
      reference: 'CNT-42',
      organizationId: 'usmf',
      siteId: '1',
      locationId: '13',
    });
    await layer.counts.record(count.countId, { productId: 'D0001', counted: 90 });
    await layer.counts.record(count.countId, { productId: 'D0002', counted: 5 });
    const recounted = await layer.counts.record(count.countId, { productId: 'D0001', counted: 95 });
    expect(
      recounted.items.map(({ productId, counted, iv, pending, delta, ivLive }) => ({
        productId,
        counted,
        iv,
        pending,
        delta,
        ivLive,
      })),
    ).toEqual([
      { productId: 'D0001', counted: 95, iv: 100, pending: -3, delta: -2, ivLive: true },
      { productId: 'D0002', counted: 5, iv: 0, pending: 0, delta: 5, ivLive: true },
    ]);

    const applied = await layer.counts.apply(count.countId, author('clerk'));
    expect(applied).toMatchObject({ applied: true, created: 2, unchanged: 0, count: { state: 'Applied' } });
    // Compared again at Apply, with IV answering: the same figures, now recorded as what was used.
    expect(
      applied.count.items.map((i) => i.applied && [i.applied.basis, i.applied.onHand, i.applied.delta]),
    ).toEqual([
      ['live', 100, -2],
      ['live', 0, 5],
    ]);
    const lines = layer.ledger.lines.list(linesQuerySchema.parse({ externalReferenceId: 'CNT-42' })).value;
    expect(lines.map((l) => [l.productId, l.quantity, l.externalReferenceCategory]).sort()).toEqual([
      ['D0001', -2, COUNT_CATEGORY],
      ['D0002', 5, COUNT_CATEGORY],
    ]);
    expect(await layer.counts.apply(count.countId, author('clerk'))).toMatchObject({
      created: 0,
      unchanged: 2,
    });
    await expect(layer.counts.record(count.countId, { productId: 'D0003', counted: 1 })).rejects.toThrow(
      /was applied/,
    );
  });

  it('a count taken offline says it was compared with IV’s last answer', async () => {
    const count = layer.counts.create({
      reference: 'CNT-43',
      organizationId: 'usmf',
      siteId: '1',
      locationId: '13',
    });
    await emulator.stop();
    try {
      const view = await layer.counts.record(count.countId, { productId: 'D0001', counted: 97 });
      expect(view.items[0]).toMatchObject({ ivLive: false, iv: 100 });
      expect(view.items[0]!.ivAt).not.toBeNull();
    } finally {
      await emulator.start();
    }
  });
});
