// Every RPC checks the role of whoever calls it on the server, whichever transport carried it:
// table-driven over the one role table (shared/rpc-roles.ts), through dispatch (as IPC calls
// it) and through the browser's HTTP transport, for nobody signed in and each role below the one
// an action needs. A refusal names what was refused and the role it needs; the role it needs
// gets past the check (the action may still refuse its input, never the caller).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/main/people/actor';
import { ROLE_WORDS, ROLES, type Role, roleAtLeast } from '../../src/shared/people';
import { RPC_NAMES } from '../../src/shared/rpc';
import { RPC_ROLES } from '../../src/shared/rpc-roles';
import { type ApiFixture, startApi } from '../helpers/layer';
import { call, PIN, type SignedIn, signedIn } from '../helpers/people';

const TOKEN = 'per-run-token-for-roles';
let f: ApiFixture;
const as: Record<Role, SignedIn> = {} as Record<Role, SignedIn>;

beforeAll(async () => {
  f = await startApi({ rpcToken: TOKEN });
  as.administrator = f.admin!;
  as.manager = await signedIn(f.layer, 'manager', 'Mia Manager');
  as.clerk = await signedIn(f.layer, 'clerk', 'Carl Clerk');
}, 60_000);
afterAll(async () => {
  await f?.close();
});

/** The browser's transport: the run's token, and the person's session when there is one. */
async function overHttp(
  name: string,
  session: string | null,
  input: object = {},
): Promise<{ code?: string; message?: string }> {
  return (await replyOverHttp(name, session, input)).error ?? {};
}

async function replyOverHttp(
  name: string,
  session: string | null,
  input: object,
): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const res = await fetch(`${f.server.baseUrl}/rpc/${name}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-store-ledger-token': TOKEN,
      ...(session && { 'x-store-ledger-session': session }),
    },
    body: JSON.stringify(input),
  });
  return (await res.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

const gated = RPC_NAMES.filter((name) => RPC_ROLES[name].needs !== 'anyone');
const NOBODY: Caller = { session: null };

describe('the role table', () => {
  it('names every RPC, and no other', () => {
    expect(Object.keys(RPC_ROLES).sort()).toEqual([...RPC_NAMES].sort());
  });

  it('has a role below it for every RPC that is not a clerk’s (each one is checked below)', () => {
    const aboveClerk = gated.filter((name) => RPC_ROLES[name].needs !== 'clerk');
    expect(new Set(refusals.filter((r) => r.role === 'clerk').map((r) => r.name))).toEqual(
      new Set(aboveClerk),
    );
    expect(refusals.length).toBeGreaterThan(aboveClerk.length);
  });

  it('keeps what changes the store from clerks: counts, Retry, DoNotSync, settings, people, keys, the connection', () => {
    const needs = (name: keyof typeof RPC_ROLES) => RPC_ROLES[name].needs;
    expect(needs('counts.apply')).toBe('manager');
    expect(needs('aggregated.retry')).toBe('manager');
    expect(needs('aggregated.markDoNotSync')).toBe('manager');
    expect(needs('settings.update')).toBe('manager');
    expect(needs('mappings.upsert')).toBe('manager');
    expect(needs('people.create')).toBe('manager');
    for (const admin of [
      'sync.initialize',
      'sync.tenantCheck',
      'apiKeys.create',
      'apiKeys.revoke',
      'people.setMode',
    ])
      expect(needs(admin as keyof typeof RPC_ROLES)).toBe('administrator');
  });
});

describe.each(gated)('%s', (name) => {
  const { needs } = RPC_ROLES[name];

  it('is refused with nobody signed in, through dispatch and HTTP', async () => {
    const reply = await call(f.layer, NOBODY, name, {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'signed_out', message: /sign in/ } });
    expect(await overHttp(name, null)).toMatchObject({ code: 'signed_out' });
  });

  it(`gets past the check as ${ROLE_WORDS[needs as Role].aRole}`, async () => {
    const reply = await call(f.layer, as[needs as Role].caller, name, {});
    if (!reply.ok) expect(['forbidden', 'signed_out']).not.toContain(reply.error.code);
    const http = await overHttp(name, as[needs as Role].session);
    expect(['forbidden', 'signed_out']).not.toContain(http.code);
  });
});

/** Each (RPC, role below the one it needs) pair: only the RPCs a lower role exists for. */
const refusals = gated.flatMap((name) =>
  ROLES.filter((role) => !roleAtLeast(role, RPC_ROLES[name].needs as Role)).map((role) => ({ name, role })),
);

describe.each(refusals)('$name as $role', ({ name, role }) => {
  it('is refused, naming the role it needs, through dispatch and HTTP', async () => {
    const { needs, doing } = RPC_ROLES[name];
    const words = `${doing} needs ${ROLE_WORDS[needs as Role].aRole}: ask one to sign in.`;
    const reply = await call(f.layer, as[role].caller, name, {});
    expect(reply).toEqual({ ok: false, error: { code: 'forbidden', message: words } });
    expect(await overHttp(name, as[role].session)).toEqual({ code: 'forbidden', message: words });
  });
});

describe('a manager’s override over HTTP', () => {
  it('lets a clerk’s call to a manager’s action through with a manager’s PIN, as dispatch does', async () => {
    const input = { entry: { largeQuantityThreshold: 4321 } };
    expect(await overHttp('settings.update', as.clerk.session, input)).toMatchObject({ code: 'forbidden' });
    const override = { personId: as.manager.actor.id, pin: PIN };
    expect(await replyOverHttp('settings.update', as.clerk.session, { ...input, override })).toMatchObject({
      ok: true,
      value: { entry: { largeQuantityThreshold: 4321 } },
    });
  });
});
