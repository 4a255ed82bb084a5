// Counts over real HTTP: a count is compared with the on-hand known at Apply. With IV
// unreachable (the emulator's fault injection), Apply refuses in words naming the items; a manager
// may choose, per item, IV's last known figure (and the line records which figure it used); an item
// with no figure ever cannot be applied until it is removed or IV answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, getJson, postJson, startApi } from '../helpers/layer';
import { type Emulator, provisioningConfig, startEmulator } from '../upstream-emulator';

let emulator: Emulator;
let api: ApiFixture;
let base: string;

interface Item {
  item: number;
  productId: string;
  applied: {
    basis: 'live' | 'last_known';
    onHand: number;
    onHandAt: string;
    pending: number;
    delta: number;
    lineId: string | null;
  } | null;
}
interface View {
  countId: string;
  state: string;
  items: Item[];
}
interface Waiting {
  item: number;
  productId: string;
  lastKnown: { onHand: number; at: string } | null;
  reason: string;
}

beforeAll(async () => {
  emulator = await startEmulator({ importDelayMs: 10, postingDelayMs: 20 });
  api = await startApi();
  api.layer.settings.applyProvisioning(provisioningConfig(emulator));
  base = `${api.server.baseUrl}/api/environment/${emulator.credentials.environmentId}/transaction`;
});
afterAll(async () => {
  await api.close();
  await emulator.close();
});

/** IV unreachable: its token and query endpoints drop the connection (SCM still answers). */
function ivUnreachable(): void {
  emulator.admin.setFault({ endpoint: 'ivToken', rate: 1, kinds: ['drop'] });
  emulator.admin.setFault({ endpoint: 'ivQuery', rate: 1, kinds: ['drop'] });
}

async function startCount(reference: string): Promise<string> {
  const res = await postJson(`${base}/counts`, {
    reference,
    organizationId: 'usmf',
    siteId: '1',
    locationId: '13',
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as View).countId;
}
const record = async (countId: string, productId: string, counted: number) =>
  expect((await postJson(`${base}/counts/${countId}/items`, { productId, counted })).status).toBe(200);
const apply = (countId: string, body: object = {}) => postJson(`${base}/counts/${countId}/apply`, body);
const linesOf = async (reference: string) =>
  (
    (await getJson(`${base}/adjustment/lines?externalReferenceId=${reference}`)).body as {
      value: { id: string; productId: string; quantity: number }[];
    }
  ).value.map((l) => [l.id, l.productId, l.quantity]);

describe('Apply with IV unreachable', () => {
  it('refuses naming each item; last known per item posts counted − (last known + pending); no figure, no apply', async () => {
    const countId = await startCount('CNT-OFF-1');
    // IV answers while these are counted: D0001 has 100 at 1/13, D0003 none there (0 as of then).
    await record(countId, 'D0001', 90);
    await record(countId, 'D0003', 7);
    // A sale of 3 recorded here after the count: pending against IV's last figure.
    const sale = await postJson(`${base}/adjustment/bulk`, [
      {
        id: 'sale-off-1',
        organizationId: 'usmf',
        productId: 'D0001',
        quantityDataSource: '@iv',
        physicalMeasure: 'adjustment',
        quantity: -3,
        dimensions: { siteId: '1', locationId: '13' },
      },
    ]);
    expect(sale.status).toBe(200);
    ivUnreachable();
    try {
      // Never asked while IV answered: no figure ever.
      await record(countId, 'D0007', 4);

      const refusedRes = await apply(countId);
      expect(refusedRes.status).toBe(409);
      const refusal = (await refusedRes.json()) as { error: { message: string }; waiting: Waiting[] };
      expect(refusal.error.message).toMatch(
        /^Not applied: IV could not be asked for the on-hand of 3 items \(D0001, D0003, D0007\)/,
      );
      expect(refusal.waiting.map((w) => [w.item, w.productId, w.lastKnown?.onHand ?? null])).toEqual([
        [1, 'D0001', 100],
        [2, 'D0003', 0],
        [3, 'D0007', null],
      ]);
      expect(refusal.waiting[2]!.reason).toMatch(/IV has never given a figure for it/);
      expect(await linesOf('CNT-OFF-1')).toEqual([]);

      // The manager chooses last known for every item: the one without a figure still stops it.
      const still = await apply(countId, { useLastKnown: [1, 2, 3] });
      expect(still.status).toBe(409);
      expect(((await still.json()) as { error: { message: string } }).error.message).toMatch(
        /D0007.*no figure/,
      );
      expect(await linesOf('CNT-OFF-1')).toEqual([]);
      // Only one item chosen: the other one with a figure is still waiting.
      const partly = await apply(countId, { useLastKnown: [1] });
      expect(partly.status).toBe(409);
      expect(((await partly.json()) as { waiting: Waiting[] }).waiting.map((w) => w.item)).toEqual([2, 3]);

      const removed = await postJson(`${base}/counts/${countId}/items/3/remove`, {});
      expect(removed.status).toBe(200);
      const applied = await apply(countId, { useLastKnown: [1, 2] });
      expect(applied.status).toBe(200);
      const result = (await applied.json()) as { created: number; count: View };
      expect(result.created).toBe(2);
      expect(await linesOf('CNT-OFF-1')).toEqual([
        [`count-${countId}-1`, 'D0001', -7],
        [`count-${countId}-2`, 'D0003', 7],
      ]);
      const [d1, d3] = result.count.items;
      expect(d1!.applied).toMatchObject({
        basis: 'last_known',
        onHand: 100,
        pending: -3,
        delta: -7,
        lineId: `count-${countId}-1`,
      });
      expect(d3!.applied).toMatchObject({ basis: 'last_known', onHand: 0, pending: 0, delta: 7 });
      expect(Date.parse(d1!.applied!.onHandAt)).toBeLessThan(Date.now());

      // Twice never doubles.
      const again = await apply(countId, { useLastKnown: [1, 2] });
      expect(again.status).toBe(200);
      expect(((await again.json()) as { created: number }).created).toBe(0);
      expect(await linesOf('CNT-OFF-1')).toHaveLength(2);
    } finally {
      emulator.admin.clearFaults();
    }
  });

  it('with IV answering at Apply, compares with IV then and records it as live', async () => {
    const countId = await startCount('CNT-LIVE-1');
    await record(countId, 'D0002', 1);
    // D0002 has none at 1/13; 4 arrive after the count and IV hears of them before Apply.
    emulator.admin.addOnHand({
      organizationId: 'usmf',
      itemNumber: 'D0002',
      dimensions: { siteId: '1', locationId: '13' },
      quantity: 4,
    });
    const applied = await apply(countId);
    expect(applied.status).toBe(200);
    const { count } = (await applied.json()) as { count: View };
    expect(count.items[0]!.applied).toMatchObject({ basis: 'live', onHand: 4, delta: -3 });
    expect(await linesOf('CNT-LIVE-1')).toEqual([[`count-${countId}-1`, 'D0002', -3]]);
  });

  it('asks the large-quantity question before posting a large difference', async () => {
    const countId = await startCount('CNT-LARGE-1');
    await record(countId, 'D0004', 500);
    const asked = await apply(countId);
    expect(asked.status).toBe(409);
    expect(((await asked.json()) as { error: { message: string } }).error.message).toMatch(
      /D0004: 500 is at or beyond the store's large-quantity threshold of 100/,
    );
    expect(await linesOf('CNT-LARGE-1')).toEqual([]);
    const confirmed = await apply(countId, { confirmedLargeQuantity: true });
    expect(confirmed.status).toBe(200);
    expect(await linesOf('CNT-LARGE-1')).toEqual([[`count-${countId}-1`, 'D0004', 500]]);
  });
});
