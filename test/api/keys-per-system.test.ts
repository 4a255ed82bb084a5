// The local API's keys, one per store system, over real HTTP: a line records the name of the
// key that posted it, revoking one key refuses it in words while the others keep working, every
// route checks the key's role against the one role table (a refusal names the role it needs and
// changes nothing), and the key of earlier versions and STORE_LEDGER_API_KEY keep working.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/main/api/adjustment-api';
import { startLocalServer } from '../../src/main/api/local-server';
import { BusinessLayer } from '../../src/main/business-layer';
import { systemClock } from '../../src/main/clock';
import { FileSecretStore } from '../../src/main/config/secret-store';
import { API_KEY_ENV, ENV_KEY_NAME, LEGACY_KEY_NAME } from '../../src/main/people/api-keys';
import type { ApiKeyCreated, ApiKeyView, Role } from '../../src/shared/people';
import { RPC_ROLES, refusalWords } from '../../src/shared/rpc-roles';
import { type ApiFixture, ENV_ID, seedLine, startApi, tempDir } from '../helpers/layer';
import { ledgerAtVersion } from '../helpers/ledger-at';
import { call } from '../helpers/people';

let f: ApiFixture;
const keys: Record<string, ApiKeyCreated> = {};

async function newKey(name: string, role: Role): Promise<ApiKeyCreated> {
  const reply = await call(f.layer, f.admin!.caller, 'apiKeys.create', { name, role });
  if (!reply.ok) throw new Error(JSON.stringify(reply.error));
  return reply.value as ApiKeyCreated;
}

beforeAll(async () => {
  f = await startApi({ rpcToken: 'per-run-token-keys' });
  keys.pos = await newKey('POS 1', 'clerk');
  keys.web = await newKey('Web shop', 'clerk');
  keys.manager = await newKey('Back office tool', 'manager');
  keys.admin = await newKey('Provisioning script', 'administrator');
}, 60_000);
afterAll(async () => {
  await f?.close();
});

function send(key: string | null, method: string, route: string, body?: unknown): Promise<Response> {
  return fetch(`${f.api}${route}`, {
    method,
    headers: {
      ...(key !== null && { authorization: `Bearer ${key}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

async function postLine(key: string, id: string): Promise<{ status: number; lineRecordId?: string }> {
  const res = await send(key, 'POST', '/adjustment/bulk', [seedLine({ id })]);
  const body = (await res.json()) as { lineRecordId: string }[];
  return { status: res.status, lineRecordId: res.ok ? body[0]!.lineRecordId : undefined };
}

describe('keys per store system', () => {
  it('records the name of the key that posted a line as its author', async () => {
    const pos = await postLine(keys.pos!.key, 'pos-1-line');
    const web = await postLine(keys.web!.key, 'web-shop-line');
    expect([pos.status, web.status]).toEqual([200, 200]);
    const read = async (id: string) => (await send(keys.web!.key, 'GET', `/adjustment/lines/${id}`)).json();
    expect(await read(pos.lineRecordId!)).toMatchObject({
      createdBy: 'POS 1',
      createdById: keys.pos!.apiKey.keyId,
      authorKind: 'system',
      source: 'api',
    });
    expect(await read(web.lineRecordId!)).toMatchObject({
      createdBy: 'Web shop',
      createdById: keys.web!.apiKey.keyId,
      authorKind: 'system',
    });
  });

  it('shows a key once: the list and the ledger file hold only its digest', async () => {
    const listed = await call(f.layer, f.admin!.caller, 'apiKeys.list');
    const text = JSON.stringify(listed);
    expect(text).toContain('POS 1');
    expect(text).not.toContain(keys.pos!.key);
    await f.layer.ledger.writeNow(() => undefined);
    const dir = f.layer.info().dataDir;
    const bytes = ['ledger.sqlite', 'ledger.sqlite-wal']
      .map((name) => path.join(dir, name))
      .filter((file) => fs.existsSync(file))
      .map((file) => fs.readFileSync(file));
    expect(Buffer.concat(bytes).includes(keys.pos!.key)).toBe(false);
  });

  it('refuses a revoked key with a 401 in words; the other keys keep working', async () => {
    const revoked = await call(f.layer, f.admin!.caller, 'apiKeys.revoke', { keyId: keys.pos!.apiKey.keyId });
    expect(revoked).toMatchObject({ ok: true });
    expect((revoked as { value: ApiKeyView[] }).value.find((k) => k.name === 'POS 1')).toMatchObject({
      revokedBy: 'Ada Admin',
      revokedAt: expect.any(String),
    });
    const count = async () =>
      ((await (await send(keys.web!.key, 'GET', '/adjustment/lines')).json()) as { count: number }).count;
    const before = await count();
    const res = await send(keys.pos!.key, 'POST', '/adjustment/bulk', [seedLine({ id: 'after-revoke' })]);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="store-ledger"');
    expect(await res.json()).toEqual({
      error: {
        message:
          "The API key 'POS 1' was revoked: an administrator creates a new key for this system under Settings → API keys.",
      },
    });
    expect(await count()).toBe(before);
    expect((await postLine(keys.web!.key, 'web-after-revoke')).status).toBe(200);
    // A key nobody made, and none at all, are told apart from a revoked one.
    const unknown = await send('sl_not-a-key-of-this-store', 'GET', '/adjustment/lines');
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(
      /^This API key is not known here: send Authorization: Bearer <API key>/,
    );
    const none = await send(null, 'GET', '/adjustment/lines');
    expect(((await none.json()) as { error: { message: string } }).error.message).toMatch(
      /^A valid API key is required: send Authorization: Bearer <API key>/,
    );
  });
});

/** A request path for a route: each captured ID an ID nothing has. */
function samplePath(pattern: RegExp): string {
  const sample = pattern.source
    .replace(/^\^|\$$/g, '')
    .replace(/\(\[\^\/\]\+\)/g, 'none')
    .replace(/\(\\d\{1,9\}\)/g, '1')
    .replace(/\\(.)/g, '$1');
  if (!pattern.test(sample)) throw new Error(`No sample path for ${pattern}`);
  return sample;
}

const asKey: Record<Role, () => string> = {
  clerk: () => keys.web!.key,
  manager: () => keys.manager!.key,
  administrator: () => keys.admin!.key,
};
const keyName: Record<Role, string> = {
  clerk: 'Web shop',
  manager: 'Back office tool',
  administrator: 'Provisioning script',
};

/** Each route with each key role below the one its action needs. */
const refused = ROUTES.flatMap((route) => {
  const needs = RPC_ROLES[route.rpc].needs;
  const below: Role[] =
    needs === 'administrator' ? ['clerk', 'manager'] : needs === 'manager' ? ['clerk'] : [];
  return below.map((role) => ({
    route,
    role,
    label: `${route.method} ${samplePath(route.path)} as ${role}`,
  }));
});

describe('every route checks the key’s role', () => {
  it('covers the routes that need more than a clerk: Retry, DoNotSync, count Apply, Initialize', () => {
    const labels = refused.map((r) => r.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        'POST /adjustment/aggregated/none/retry as clerk',
        'POST /adjustment/aggregated/none/donotsync as clerk',
        'POST /counts/none/apply as clerk',
        'POST /initialize as clerk',
        'POST /initialize as manager',
      ]),
    );
  });

  it.each(refused)('$label: 403, naming the role it needs', async ({ route, role }) => {
    const { needs, doing } = RPC_ROLES[route.rpc];
    const res = await send(
      asKey[role](),
      route.method,
      samplePath(route.path),
      route.method === 'POST' ? {} : undefined,
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: {
        message: refusalWords(doing, needs as Role, { kind: 'system', name: keyName[role] }),
      },
    });
  });

  it('a refused count Apply leaves the count as it was; a manager’s key gets past the check', async () => {
    const created = await send(keys.web!.key, 'POST', '/counts', {
      reference: 'KEY-ROLE-1',
      organizationId: 'usmf',
      siteId: '1',
      locationId: '13',
    });
    expect(created.status).toBe(200);
    const { countId } = (await created.json()) as { countId: string };
    const before = await (await send(keys.web!.key, 'GET', `/counts/${countId}`)).json();
    const apply = await send(keys.web!.key, 'POST', `/counts/${countId}/apply`, {});
    expect(apply.status).toBe(403);
    expect(((await apply.json()) as { error: { message: string } }).error.message).toBe(
      "Applying a count needs a manager: the API key 'Web shop' is not allowed to. An administrator can give a system a key with that role under Settings → API keys.",
    );
    expect(await (await send(keys.web!.key, 'GET', `/counts/${countId}`)).json()).toEqual(before);
    // The route's refusal is the audit trail's too (it went through dispatch's check, not around it).
    await expect
      .poll(() =>
        f.layer.ledger.audit
          .list({ top: 20, skip: 0 })
          .value.filter((e) => e.action === 'counts.apply')
          .map((e) => [e.actor_name, e.outcome, e.error_code]),
      )
      .toContainEqual(['Web shop', 'refused', 'forbidden']);
    const byManager = await send(keys.manager!.key, 'POST', `/counts/${countId}/apply`, {});
    expect([401, 403]).not.toContain(byManager.status);
  });
});

describe('keys from before keys per system', () => {
  const opened: BusinessLayer[] = [];
  const envBefore = process.env[API_KEY_ENV];
  afterEach(async () => {
    for (const l of opened.splice(0)) await l.close();
    if (envBefore === undefined) delete process.env[API_KEY_ENV];
    else process.env[API_KEY_ENV] = envBefore;
  });

  /** A layer as the server opens it: no test override, the environment variable as it is. */
  async function serve(dataDir: string) {
    const layer = BusinessLayer.open({
      clock: systemClock,
      dataDir,
      secrets: new FileSecretStore(path.join(dataDir, 'secrets.json')),
      platform: 'headless',
      version: 'test',
      upstreamTimeoutMs: 2000,
      log: () => {},
    });
    opened.push(layer);
    layer.settings.update({ environmentId: ENV_ID });
    const server = await startLocalServer(layer, { port: 0, log: () => {} });
    const close = layer.close.bind(layer);
    layer.close = async () => {
      await server.close();
      await close();
    };
    return { layer, api: `${server.baseUrl}/api/environment/${ENV_ID}/transaction` };
  }

  const post = (api: string, key: string, id: string) =>
    fetch(`${api}/adjustment/bulk`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify([seedLine({ id })]),
    });

  it('the single key of a version-12 ledger keeps working, named, as an administrator, and leaves the secrets file', async () => {
    delete process.env[API_KEY_ENV];
    const { file, db } = ledgerAtVersion(12);
    db.close();
    const dir = path.dirname(file);
    const legacy = 'sl_legacy-single-key-0123456789abcdef';
    fs.writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify({ apiKey: legacy }));
    const { layer, api } = await serve(dir);
    const res = await post(api, legacy, 'legacy-key-line');
    expect(res.status).toBe(200);
    const [{ lineRecordId }] = (await res.json()) as [{ lineRecordId: string }];
    expect(layer.ledger.lines.get(lineRecordId)).toMatchObject({
      createdBy: LEGACY_KEY_NAME,
      authorKind: 'system',
    });
    expect(layer.apiKeys.list()).toEqual([
      expect.objectContaining({
        name: LEGACY_KEY_NAME,
        role: 'administrator',
        source: 'ledger',
        revokedAt: null,
      }),
    ]);
    expect(fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8')).not.toContain(legacy);
    // Still there after a restart, from the ledger now.
    await layer.close();
    opened.length = 0;
    const again = await serve(dir);
    expect((await post(again.api, legacy, 'legacy-key-line-2')).status).toBe(200);
  });

  it('STORE_LEDGER_API_KEY works as a key of its own, cannot be revoked in the app, and says how to', async () => {
    process.env[API_KEY_ENV] = 'env-key-for-this-test-0123456789';
    const { layer, api } = await serve(tempDir());
    const res = await post(api, 'env-key-for-this-test-0123456789', 'env-key-line');
    expect(res.status).toBe(200);
    const [{ lineRecordId }] = (await res.json()) as [{ lineRecordId: string }];
    expect(layer.ledger.lines.get(lineRecordId)).toMatchObject({
      createdBy: ENV_KEY_NAME,
      authorKind: 'system',
    });
    const env = layer.apiKeys.list().find((k) => k.source === 'environment')!;
    expect(() =>
      layer.apiKeys.revoke({ kind: 'os-user', id: null, name: 'test', role: 'administrator' }, env.keyId),
    ).toThrow(
      `This key is set by ${API_KEY_ENV} where Store Ledger starts: remove it there and restart to revoke it.`,
    );
  });
});
