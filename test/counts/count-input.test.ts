// Counts over real HTTP: what a counting tool (or a pasted block) sends is judged by the
// entry pipeline's rules when it is recorded, not at Apply. Each hostile input is refused with the
// field and the rule, and nothing is recorded; NFC twins are one item; a barcode counts its variant.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API_KEY, type ApiFixture, getJson, postJson, startApi } from '../helpers/layer';
import { type Emulator, provisioningConfig, startEmulator } from '../upstream-emulator';

let emulator: Emulator;
let api: ApiFixture;
let base: string;
let countId: string;

interface Refusal {
  error: { message: string };
  errors: { field: string; message: string; index?: number }[];
}
interface View {
  countId: string;
  organizationId: string;
  items: { item: number; productId: string; dimensions: Record<string, string>; counted: number }[];
}

beforeAll(async () => {
  emulator = await startEmulator({ importDelayMs: 10, postingDelayMs: 20 });
  api = await startApi();
  api.layer.settings.applyProvisioning(provisioningConfig(emulator));
  api.layer.settings.update({ defaultOrganizationId: 'usmf' });
  base = `${api.server.baseUrl}/api/environment/${emulator.credentials.environmentId}/transaction`;
  // The store's copy of SCM's items and barcodes: a scanned barcode is read as its item and variant.
  expect((await postJson(`${base}/masterdata/refresh`, {})).status).toBe(200);
});
afterAll(async () => {
  await api.close();
  await emulator.close();
});
beforeEach(async () => {
  const created = await postJson(`${base}/counts`, {
    reference: 'CNT-RULES',
    organizationId: 'usmf',
    siteId: '1',
    locationId: '13',
  });
  expect(created.status).toBe(200);
  countId = ((await created.json()) as View).countId;
});

/** A raw JSON body: a 400-digit number or a `__proto__` key must reach the server as written. */
const record = (json: string) => postJson(`${base}/counts/${countId}/items`, json);
const paste = (text: string) =>
  fetch(`${base}/counts/${countId}/paste`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'text/plain' },
    body: text,
  });
const items = async () => ((await getJson(`${base}/counts/${countId}`)).body as View).items;

async function refused(res: Response): Promise<{ field: string; message: string }[]> {
  const body = (await res.json()) as Refusal;
  expect(res.status, JSON.stringify(body)).toBe(400);
  expect(await items()).toEqual([]);
  return body.errors.map(({ field, message }) => ({ field, message }));
}

describe('a counted item sent to /items', () => {
  it('refuses control and invisible characters in the item, naming the field and the rule', async () => {
    expect(await refused(await record('{"productId":"D00\\u000701","counted":3}'))).toEqual([
      { field: 'productId', message: 'must not contain control characters' },
    ]);
    expect(await refused(await record('{"productId":"D0001\\u200b","counted":3}'))).toEqual([
      {
        field: 'productId',
        message: 'must not contain invisible characters (zero-width, direction marks, separators)',
      },
    ]);
    expect(
      await refused(await record('{"productId":"D0001","dimensions":{"colorId":"re\\u200dd"},"counted":3}')),
    ).toEqual([
      {
        field: 'dimensions.colorId',
        message: 'must not contain invisible characters (zero-width, direction marks, separators)',
      },
    ]);
  });

  it('refuses a 199,980-character item, a 400-digit count and 10^13', async () => {
    // The API's door refuses a string no field takes before the body is parsed (api/json-body.ts).
    expect(
      await refused(await record(JSON.stringify({ productId: 'D'.repeat(199_980), counted: 1 }))),
    ).toEqual([{ field: 'productId', message: 'must be at most 65536 bytes; no field takes that much' }]);
    expect(await refused(await record(JSON.stringify({ productId: 'D'.repeat(65), counted: 1 })))).toEqual([
      { field: 'productId', message: 'must be at most 64 characters' },
    ]);
    const [digits] = await refused(await record(`{"productId":"D0001","counted":1${'0'.repeat(399)}}`));
    expect(digits?.field).toBe('counted');
    expect(await refused(await record('{"productId":"D0001","counted":1e13}'))).toEqual([
      { field: 'counted', message: 'must be between -1000000000000 and 1000000000000' },
    ]);
    expect(await refused(await record('{"productId":"D0001","counted":-2}'))).toEqual([
      { field: 'counted', message: 'must be zero or more (what is on the shelf)' },
    ]);
  });

  it('refuses __proto__, constructor and "a b" as dimension names in words, never dropping them', async () => {
    expect(
      await refused(await record('{"productId":"D0001","dimensions":{"__proto__":"red"},"counted":5}')),
    ).toEqual([{ field: 'dimensions.__proto__', message: 'is a reserved name and cannot be a dimension' }]);
    expect(
      await refused(await record('{"productId":"D0001","dimensions":{"constructor":"red"},"counted":5}')),
    ).toEqual([{ field: 'dimensions.constructor', message: 'is a reserved name and cannot be a dimension' }]);
    expect(
      await refused(await record('{"productId":"D0001","dimensions":{"a b":"red"},"counted":5}')),
    ).toEqual([
      {
        field: 'dimensions.a b',
        message: 'dimension name must start with a letter and use only letters, digits and _ (at most 64)',
      },
    ]);
    // A dimension a count cannot compare (it counts variants at its own site and warehouse).
    expect(
      await refused(await record('{"productId":"D0001","dimensions":{"batchId":"B1"},"counted":5}')),
    ).toEqual([
      {
        field: 'dimensions.batchId',
        message:
          'cannot be counted here: a count is by item and variant (colorId, sizeId, styleId, configId, versionId) at its own site and warehouse',
      },
    ]);
  });

  it('records NFC twins as one item, stored normalised; a barcode counts its item and variant', async () => {
    expect((await record(JSON.stringify({ productId: ' Caf\u00e9-1 ', counted: 3 }))).status).toBe(200);
    expect((await record(JSON.stringify({ productId: 'Cafe\u0301-1', counted: 5 }))).status).toBe(200);
    expect((await record('{"productId":"0123456789012","counted":2}')).status).toBe(200);
    expect((await items()).map((i) => [i.item, i.productId, i.dimensions, i.counted])).toEqual([
      [1, 'Caf\u00e9-1', {}, 5],
      [2, 'D0001', { colorId: 'red', sizeId: 'S', styleId: 'women' }, 2],
    ]);
  });
});

describe('a block pasted to /paste', () => {
  it('refuses control and invisible characters by row and column, recording nothing', async () => {
    expect(await refused(await paste('D0001\t5\nD00\u000702\t4\n'))).toEqual([
      { field: 'item', message: 'row 2: item must not contain control characters' },
    ]);
    expect(await refused(await paste('Item\tCounted\tColour\nD0001\t5\tre\u200bd\n'))).toEqual([
      {
        field: 'colour',
        message:
          'row 2: colour must not contain invisible characters (zero-width, direction marks, separators)',
      },
    ]);
  });

  it('refuses a 199,980-character item, a 400-digit count, 10^13 and a huge block', async () => {
    expect(await refused(await paste(`${'D'.repeat(199_980)}\t1`))).toEqual([
      { field: 'item', message: 'row 1: item must be at most 64 characters' },
    ]);
    expect(await refused(await paste(`D0001\t1${'0'.repeat(399)}`))).toEqual([
      { field: 'counted', message: 'row 1: counted must be a number' },
    ]);
    expect(await refused(await paste('D0001\t10000000000000'))).toEqual([
      { field: 'counted', message: 'row 1: counted must be between -1000000000000 and 1000000000000' },
    ]);
    const huge = Array.from({ length: 30_000 }, (_, i) => `I${i}\t1`).join('\n');
    expect(await refused(await paste(huge))).toEqual([
      { field: '(block)', message: 'must be at most 200,000 characters: paste it in parts' },
    ]);
  });

  it('refuses an item twice in one block: NFC twins, and a barcode beside its own item and variant', async () => {
    expect(await refused(await paste('Caf\u00e9-1\t1\nCafe\u0301-1\t2'))).toEqual([
      {
        field: 'item',
        message: 'row 2: Caf\u00e9-1 is counted twice in this block (row 1 too); keep one row',
      },
    ]);
    expect(
      await refused(
        await paste('Item\tCounted\tColour\tSize\tStyle\n0123456789012\t1\nD0001\t2\tred\tS\twomen'),
      ),
    ).toEqual([
      {
        field: 'item',
        message: 'row 3: D0001 is counted twice in this block (row 2 too); keep one row',
      },
    ]);
  });

  it('asks for the columns it knows when the header names none of them', async () => {
    expect(await refused(await paste('Shelf\tWhere\nA\t3'))).toEqual([
      {
        field: '(header)',
        message:
          'must name an item column (Item, Item number, Product) and a counted column (Counted, Count, Qty, Quantity, On shelf); found: Shelf, Where',
      },
    ]);
  });

  it('records a clean block with NFC-normal items and the barcode read as its variant', async () => {
    const ok = await paste('Item\tCounted\nCafe\u0301-2\t3\n0123456789012\t4\n');
    expect(ok.status).toBe(200);
    expect((await items()).map((i) => [i.productId, i.dimensions, i.counted])).toEqual([
      ['Caf\u00e9-2', {}, 3],
      ['D0001', { colorId: 'red', sizeId: 'S', styleId: 'women' }, 4],
    ]);
  });
});

describe('the start of a count', () => {
  it("takes the store's default organization when none is given, as Create does", async () => {
    const created = await postJson(`${base}/counts`, { reference: 'CNT-ORG', siteId: '1', locationId: '13' });
    expect(created.status).toBe(200);
    expect(((await created.json()) as View).organizationId).toBe('usmf');
  });

  it('judges its texts by the same rule and names the field', async () => {
    const res = await postJson(`${base}/counts`, {
      reference: 'CNT\u200b-1',
      organizationId: 'usmf',
      siteId: '1',
      locationId: '1\u00073',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Refusal).errors.map((e) => [e.field, e.message])).toEqual([
      ['reference', 'must not contain invisible characters (zero-width, direction marks, separators)'],
      ['locationId', 'must not contain control characters'],
    ]);
  });
});
