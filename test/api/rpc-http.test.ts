import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, postJson, seedLine, startApi } from '../helpers/layer';

const TOKEN = 'per-run-token-for-tests';
let f: ApiFixture;
beforeAll(async () => {
  f = await startApi({ rpcToken: TOKEN });
});
afterAll(async () => {
  await f.close();
});

function rpc(name: string, input: unknown, token: string | null = TOKEN) {
  return fetch(`${f.server.baseUrl}/rpc/${name}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token && { 'x-store-ledger-token': token }),
      ...(f.admin && { 'x-store-ledger-session': f.admin.session }),
    },
    body: JSON.stringify(input),
  });
}

describe('RPC over HTTP', () => {
  it('refuses calls without the per-run token, even with a cookie', async () => {
    const res = await fetch(`${f.server.baseUrl}/rpc/settings.get`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `token=${TOKEN}` },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect((await rpc('settings.get', {}, 'wrong')).status).toBe(401);
  });

  it('runs a handler and validates its input with the shared schema', async () => {
    const ok = await rpc('lines.create', { line: seedLine({ id: 'rpc-1' }) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      ok: true,
      value: { id: 'rpc-1', status: 'Created', created: true },
    });
    const line = await rpc('lines.list', { productId: 'D0001' });
    const page = (await line.json()) as { value: { value: { source: string }[]; count: number } };
    expect(page.value.count).toBe(1);
    expect(page.value.value[0]!.source).toBe('form');

    const bad = await rpc('lines.create', { line: seedLine({ id: 'rpc-2', quantity: 0 }) });
    expect(bad.status).toBe(200);
    expect(await bad.json()).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', errors: [{ field: 'line.quantity' }] },
    });
    expect(await (await rpc('no.such', {})).json()).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('suggests recent values, latest first, and the last form entry', async () => {
    await rpc('lines.create', {
      line: seedLine({ id: 'sug-1', organizationId: 'usrt', physicalMeasure: 'sold' }),
    });
    await rpc('lines.create', {
      line: seedLine({ id: 'sug-2', organizationId: 'usmf', dimensions: { siteId: '2', locationId: '21' } }),
    });
    const reply = (await (await rpc('suggestions.get', {})).json()) as { value: Record<string, unknown> };
    expect(reply.value).toMatchObject({
      organizations: ['usmf', 'usrt'],
      physicalMeasures: ['adjustment', 'sold'],
      dataSources: ['@iv'],
      last: { organizationId: 'usmf', siteId: '2', locationId: '21' },
    });
  });

  it('keeps the secret write-only', async () => {
    const res = await rpc('settings.update', {
      connection: { clientSecret: 'super-secret-value', tenantId: 'contoso.onmicrosoft.com' },
    });
    const text = await res.text();
    expect(text).not.toContain('super-secret-value');
    expect(JSON.parse(text)).toMatchObject({ ok: true, value: { hasClientSecret: true } });
  });

  it('pushes ledger.changed over the event stream after a POST', async () => {
    const controller = new AbortController();
    const res = await fetch(`${f.server.baseUrl}/rpc/events`, {
      headers: f.rpcHeaders,
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/event-stream/);
    const reader = res.body!.getReader();
    await postJson(`${f.api}/adjustment/bulk`, seedLine({ id: 'evt-1' }));
    let text = '';
    const deadline = Date.now() + 5000;
    while (!text.includes('event: ledger.changed') && Date.now() < deadline) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toContain('event: ledger.changed');
  });
});
