import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer } from '../../src/main/api/local-server';
import { API_KEY, type ApiFixture, getJson, postJson, seedLine, startApi } from '../helpers/layer';

let f: ApiFixture;
beforeAll(async () => {
  f = await startApi();
});
afterAll(async () => {
  await f.close();
});

describe('normalisation at the API edge', () => {
  it('stores one line for NFC/NFD and padded spellings of the same content, and sends it as stored', async () => {
    const first = await postJson(
      `${f.api}/adjustment/bulk`,
      seedLine({ id: 'norm-Cafe\u0301', organizationId: ' usmf', productId: 'P-NORM ' }),
    );
    expect(first.status).toBe(200);
    const [a] = (await first.json()) as { lineRecordId: string }[];
    const again = await postJson(
      `${f.api}/adjustment/bulk`,
      seedLine({ id: ' norm-Caf\u00e9', organizationId: 'usmf', productId: 'P-NORM' }),
    );
    expect(again.status).toBe(200);
    const [b] = (await again.json()) as { lineRecordId: string }[];
    expect(b!.lineRecordId).toBe(a!.lineRecordId);
    const found = await getJson(`${f.api}/adjustment/lines?productId=P-NORM%20%20`);
    expect(found.body).toMatchObject({ count: 1, value: [{ id: 'norm-Caf\u00e9', organizationId: 'usmf' }] });
  });

  it('refuses zero-width characters in ids and dimension values, naming the field', async () => {
    const res = await postJson(`${f.api}/adjustment/bulk`, [
      seedLine({ id: 'zw\u200b-1' }),
      seedLine({ id: 'zw-2', dimensions: { siteId: '1', locationId: '1\u200d3' } }),
    ]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { index: number; field: string; message: string }[] };
    expect(body.errors).toEqual([
      expect.objectContaining({ index: 0, field: 'id', message: expect.stringMatching(/invisible/) }),
      expect.objectContaining({ index: 1, field: 'dimensions.locationId' }),
    ]);
  });

  it('refuses a dimension named __proto__ instead of dropping it', async () => {
    const raw = JSON.stringify(seedLine({ id: 'proto-1' })).replace(
      '"dimensions":{',
      '"dimensions":{"__proto__":"x",',
    );
    const res = await postJson(`${f.api}/adjustment/bulk`, raw);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      errors: [{ field: 'dimensions.__proto__', message: expect.stringMatching(/reserved/) }],
    });
  });

  it('refuses an invisible character in a query value', async () => {
    const res = await getJson(`${f.api}/adjustment/lines?productId=P%E2%80%8BX`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: [{ field: 'productId' }] });
  });
});

describe('malformed addresses', () => {
  it('answer 400 in words, with nothing in the log', async () => {
    const logged: unknown[] = [];
    const server = await startLocalServer(f.layer, {
      port: 0,
      rpcToken: 'rpc-token-0123456789',
      log: (message, detail) => logged.push([message, detail]),
    });
    try {
      const base = server.baseUrl;
      const api = `${base}/api/environment/store-env-1/transaction`;
      for (const url of [`${base}/%ff`, `${api}/adjustment/lines/%ff`, `${base}/rpc/%e2%82`, `${api}%c0/x`]) {
        const res = await fetch(url, { headers: { authorization: `Bearer ${API_KEY}` } });
        expect(res.status, url).toBe(400);
        expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/%-escape/);
      }
      expect(logged).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
