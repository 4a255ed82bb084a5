// A manager's approval, judged in the entry pipeline whatever the screen shows: a clerk's line
// over the store's threshold is refused with the two ways out (an override, or the approval
// list) and changes nothing; a manager's PIN given as the override lets it in, recorded as
// approved by them (a clerk's PIN is refused in words); a parked line is stored by Approve
// exactly once, its author kept, or refused with a reason the clerk sees.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import type { HeldLineView } from '../../src/shared/approvals';
import { linesQuerySchema } from '../../src/shared/queries';
import type { DetailedLine } from '../../src/shared/views';
import { openLayer, seedLine } from '../helpers/layer';
import { call, PIN, type SignedIn, signedIn } from '../helpers/people';

let layer: BusinessLayer;
let admin: SignedIn;
let manager: SignedIn;
let clerk: SignedIn;
let otherClerk: SignedIn;

beforeEach(async () => {
  layer = openLayer();
  admin = await signedIn(layer);
  manager = await signedIn(layer, 'manager', 'Mia Manager');
  clerk = await signedIn(layer, 'clerk', 'Carl Clerk');
  otherClerk = await signedIn(layer, 'clerk', 'Cleo Clerk');
  expect(
    await call(layer, admin.caller, 'settings.update', { approvals: { unitsThreshold: 50 } }),
  ).toMatchObject({
    ok: true,
  });
});
afterEach(async () => {
  await layer.close();
});

const lines = (): DetailedLine[] => layer.ledger.lines.list(linesQuerySchema.parse({ top: 1000 })).value;
const create = (who: SignedIn, line: object, extra: object = {}) =>
  call(layer, who.caller, 'lines.create', { line, ...extra });
const managerPin = () => ({ personId: manager.actor.id, pin: PIN });

describe('a clerk’s line over the threshold', () => {
  it('is refused with both ways out in words, and nothing is stored or held', async () => {
    const reply = await create(clerk, seedLine({ id: 'big-1', quantity: 60 }));
    expect(reply).toMatchObject({
      ok: false,
      error: {
        code: 'needs_approval',
        message: expect.stringContaining(
          "60 units is at or beyond the store's approval threshold of 50. A manager can approve it here with their PIN or badge, or send it to the approval list.",
        ),
        errors: [{ field: 'approval' }],
      },
    });
    expect(lines()).toEqual([]);
    expect(layer.ledger.held.countWaiting()).toBe(0);
    // Under the threshold, and a manager's own line, go in as before.
    expect(await create(clerk, seedLine({ id: 'small-1', quantity: 49 }))).toMatchObject({ ok: true });
    expect(
      await create(manager, seedLine({ id: 'big-m', quantity: 500 }), { confirmedLargeQuantity: true }),
    ).toMatchObject({
      ok: true,
    });
    expect(
      lines()
        .map((l) => l.id)
        .sort(),
    ).toEqual(['big-m', 'small-1']);
  });

  it('also waits for its value at cost, and for a reason marked approval always', async () => {
    await call(layer, admin.caller, 'settings.update', {
      approvals: { unitsThreshold: null, valueThreshold: 100 },
    });
    expect(await create(clerk, seedLine({ id: 'v-1', quantity: 5, costPrice: 30 }))).toMatchObject({
      error: { code: 'needs_approval', message: expect.stringContaining('its value of 150 at cost') },
    });
    // Without a cost price the value is unknown: judged by units only.
    expect(await create(clerk, seedLine({ id: 'v-2', quantity: 5 }))).toMatchObject({ ok: true });
    await call(layer, manager.caller, 'reasons.upsert', {
      code: 'THEFT',
      words: 'Theft or shrink',
      approvalAlways: true,
    });
    expect(await create(clerk, seedLine({ id: 'v-3', quantity: -1, reasonCode: 'theft' }))).toMatchObject({
      error: {
        code: 'needs_approval',
        message: expect.stringContaining('reason THEFT (Theft or shrink) always needs a manager'),
      },
    });
    expect(lines().map((l) => l.id)).toEqual(['v-2']);
  });

  it('goes in with a manager’s PIN as the override, recorded as approved by them; a clerk’s PIN is refused in words', async () => {
    const refused = await create(clerk, seedLine({ id: 'o-1', quantity: 60 }), {
      override: { personId: otherClerk.actor.id, pin: PIN },
    });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: expect.stringMatching(/needs a manager: the PIN or badge given is not a manager’s\.$/),
      },
    });
    const wrong = await create(clerk, seedLine({ id: 'o-1', quantity: 60 }), {
      override: { personId: manager.actor.id, pin: '0000' },
    });
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('That PIN is not Mia Manager’s') },
    });
    expect(lines()).toEqual([]);
    const approved = await create(clerk, seedLine({ id: 'o-1', quantity: 60 }), { override: managerPin() });
    expect(approved).toMatchObject({ ok: true, value: { id: 'o-1', created: true } });
    expect(lines()[0]).toMatchObject({ id: 'o-1', createdBy: 'Carl Clerk', approvedBy: 'Mia Manager' });
  });

  it('parks in the approval list (nothing stored), and Approve stores it once, its author kept, pressed twice or at once', async () => {
    const parked = await create(clerk, seedLine({ id: 'p-1', quantity: 80 }), { park: true });
    expect(parked).toMatchObject({
      ok: true,
      value: { held: true, id: 'p-1', why: expect.stringContaining('80 units') },
    });
    expect(lines()).toEqual([]);
    // The same line parked again (a resend) waits once.
    await create(clerk, seedLine({ id: 'p-1', quantity: 80 }), { park: true });
    const list = (await call(layer, clerk.caller, 'approvals.list', {})) as { value: HeldLineView[] };
    expect(list.value).toHaveLength(1);
    expect(list.value[0]).toMatchObject({
      state: 'waiting',
      createdBy: 'Carl Clerk',
      line: { id: 'p-1', quantity: 80 },
    });
    expect(await call(layer, clerk.caller, 'approvals.count', {})).toMatchObject({ value: { waiting: 1 } });
    const heldId = list.value[0]!.heldId;
    // A clerk cannot approve their own.
    expect(await call(layer, clerk.caller, 'approvals.approve', { heldId })).toMatchObject({
      error: { code: 'forbidden', message: 'Approving a waiting line needs a manager: ask one to sign in.' },
    });
    const [first, second] = await Promise.all([
      call(layer, manager.caller, 'approvals.approve', { heldId }),
      call(layer, manager.caller, 'approvals.approve', { heldId }),
    ]);
    expect(first).toMatchObject({ ok: true, value: { state: 'approved', decidedBy: 'Mia Manager' } });
    expect(second).toMatchObject({ ok: true, value: { state: 'approved' } });
    const third = await call(layer, manager.caller, 'approvals.approve', { heldId });
    expect(third).toMatchObject({ ok: true, value: { state: 'approved' } });
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({
      id: 'p-1',
      quantity: 80,
      createdBy: 'Carl Clerk',
      approvedBy: 'Mia Manager',
    });
    expect((first as { value: HeldLineView }).value.lineRecordId).toBe(lines()[0]!.lineRecordId);
    expect(layer.ledger.held.countWaiting()).toBe(0);
  });

  it('is refused with a reason the clerk sees, and never stored', async () => {
    await create(clerk, seedLine({ id: 'n-1', quantity: 70 }), { park: true });
    const [held] = layer.approvals.list();
    expect(
      await call(layer, manager.caller, 'approvals.refuse', { heldId: held!.heldId, reason: 'x' }),
    ).toMatchObject({
      error: {
        code: 'invalid_input',
        errors: [{ field: 'reason', message: 'must say why, in at least 3 characters' }],
      },
    });
    const refused = await call(layer, manager.caller, 'approvals.refuse', {
      heldId: held!.heldId,
      reason: 'Count the shelf again first',
    });
    expect(refused).toMatchObject({
      ok: true,
      value: { state: 'refused', refusal: 'Count the shelf again first' },
    });
    expect(await call(layer, manager.caller, 'approvals.approve', { heldId: held!.heldId })).toMatchObject({
      ok: true,
      value: { state: 'refused' },
    });
    const seen = (await call(layer, clerk.caller, 'approvals.list', {})) as { value: HeldLineView[] };
    expect(seen.value[0]).toMatchObject({
      state: 'refused',
      decidedBy: 'Mia Manager',
      refusal: 'Count the shelf again first',
    });
    expect(lines()).toEqual([]);
  });
});

describe('a store system’s line over the threshold', () => {
  it('is stored by default (a till cannot wait), and parked with its id when the store holds systems too', async () => {
    const till = layer.apiKeys.create(admin.actor, { name: 'Till 2', role: 'clerk' });
    const system = layer.apiKeys.actorFor((await till).key)!;
    const bulk = (body: unknown) =>
      layer.entry.enter(body, {
        source: 'api',
        author: { kind: 'system', id: system.id, name: system.name },
        approval: { role: system.role, kind: 'system', park: true },
      });
    expect((await bulk(seedLine({ id: 's-1', quantity: 60 }))).created).toBe(1);
    await call(layer, admin.caller, 'settings.update', { approvals: { holdStoreSystems: true } });
    const entered = await bulk([seedLine({ id: 's-2', quantity: 1 }), seedLine({ id: 's-3', quantity: 60 })]);
    expect(entered.created).toBe(1);
    expect(entered.held).toMatchObject([{ index: 1, id: 's-3', why: expect.stringContaining('60 units') }]);
    expect(
      lines()
        .map((l) => l.id)
        .sort(),
    ).toEqual(['s-1', 's-2']);
    expect(layer.approvals.list()[0]).toMatchObject({ createdBy: 'Till 2', state: 'waiting' });
  });
});

describe('a manager’s override on other actions', () => {
  it('lets a clerk void another person’s line and turn off Enable feature with a manager’s PIN, never without', async () => {
    await create(otherClerk, seedLine({ id: 'theirs', quantity: 2 }));
    const line = lines()[0]!;
    const voiding = { lineRecordId: line.lineRecordId, reason: 'Scanned twice' };
    expect(await call(layer, clerk.caller, 'lines.void', voiding)).toMatchObject({
      error: {
        code: 'forbidden',
        message: 'Voiding another person’s line needs a manager: ask one to sign in.',
      },
    });
    expect(
      await call(layer, clerk.caller, 'lines.void', { ...voiding, override: managerPin() }),
    ).toMatchObject({
      ok: true,
      value: { status: 'Voided', voidedBy: 'Carl Clerk' },
    });
    expect(await call(layer, clerk.caller, 'settings.update', { enableFeature: false })).toMatchObject({
      error: { code: 'forbidden', message: 'Changing settings needs a manager: ask one to sign in.' },
    });
    expect(
      await call(layer, clerk.caller, 'settings.update', { enableFeature: false, override: managerPin() }),
    ).toMatchObject({ ok: true, value: { enableFeature: false } });
    // The audit trail names the clerk who acted and the manager who approved; never the PIN.
    const events = layer.ledger.audit.list({ top: 50, skip: 0 }).value;
    const approved = events.filter((e) => e.outcome === 'done' && e.target?.includes('approvedBy'));
    expect(approved.map((e) => [e.action, e.actor_name, JSON.parse(e.target!).approvedBy])).toEqual([
      ['settings.update', 'Carl Clerk', 'Mia Manager'],
      ['lines.void', 'Carl Clerk', 'Mia Manager'],
    ]);
    const recorded = JSON.stringify(events.map((e) => [e.target, e.old_value, e.new_value]));
    expect(recorded).not.toContain(PIN);
    expect(recorded).not.toContain('override');
  });

  it('keeps the connection an administrator’s: a manager’s PIN given by a clerk is refused in words, nothing changes', async () => {
    const before = layer.settings.view();
    const patch = { enableFeature: false, connection: { tenantId: 'contoso.example' } };
    expect(
      await call(layer, clerk.caller, 'settings.update', { ...patch, override: managerPin() }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'forbidden',
        message: 'Changing the connection (connection.tenantId) needs an administrator: ask one to sign in.',
      },
    });
    // The whole change was refused, the feature switch with it.
    expect(layer.settings.view()).toEqual(before);
  });

  it('lets a clerk Retry and mark DoNotSync with a manager’s PIN, never without', async () => {
    const ids = { aggregatedLineIds: ['00000000-0000-4000-8000-000000000000'] };
    for (const [name, input] of [
      ['aggregated.retry', ids],
      ['aggregated.markDoNotSync', { ...ids, reason: 'Counted twice' }],
    ] as const) {
      expect(await call(layer, clerk.caller, name, input)).toMatchObject({
        error: {
          code: 'forbidden',
          message: expect.stringMatching(/needs a manager: ask one to sign in\.$/),
        },
      });
      // Approved, it runs: the unknown line is refused on its own, in the answer.
      expect(await call(layer, clerk.caller, name, { ...input, override: managerPin() })).toMatchObject({
        ok: true,
        value: { changed: 0, refused: [expect.objectContaining({ message: expect.any(String) })] },
      });
    }
  });

  it('counts wrong override PINs towards the same lockout as signing in, and says so in words', async () => {
    const wrong = () =>
      create(clerk, seedLine({ id: 'lock-1', quantity: 60 }), {
        override: { personId: manager.actor.id, pin: '0000' },
      });
    let last: unknown;
    for (let i = 0; i < 5; i++) last = await wrong();
    expect(last).toMatchObject({
      ok: false,
      error: {
        code: 'locked_out',
        message: expect.stringMatching(/Too many wrong PINs for Mia Manager: sign-in waits/),
      },
    });
    // Locked: even the right PIN waits, and nothing was stored.
    expect(
      await create(clerk, seedLine({ id: 'lock-1', quantity: 60 }), { override: managerPin() }),
    ).toMatchObject({
      error: { code: 'locked_out' },
    });
    expect(lines()).toEqual([]);
  });

  it('judges a correction’s replacing line like a new one: over the threshold it needs a manager', async () => {
    await create(clerk, seedLine({ id: 'mine', quantity: 5 }));
    const [line] = lines();
    const correcting = {
      lineRecordId: line!.lineRecordId,
      replacement: { quantity: 60, dimensions: line!.dimensions },
    };
    expect(await call(layer, clerk.caller, 'lines.correct', correcting)).toMatchObject({
      error: { code: 'needs_approval', message: expect.stringContaining('60 units') },
    });
    expect(lines()).toHaveLength(1);
    expect(
      await call(layer, clerk.caller, 'lines.correct', { ...correcting, override: managerPin() }),
    ).toMatchObject({ ok: true, value: { replacement: { quantity: 60, approvedBy: 'Mia Manager' } } });
  });

  it('records the manager who approved a clerk’s correction of another person’s line on the reversing line', async () => {
    await create(otherClerk, seedLine({ id: 'cleos', quantity: 4 }));
    const [line] = lines();
    const correcting = { lineRecordId: line!.lineRecordId };
    expect(await call(layer, clerk.caller, 'lines.correct', correcting)).toMatchObject({
      error: {
        code: 'forbidden',
        message: 'Correcting another person’s line needs a manager: ask one to sign in.',
      },
    });
    expect(
      await call(layer, clerk.caller, 'lines.correct', { ...correcting, override: managerPin() }),
    ).toMatchObject({
      ok: true,
      value: { correction: { quantity: -4, createdBy: 'Carl Clerk', approvedBy: 'Mia Manager' } },
    });
  });

  it('judges a draft’s rows when a clerk posts it: over the threshold the post needs a manager, and nothing is posted', async () => {
    await call(layer, admin.caller, 'settings.update', { defaultOrganizationId: 'usmf' });
    const draft = (await call(layer, clerk.caller, 'drafts.create', { name: 'Shelf 9' })) as {
      value: { draftId: string };
    };
    const draftId = draft.value.draftId;
    const text = 'Item\tQty\tSite\tWarehouse\tReason\nD0001\t3\t1\t13\tfound\nD0002\t60\t1\t13\tdamaged\n';
    expect(await call(layer, clerk.caller, 'drafts.paste', { draftId, text })).toMatchObject({
      ok: true,
      value: { added: 2, errors: [] },
    });
    expect(await call(layer, clerk.caller, 'drafts.post', { draftId })).toMatchObject({
      error: { code: 'needs_approval', message: expect.stringContaining('60 units') },
    });
    expect(lines()).toEqual([]);
    expect(await call(layer, clerk.caller, 'drafts.post', { draftId, override: managerPin() })).toMatchObject(
      { ok: true, value: { created: 2 } },
    );
    expect(
      lines()
        .map((l) => [l.productId, l.reasonCode, l.approvedBy])
        .sort(),
    ).toEqual([
      ['D0001', 'FOUND', 'Mia Manager'],
      ['D0002', 'DAMAGED', 'Mia Manager'],
    ]);
  });

  it('spends no manager’s PIN attempt on a call from nobody signed in', async () => {
    const nobody = await call(layer, { session: null }, 'lines.create', {
      line: seedLine({ id: 'anon', quantity: 60 }),
      override: { personId: manager.actor.id, pin: '0000' },
    });
    expect(nobody).toMatchObject({ ok: false, error: { code: 'signed_out' } });
    expect(layer.ledger.people.guard(`person:${manager.actor.id}`)).toBeNull();
  });
});
