// What Microsoft's own IV API tests (microsoft/Inventory-Visibility-Add-in-Examples, ivtests/)
// need of IV besides on-hand changes and queries: the partition housekeeping every test file runs
// before and after itself, and the configuration update its setups send.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './index';
import { buildPackage, client, event, journal, line } from './test-client';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ importDelayMs: 20, postingDelayMs: 20 });
});
afterAll(() => emu.close());
beforeEach(() => emu.admin.reset());

const { c, ivToken, ivPost, query, scmToken, enqueue, waitJob, header } = client(() => emu);

/** A call under {IV}/api/environment/{env}/ with an IV token (when given) and a JSON body (when given). */
const ivCall = (method: string, path: string, token: string | undefined, body?: unknown) => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(`${c().ivEndpoint}/api/environment/${c().environmentId}/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
};

const SEEDED = ['usmf~1~11', 'usmf~1~12', 'usmf~1~13', 'usrt~1~11'];

const partitionIds = async (token: string): Promise<string[]> => {
  const res = await ivCall('GET', 'allpartitionids', token);
  expect(res.status).toBe(200);
  return (await res.json()) as string[];
};

describe('IV partition housekeeping', () => {
  it('allpartitionids lists one ID per organization, site and warehouse holding data; partitions/cleanupalldata erases the listed ones', async () => {
    const token = await ivToken();
    // The demo catalog's SCM on-hand is in IV as fno.physicalinvent.
    expect(await partitionIds(token)).toEqual(SEEDED);
    await ivPost(token, 'bulk', [
      event('a', 2, { siteId: '2', locationId: '21' }),
      event('no-place', 1, {}),
      event('tilde', 1, { siteId: 'a~b', locationId: '%' }),
    ]);
    const all = await partitionIds(token);
    // Sorted; '~' and '%' in a value are escaped, so an ID splits back into its three parts.
    expect(all).toEqual([...SEEDED, 'usmf~2~21', 'usmf~a%7Eb~%25', 'usmf~~'].sort());

    const cleaned = await ivCall('DELETE', 'partitions/cleanupalldata', token, ['usmf~2~21', 'nowhere']);
    expect(cleaned.status).toBe(200);
    expect(await cleaned.json()).toEqual(['usmf~2~21']);
    expect(await partitionIds(token)).toEqual([...SEEDED, 'usmf~a%7Eb~%25', 'usmf~~'].sort());
    expect(await query(token, ['siteId', 'locationId'], [['2', '21']])).toEqual([]);
    expect(emu.admin.onHand({ productId: 'D0001' }).map((r) => r.dimensions)).not.toContainEqual({
      locationId: '21',
      siteId: '2',
    });

    for (const id of await partitionIds(token)) {
      expect((await ivCall('DELETE', 'partitions/cleanupalldata', token, [id])).status).toBe(200);
    }
    expect(await partitionIds(token)).toEqual([]);
    expect(emu.admin.onHand()).toEqual([]);
  });

  it('cleanupalldata erases every partition; SCM keeps its own on-hand, so the posting job still posts', async () => {
    const token = await ivToken();
    await ivPost(token, 'bulk', [event('a', 2)]);
    const res = await ivCall('DELETE', 'cleanupalldata', token, await partitionIds(token));
    expect(res.status).toBe(200);
    expect(await partitionIds(token)).toEqual([]);
    expect(await query(token, ['siteId', 'locationId'], [['1', '13']])).toEqual([]);

    // IV's copy of fno is gone; SCM's physical on-hand (100 of D0001 at 1/13) is not.
    const scm = await scmToken();
    const id = await enqueue(
      scm,
      buildPackage(emu.admin.dataProject(), [
        journal('SL-1', 'Posted', [line({ InventoryServiceTransactionId: 'out', InventoryQuantity: -30 })]),
      ]),
    );
    await waitJob(scm, id);
    await emu.admin.idle();
    const [posted] = emu.admin.journals();
    expect(posted?.postingError ?? null).toBeNull();
    expect((await header(scm, posted?.JournalNumber ?? '')).IsPosted).toBe('Yes');
    // What SCM posts reaches IV again, as the change it is.
    const [row] = await query(token, ['siteId', 'locationId'], [['1', '13']]);
    expect(row?.quantities.fno).toEqual({ physicalinvent: -30 });
  });

  it('needs an IV token and the environment; a body that is not a list of partition IDs is a 400', async () => {
    const token = await ivToken();
    expect((await ivCall('GET', 'allpartitionids', undefined)).status).toBe(401);
    expect((await ivCall('DELETE', 'partitions/cleanupalldata', undefined, ['usmf~1~13'])).status).toBe(401);
    expect((await ivCall('DELETE', 'cleanupalldata', undefined, [])).status).toBe(401);
    const elsewhere = await fetch(
      `${c().ivEndpoint}/api/environment/00000000-0000-4000-8000-000000000000/allpartitionids`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(elsewhere.status).toBe(404);
    for (const body of [undefined, {}, 'usmf~1~13', [1]]) {
      const res = await ivCall('DELETE', 'partitions/cleanupalldata', token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const none = await ivCall('DELETE', 'partitions/cleanupalldata', token, []);
    expect([none.status, await none.json()]).toEqual([200, []]);
    expect((await ivCall('POST', 'allpartitionids', token)).status).toBe(405);
    expect(await partitionIds(token)).toEqual(SEEDED);
  });
});

describe('IV configuration/hardupdate', () => {
  const byLocation = {
    cachePartitionIdVersion: 'ByLocationAndProductIdMod64',
    partitionConfiguration: { useProductId: true, useDimensions: true },
    reservConfiguration: { isReservEnabled: true, version: 1 },
  };

  it('acknowledges a configuration that keeps the partition by location, and changes nothing the emulator models', async () => {
    const token = await ivToken();
    await ivPost(token, 'bulk', [event('kept', 2)]);
    const res = await ivCall('POST', 'configuration/hardupdate', token, byLocation);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(byLocation);
    // Without a partition configuration IV keeps the one it has: by location.
    expect((await ivCall('POST', 'Configuration/HardUpdate/', token, { isUninstalled: false })).status).toBe(
      200,
    );
    const [row] = await query(token, ['siteId', 'locationId'], [['1', '13']]);
    expect(row?.quantities['@iv']).toEqual({ adjustment: 2 });
    const noPlace = await ivPost(token, 'exactquery', {
      filters: { organizationId: ['usmf'], productId: ['D0001'] },
    });
    expect(noPlace.status).toBe(400);
  });

  it('answers 501 for a partition by product, which the emulator does not model; 400 for a body that is no object; 401 without a token', async () => {
    const token = await ivToken();
    const byProduct = [
      { ...byLocation, partitionConfiguration: { useProductId: true, useDimensions: false } },
      { ...byLocation, cachePartitionIdVersion: 'byProductId' },
      { PartitionConfiguration: { usedimensions: false } },
    ];
    for (const config of byProduct) {
      const res = await ivCall('POST', 'configuration/hardupdate', token, config);
      expect(res.status, JSON.stringify(config)).toBe(501);
      expect(((await res.json()) as { message: string }).message).toMatch(/partition by product.*not model/i);
    }
    expect((await ivCall('POST', 'configuration/hardupdate', token, [byLocation])).status).toBe(400);
    expect((await ivCall('POST', 'configuration/hardupdate', undefined, byLocation)).status).toBe(401);
  });
});
