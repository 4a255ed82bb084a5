// Count mode over HTTP and by paste: a counting tool (or a clerk's spreadsheet) sends what is on
// the shelf; one bad row, or an item twice in one paste, records nothing.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_KEY, type ApiFixture, getJson, postJson, startApi } from '../helpers/layer';
import { type Emulator, provisioningConfig, startEmulator } from '../upstream-emulator';

let emulator: Emulator;
let api: ApiFixture;
/** The store API under the emulator's environment, so the count reads on-hand from IV. */
let base: string;

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

const paste = (countId: string, text: string) =>
  fetch(`${base}/counts/${countId}/paste`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'text/plain' },
    body: text,
  });

describe('counts over HTTP', () => {
  it('refuses a paste with an item twice or a counted that is not a number, in words, recording nothing', async () => {
    const created = await postJson(`${base}/counts`, {
      reference: 'CNT-PASTE-1',
      organizationId: 'usmf',
      siteId: '1',
      locationId: '13',
    });
    expect(created.status).toBe(200);
    const { countId } = (await created.json()) as { countId: string };

    const bad = await paste(countId, 'Item\tCounted\nD0001\t90\nD0002\tten\nd0001\t91\n');
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { errors: { field: string; message: string }[] };
    expect(body.errors.map((e) => e.message)).toEqual([
      "row 3: counted must be a number of 0 or more, not 'ten'",
      'row 4: d0001 is counted twice in this block (row 2 too); keep one row',
    ]);
    const still = await getJson(`${base}/counts/${countId}`);
    expect((still.body as { items: unknown[] }).items).toEqual([]);

    const missing = await paste(countId, 'Shelf\tWhere\nA\t3\n');
    expect(missing.status).toBe(400);
    expect(JSON.stringify(await missing.json())).toContain(
      'must name an item column (Item, Item number, Product) and a counted column',
    );
  });

  it('records a pasted block, posts the deltas once on apply, and never twice', async () => {
    const created = await postJson(`${base}/counts`, {
      reference: 'CNT-PASTE-2',
      organizationId: 'usmf',
      siteId: '1',
      locationId: '13',
    });
    const { countId } = (await created.json()) as { countId: string };
    // D0001 has 100 at 1/13 in the emulator's catalog; D0005 has none.
    const ok = await paste(countId, 'Qty\tItem\n95\tD0001\n4\tD0005\n');
    expect(ok.status).toBe(200);
    const view = (await ok.json()) as { items: { productId: string; counted: number; delta: number }[] };
    expect(view.items.map((i) => [i.productId, i.counted, i.delta])).toEqual([
      ['D0001', 95, -5],
      ['D0005', 4, 4],
    ]);
    // One more item, as a counting tool would send it.
    const one = await postJson(`${base}/counts/${countId}/items`, { productId: 'D0006', counted: 0 });
    expect(one.status).toBe(200);

    const applied = await postJson(`${base}/counts/${countId}/apply`, {});
    expect(applied.status).toBe(200);
    expect(((await applied.json()) as { created: number }).created).toBe(2);
    const again = await postJson(`${base}/counts/${countId}/apply`, {});
    expect([200, 409]).toContain(again.status);
    const lines = await getJson(`${base}/adjustment/lines?externalReferenceId=CNT-PASTE-2`);
    const posted = (
      lines.body as {
        value: {
          productId: string;
          quantity: number;
          externalReferenceCategory: string;
          reasonCode: string;
        }[];
      }
    ).value;
    // A count's lines give the store's "count" reason.
    expect(posted.map((l) => [l.productId, l.quantity, l.externalReferenceCategory, l.reasonCode])).toEqual([
      ['D0001', -5, 'Inventory counting delta', 'COUNT'],
      ['D0005', 4, 'Inventory counting delta', 'COUNT'],
    ]);
  });

  // Last: it stops the emulator.
  it('with IV unreachable, a pasted block asks IV once, not once per row, and says what it compared with', async () => {
    await emulator.stop();
    const created = await postJson(`${base}/counts`, {
      reference: 'CNT-PASTE-3',
      organizationId: 'usmf',
      siteId: '1',
      locationId: '13',
    });
    const { countId } = (await created.json()) as { countId: string };
    const asked = vi.spyOn(api.layer.onHand, 'get');
    const ok = await paste(countId, 'D0001\t90\nD0005\t1\nD0006\t2\n');
    expect(ok.status).toBe(200);
    const view = (await ok.json()) as { items: { productId: string; ivLive: boolean }[] };
    expect(view.items.map((i) => [i.productId, i.ivLive])).toEqual([
      ['D0001', false],
      ['D0005', false],
      ['D0006', false],
    ]);
    expect(asked.mock.calls.filter(([q]) => q.live).length).toBe(1);
    asked.mockRestore();
  });
});
