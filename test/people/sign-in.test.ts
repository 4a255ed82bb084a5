// A store's people on this ledger: the first start, signing in by PIN and by badge, the lockout
// said in words, the session a window keeps (and loses after its idle minutes), what is stored
// (hashes only), and who each line, void, count and draft says did it.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import type { Caller } from '../../src/main/people/actor';
import { INDEX_KEY_SECRET } from '../../src/main/people/credentials';
import type { SessionView } from '../../src/shared/people';
import { openLayer, seedLine, tempDir } from '../helpers/layer';
import { ADMIN_PIN, call, PIN, signedIn } from '../helpers/people';
import { TestClock } from '../helpers/test-clock';

const open: BusinessLayer[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
});
function layerAt(dir = tempDir(), clock = new TestClock()) {
  const layer = openLayer(dir, { clock });
  open.push(layer);
  return { layer, clock, dir };
}

/** A window of its own: the session its sign-in binds. */
function aWindow(): Caller {
  const caller: Caller = {
    session: null,
    bind: (token) => {
      caller.session = token;
    },
  };
  return caller;
}

async function ok<T>(reply: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const r = await reply;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
}

describe('the first start', () => {
  it('asks before anything else, then signs the first manager in with every right', async () => {
    const { layer } = layerAt();
    const window = aWindow();
    expect(await ok<SessionView>(call(layer, window, 'session.get'))).toMatchObject({
      mode: 'unset',
      actor: null,
    });
    expect(await call(layer, window, 'lines.list', {})).toMatchObject({
      ok: false,
      error: {
        code: 'signed_out',
        message: /has not been set up yet: .*first manager or choose single clerk/,
      },
    });
    const view = await ok<SessionView>(
      call(layer, window, 'people.setup', { mode: 'people', name: 'Ada Admin', pin: ADMIN_PIN }),
    );
    expect(view).toMatchObject({
      mode: 'people',
      actor: { kind: 'person', name: 'Ada Admin', role: 'administrator' },
    });
    expect(window.session).toEqual(expect.any(String));
    expect((await call(layer, window, 'lines.list', {})).ok).toBe(true);
    // Once only: a second window cannot set it up again, nor make itself an administrator.
    expect(await call(layer, aWindow(), 'people.setup', { mode: 'single-clerk' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: /set up already/ },
    });
  });

  it('single clerk keeps the computer’s user as author, and can later have people sign in', async () => {
    const { layer } = layerAt();
    const window = aWindow();
    await ok(call(layer, window, 'people.setup', { mode: 'single-clerk' }));
    const entered = await ok<{ lineRecordId: string }>(
      call(layer, window, 'lines.create', { line: seedLine({ id: 'single-1' }) }),
    );
    expect(layer.ledger.lines.get(entered.lineRecordId)).toMatchObject({
      createdBy: layer.info().osUser,
      createdById: null,
      authorKind: 'os-user',
    });
    // Nobody can be asked to sign in until an administrator is on the staff list.
    expect(await call(layer, window, 'people.setMode', { mode: 'people' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: /Add an administrator under People first/ },
    });
    await ok(
      call(layer, window, 'people.create', { name: 'Ada Admin', role: 'administrator', pin: ADMIN_PIN }),
    );
    const after = await ok<SessionView>(call(layer, window, 'people.setMode', { mode: 'people' }));
    expect(after).toMatchObject({ mode: 'people', actor: null });
    expect(await call(layer, window, 'lines.list', {})).toMatchObject({
      ok: false,
      error: { code: 'signed_out' },
    });
  });
});

describe('signing in', () => {
  it('by name and PIN, and by badge in one step; each line then says who wrote it', async () => {
    const { layer } = layerAt();
    const admin = await signedIn(layer);
    await ok(
      call(layer, admin.caller, 'people.create', {
        name: 'Carl Clerk',
        role: 'clerk',
        pin: PIN,
        badge: 'BADGE-0042',
      }),
    );
    const carl = layer.people.list().find((p) => p.name === 'Carl Clerk')!;
    const till = aWindow();
    expect(await ok<SessionView>(call(layer, till, 'session.signIn', { badge: 'BADGE-0042' }))).toMatchObject(
      {
        actor: { name: 'Carl Clerk', role: 'clerk', id: carl.personId },
      },
    );
    const entered = await ok<{ lineRecordId: string }>(
      call(layer, till, 'lines.create', { line: seedLine({ id: 'carl-1' }) }),
    );
    expect(layer.ledger.lines.get(entered.lineRecordId)).toMatchObject({
      createdBy: 'Carl Clerk',
      createdById: carl.personId,
      authorKind: 'person',
    });
    // The same window, the next person: Ada's PIN replaces Carl's session.
    const before = till.session;
    await ok(call(layer, till, 'session.signIn', { personId: admin.actor.id, pin: ADMIN_PIN }));
    expect(till.session).not.toBe(before);
    expect(layer.people.resolve({ session: before })).toMatchObject({ actor: null });
    expect(layer.people.resolve(till).actor).toMatchObject({ name: 'Ada Admin' });
  });

  it('keeps PINs and badges only as slow hashes, and finds a badge by its keyed index', async () => {
    const { layer, dir } = layerAt();
    const admin = await signedIn(layer);
    await ok(
      call(layer, admin.caller, 'people.create', {
        name: 'Bea Badge',
        role: 'clerk',
        pin: '97531',
        badge: 'EMP-SECRET-77',
      }),
    );
    await layer.close();
    open.length = 0;
    const bytes = fs.readFileSync(path.join(dir, 'ledger.sqlite'));
    const wal = path.join(dir, 'ledger.sqlite-wal');
    const all = Buffer.concat([bytes, fs.existsSync(wal) ? fs.readFileSync(wal) : Buffer.alloc(0)]);
    expect(all.includes('97531')).toBe(false);
    expect(all.includes('EMP-SECRET-77')).toBe(false);
    expect(all.includes('scrypt$32768$8$3$')).toBe(true);
    // The index's key lives with the secrets, not in the ledger.
    const secrets = JSON.parse(fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8')) as Record<
      string,
      string
    >;
    expect(secrets[INDEX_KEY_SECRET]).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(all.includes(secrets[INDEX_KEY_SECRET]!)).toBe(false);
  });

  it('locks a person out after 5 wrong PINs, says how long in words, and lets them in after', async () => {
    const { layer, clock } = layerAt();
    const admin = await signedIn(layer);
    await ok(call(layer, admin.caller, 'people.create', { name: 'Carl Clerk', role: 'clerk', pin: PIN }));
    const carl = layer.people.list().find((p) => p.name === 'Carl Clerk')!.personId;
    const till = aWindow();
    const tryPin = (pin: string) => call(layer, till, 'session.signIn', { personId: carl, pin });
    for (let i = 1; i <= 2; i++)
      expect(await tryPin('0000')).toMatchObject({
        ok: false,
        error: {
          code: 'invalid_input',
          message: 'That PIN is not Carl Clerk’s.',
          errors: [{ field: 'pin' }],
        },
      });
    // From two left, the clerk is told the lockout is near and how long it would last.
    expect(await tryPin('0000')).toMatchObject({
      error: { message: 'That PIN is not Carl Clerk’s. 2 more wrong PINs and sign-in waits 1 minute.' },
    });
    expect(await tryPin('0000')).toMatchObject({
      error: { message: 'That PIN is not Carl Clerk’s. 1 more wrong PIN and sign-in waits 1 minute.' },
    });
    expect(await tryPin('0000')).toMatchObject({
      ok: false,
      error: { code: 'locked_out', message: /Too many wrong PINs for Carl Clerk: sign-in waits 1 minute\./ },
    });
    // Locked: even the right PIN waits, and the wait is said as it runs down.
    await clock.advance(30_000);
    expect(await tryPin(PIN)).toMatchObject({
      ok: false,
      error: { code: 'locked_out', message: /sign-in waits 30 seconds\. A manager can set a new PIN/ },
    });
    expect(layer.people.list().find((p) => p.personId === carl)!.lockedUntil).not.toBeNull();
    await clock.advance(31_000);
    // The next series, without a right PIN between, waits twice as long, and says so first.
    for (let i = 0; i < 3; i++) await tryPin('1111');
    expect(await tryPin('1111')).toMatchObject({
      error: { message: 'That PIN is not Carl Clerk’s. 1 more wrong PIN and sign-in waits 2 minutes.' },
    });
    await tryPin('1111');
    expect(await tryPin(PIN)).toMatchObject({ error: { message: /sign-in waits 2 minutes/ } });
    // A manager's new PIN ends the wait at once; a right PIN ends the series.
    await ok(call(layer, admin.caller, 'people.update', { personId: carl, pin: '86420' }));
    expect(await tryPin('86420')).toMatchObject({ ok: true, value: { actor: { name: 'Carl Clerk' } } });
    for (let i = 0; i < 4; i++) await tryPin('1111');
    expect(await tryPin('1111')).toMatchObject({ error: { message: /sign-in waits 1 minute\./ } });
    await clock.advance(61_000);
    expect((await tryPin('86420')).ok).toBe(true);
  });

  it('counts unknown badges store-wide and says so', async () => {
    const { layer } = layerAt();
    await signedIn(layer);
    const till = aWindow();
    for (let i = 0; i < 4; i++)
      expect(await call(layer, till, 'session.signIn', { badge: `NOBODY-${i}` })).toMatchObject({
        error: { code: 'invalid_input', message: /This badge is not known here/ },
      });
    expect(await call(layer, till, 'session.signIn', { badge: 'NOBODY-4' })).toMatchObject({
      error: { code: 'locked_out' },
    });
    expect(await call(layer, till, 'session.signIn', { badge: 'NOBODY-5' })).toMatchObject({
      error: { code: 'locked_out', message: /Too many unknown badges were scanned: sign-in waits 1 minute/ },
    });
  });

  it('ends a window’s session after the auto-lock minutes without a call, and says so', async () => {
    const { layer, clock } = layerAt();
    const admin = await signedIn(layer);
    layer.settings.update({ signIn: { autoLockMinutes: 5 } });
    await clock.advance(4 * 60_000);
    expect((await call(layer, admin.caller, 'lines.list', {})).ok).toBe(true);
    await clock.advance(5 * 60_000 + 1_000);
    expect(await call(layer, admin.caller, 'lines.list', {})).toMatchObject({
      ok: false,
      error: {
        code: 'signed_out',
        message: 'You were signed out after 5 minutes without use: sign in again.',
      },
    });
  });

  it('ends the sessions of a person who may no longer sign in', async () => {
    const { layer } = layerAt();
    const admin = await signedIn(layer);
    const carl = await signedIn(layer, 'clerk', 'Carl Clerk');
    await ok(call(layer, admin.caller, 'people.update', { personId: carl.actor.id, active: false }));
    expect(await call(layer, carl.caller, 'lines.list', {})).toMatchObject({
      ok: false,
      error: { code: 'signed_out' },
    });
    expect(
      await call(layer, aWindow(), 'session.signIn', { personId: carl.actor.id, pin: PIN }),
    ).toMatchObject({
      ok: false,
    });
  });

  it('forgets badges whose index key is gone (the secrets file was replaced), and says so', async () => {
    const dir = tempDir();
    const first = layerAt(dir).layer;
    const admin = await signedIn(first);
    await ok(
      call(first, admin.caller, 'people.create', {
        name: 'Bea Badge',
        role: 'clerk',
        pin: PIN,
        badge: 'BADGE-9',
      }),
    );
    await first.close();
    open.length = 0;
    fs.rmSync(path.join(dir, 'secrets.json'));
    const again = layerAt(dir).layer;
    expect(again.people.list().find((p) => p.name === 'Bea Badge')).toMatchObject({ hasBadge: false });
    expect(await call(again, aWindow(), 'session.signIn', { badge: 'BADGE-9' })).toMatchObject({
      error: { message: /not known here/ },
    });
  });
});

describe('who may change whom', () => {
  it('a manager adds clerks and managers, not administrators; the last administrator stays one', async () => {
    const { layer } = layerAt();
    const admin = await signedIn(layer);
    const mia = await signedIn(layer, 'manager', 'Mia Manager');
    expect(
      await call(layer, mia.caller, 'people.create', { name: 'Eve', role: 'administrator', pin: PIN }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: 'Adding an administrator needs an administrator: ask one to sign in.',
      },
    });
    expect(
      await call(layer, mia.caller, 'people.update', { personId: admin.actor.id, pin: '9999' }),
    ).toMatchObject({
      error: { code: 'forbidden', message: /Changing an administrator needs an administrator/ },
    });
    expect(
      (await call(layer, mia.caller, 'people.create', { name: 'Carl', role: 'clerk', pin: PIN })).ok,
    ).toBe(true);
    expect(
      await call(layer, admin.caller, 'people.update', { personId: admin.actor.id, role: 'manager' }),
    ).toMatchObject({
      error: { code: 'conflict', message: /the last active one: make another person an administrator first/ },
    });
    expect(
      await call(layer, mia.caller, 'people.create', { name: 'carl', role: 'clerk', pin: PIN }),
    ).toMatchObject({
      error: { code: 'invalid_input', errors: [{ field: 'name', message: /someone else’s name here/ }] },
    });
  });

  it('a clerk voids their own unsent line; another person’s needs a manager', async () => {
    const { layer } = layerAt();
    const admin = await signedIn(layer);
    const carl = await signedIn(layer, 'clerk', 'Carl Clerk');
    const dora = await signedIn(layer, 'clerk', 'Dora Clerk');
    const mine = await ok<{ lineRecordId: string }>(
      call(layer, carl.caller, 'lines.create', { line: seedLine({ id: 'carl-own' }) }),
    );
    const hers = await ok<{ lineRecordId: string }>(
      call(layer, dora.caller, 'lines.create', { line: seedLine({ id: 'dora-own' }) }),
    );
    expect(
      await call(layer, carl.caller, 'lines.void', { lineRecordId: hers.lineRecordId, reason: 'not mine' }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: 'Voiding another person’s line needs a manager: ask one to sign in.',
      },
    });
    expect(
      await ok(
        call(layer, carl.caller, 'lines.void', { lineRecordId: mine.lineRecordId, reason: 'typed twice' }),
      ),
    ).toMatchObject({ status: 'Voided', voidedBy: 'Carl Clerk', voidedById: carl.actor.id });
    expect(
      await ok(
        call(layer, admin.caller, 'lines.void', { lineRecordId: hers.lineRecordId, reason: 'wrong shelf' }),
      ),
    ).toMatchObject({ voidedBy: 'Ada Admin', voidedById: admin.actor.id, createdBy: 'Dora Clerk' });
  });

  it('settings: a manager changes the feature, an administrator the connection', async () => {
    const { layer } = layerAt();
    await signedIn(layer);
    const mia = await signedIn(layer, 'manager', 'Mia Manager');
    expect((await call(layer, mia.caller, 'settings.update', { enableFeature: false })).ok).toBe(true);
    expect(
      await call(layer, mia.caller, 'settings.update', { connection: { tenantId: 'contoso.example' } }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: 'Changing the connection (connection.tenantId) needs an administrator: ask one to sign in.',
      },
    });
  });
});
