// IV is an ASP.NET service: its routes match without regard to case and with a trailing slash, and
// it takes one on-hand change event as well as a bulk. Microsoft's own IV API tests
// (microsoft/Inventory-Visibility-Add-in-Examples, ivtests/) post to `onhand/` and `onhand/exactQuery`.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './index';
import { type BulkAnswer, client, event } from './test-client';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ importDelayMs: 20, postingDelayMs: 20 });
});
afterAll(() => emu.close());
beforeEach(() => emu.admin.reset());

const { c, ivToken, query } = client(() => emu);

/** POST a JSON body to {IV}/{path} as it is written (casing, slashes). */
const post = (token: string | undefined, path: string, body: unknown) => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(`${c().ivEndpoint}/${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
};
const env = () => `api/environment/${c().environmentId}`;

describe('IV routes', () => {
  it('match without regard to case and with a trailing slash', async () => {
    const token = await ivToken();
    const bulk = await post(token, `${env()}/OnHand/Bulk/`, [event('a', 2)]);
    expect(bulk.status).toBe(200);
    expect(((await bulk.json()) as BulkAnswer).success).toEqual(['a']);
    const exact = await post(token, `${env()}/onhand/exactQuery`, {
      filters: {
        organizationId: ['usmf'],
        productId: ['D0001'],
        dimensions: ['siteId', 'locationId'],
        values: [['1', '13']],
      },
    });
    expect(exact.status).toBe(200);
    expect(await exact.json()).toMatchObject([{ quantities: { '@iv': { adjustment: 2 } } }]);
    expect(
      (
        await post(token, `API/Environment/${c().environmentId.toUpperCase()}/ONHAND/EXACTQUERY/`, {
          filters: { organizationId: ['usmf'], dimensions: ['siteId', 'locationId'], values: [['1', '13']] },
        })
      ).status,
    ).toBe(200);
    expect((await fetch(`${c().ivEndpoint}/Health/Ping/`)).status).toBe(200);

    // Still no route for what IV does not have, and still only the route's method.
    expect((await post(token, `${env()}/onhand/bulkx`, [])).status).toBe(404);
    expect((await post(token, `${env()}/onhand/bulk//`, [])).status).toBe(404);
    const get = await fetch(`${c().ivEndpoint}/${env()}/onhand/exactquery/`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(get.status).toBe(405);
  });
});

describe('POST onhand: one on-hand change event', () => {
  it('stores a valid event once per id; refuses fno and an invalid event with a 400, storing nothing', async () => {
    const token = await ivToken();
    const first = await post(token, `${env()}/onhand`, event('one', 4));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ id: 'one', statusCode: 200 });
    const again = await post(token, `${env()}/onhand/`, event('one', 4));
    expect(again.status).toBe(200);
    const [row] = await query(token, ['siteId', 'locationId'], [['1', '13']]);
    expect(row?.quantities['@iv']).toEqual({ adjustment: 4 });

    const fno = await post(token, `${env()}/onhand`, {
      ...event('fno', 1),
      quantities: { fno: { physicalinvent: 1 } },
    });
    expect(fno.status).toBe(400);
    expect(((await fno.json()) as { message: string }).message).toMatch(/fno.*read-only/);
    expect((await post(token, `${env()}/onhand`, [event('list', 1)])).status).toBe(400);
    expect((await post(token, `${env()}/onhand`, { ...event('noOrg', 1), organizationId: '' })).status).toBe(
      400,
    );
    expect((await post(undefined, `${env()}/onhand`, event('anon', 1))).status).toBe(401);

    expect(emu.admin.events().map((e) => e.id)).toEqual(['one']);
    expect(emu.admin.counters()).toMatchObject({
      ivBulkCalls: 0,
      ivEventsReceived: 5,
      ivEventsAccepted: 1,
      ivEventsDuplicate: 1,
      ivEventsRejected: 3,
    });
  });
});

describe('on-hand change events as ASP.NET binds them', () => {
  it('reads property names without regard to case (of two spellings, the last); still refuses fno', async () => {
    const token = await ivToken();
    const res = await post(token, `${env()}/onhand/bulk`, [
      {
        ID: 'lower',
        productid: 'D0001',
        organizationid: 'usmf',
        Dimensions: { siteid: '1', locationid: '13', channel: 'web' },
        dimensiondatasource: 'pos',
        QUANTITIES: { '@iv': { adjustment: 3 } },
      },
      { ...event('twice', 1), productid: 'D0002' },
      { id: 'fno', organizationid: 'usmf', productid: 'D0001', quantities: { FNO: { physicalinvent: 1 } } },
    ]);
    const answer = (await res.json()) as BulkAnswer;
    expect(answer.success).toEqual(['lower', 'twice']);
    expect(answer.failure).toEqual([
      { id: 'fno', statusCode: 400, message: expect.stringMatching(/read-only/) },
    ]);
    expect(
      emu.admin.events().map((e) => [e.id, e.organizationId, e.productId, e.dimensionDataSource]),
    ).toEqual([
      ['lower', 'usmf', 'D0001', 'pos'],
      ['twice', 'usmf', 'D0002', null],
    ]);
    // The same for one event, and for the query's own names.
    const one = await post(token, `${env()}/onhand`, {
      id: 'single',
      organizationid: 'usmf',
      productid: 'D0001',
      dimensions: { siteid: '1', locationid: '13' },
      quantities: { '@iv': { adjustment: 4 } },
    });
    expect(one.status).toBe(200);
    const exact = await post(token, `${env()}/onhand/exactquery`, {
      Filters: {
        organizationid: ['usmf'],
        productid: ['D0001'],
        Dimensions: ['siteid', 'locationid'],
        VALUES: [['1', '13']],
      },
      groupbyvalues: [],
    });
    expect(exact.status).toBe(200);
    expect(await exact.json()).toMatchObject([
      { productId: 'D0001', quantities: { '@iv': { adjustment: 7 } } },
    ]);
  });

  it('takes a quantity as a number or as a string holding a JSON number; refuses any other string', async () => {
    const token = await ivToken();
    const good = { a: '10', b: '-2.5', c: '1e1', d: '0', e: 3 };
    const bad = ['', ' 10', '1,000', '+1', '.5', '0x10', 'ten', 'NaN', 'Infinity', '1e400', true, null];
    const events = [
      ...Object.entries(good).map(([id, qty]) => ({ ...event(id, 0), quantities: { iv: { onhand: qty } } })),
      ...bad.map((qty, i) => ({ ...event(`bad${i}`, 0), quantities: { iv: { onhand: qty } } })),
    ];
    const answer = (await (await post(token, `${env()}/onhand/bulk`, events)).json()) as BulkAnswer;
    expect(answer.success).toEqual(Object.keys(good));
    expect(answer.failure.map((f) => f.id)).toEqual(bad.map((_, i) => `bad${i}`));
    expect(answer.failure[0]?.message).toMatch(/quantities\.iv\.onhand must be a finite number/);
    expect(emu.admin.events().map((e) => e.quantities.iv?.onhand)).toEqual([10, -2.5, 10, 0, 3]);
    const [row] = await query(token, ['siteId', 'locationId'], [['1', '13']]);
    expect(row?.quantities.iv).toEqual({ onhand: 20.5 });
  });
});
