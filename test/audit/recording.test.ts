// What the audit trail records, through the same dispatch every transport uses: each action
// with its person, the PC and the time (the ledger's clock); refusals of the role check; old
// and new values of settings and mappings; never a secret, in a row or in the CSV export.
import fs from 'node:fs';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import type { Caller } from '../../src/main/people/actor';
import type { AuditEventView } from '../../src/shared/audit';
import type { ApiKeyCreated } from '../../src/shared/people';
import type { Page } from '../../src/shared/views';
import { API_KEY, ENV_ID, openLayer, postJson, seedLine, startApi } from '../helpers/layer';
import { call, PIN, signedIn } from '../helpers/people';
import { TestClock } from '../helpers/test-clock';

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

function layerWithClock(): { layer: BusinessLayer; clock: TestClock } {
  const clock = new TestClock(Date.parse('2026-12-07T09:30:00Z'));
  const layer = openLayer(undefined, { clock });
  closing.push(() => layer.close());
  return { layer, clock };
}

async function trail(layer: BusinessLayer, query: Record<string, unknown> = {}): Promise<AuditEventView[]> {
  const admin = await signedIn(layer);
  const reply = await call(layer, admin.caller, 'audit.list', { top: 1000, ...query });
  if (!reply.ok) throw new Error(reply.error.message);
  return (reply.value as Page<AuditEventView>).value.filter((e) => e.action !== 'audit.list');
}

const ok = async (p: Promise<{ ok: boolean; error?: { message: string } }>) => {
  const reply = await p;
  if (!reply.ok) throw new Error(reply.error?.message);
  return reply as { ok: true; value: unknown };
};

describe('the audit trail records who did what, on which PC and when', () => {
  it('records each action with the person, the PC and the ledger clock’s time', async () => {
    const { layer, clock } = layerWithClock();
    const manager = await signedIn(layer, 'manager', 'Maria');
    await clock.advance(60_000);
    const entered = (await ok(call(layer, manager.caller, 'lines.create', { line: seedLine({ id: 'a-1' }) })))
      .value as { lineRecordId: string };
    await clock.advance(60_000);
    await ok(
      call(layer, manager.caller, 'lines.void', { lineRecordId: entered.lineRecordId, reason: 'typo' }),
    );
    await ok(call(layer, manager.caller, 'settings.update', { entry: { largeQuantityThreshold: 5000 } }));
    await ok(
      call(layer, manager.caller, 'mappings.upsert', {
        originalPhysicalMeasure: 'adjustment',
        mapping: { physicalMeasure: 'adjustment', targetTransactionStatus: 'Created' },
      }),
    );

    const events = (await trail(layer)).reverse();
    const byAction = Object.fromEntries(events.map((e) => [e.action, e]));
    for (const action of ['lines.create', 'lines.void', 'settings.update', 'mappings.upsert']) {
      expect(byAction[action], action).toMatchObject({
        actor: { kind: 'person', name: 'Maria' },
        pc: os.hostname(),
        outcome: 'done',
      });
    }
    // One event for the Create: its line, by the digest's seq range, not a second row.
    expect(events.filter((e) => e.action === 'lines.create')).toHaveLength(1);
    expect(byAction['lines.create']!.lines).toEqual({ first: 1, last: 1, count: 1 });
    expect(byAction['lines.create']!.at).toBe(new Date(clock.start + 60_000).toISOString());
    expect(byAction['lines.void']!.at).toBe(new Date(clock.start + 120_000).toISOString());
    expect(byAction['lines.void']!.target).toEqual({ lineRecordId: entered.lineRecordId, reason: 'typo' });
    expect(byAction['settings.update']).toMatchObject({
      target: { settings: ['entry.largeQuantityThreshold'] },
      oldValue: { 'entry.largeQuantityThreshold': expect.any(Number) },
      newValue: { 'entry.largeQuantityThreshold': 5000 },
    });
    expect(byAction['mappings.upsert']).toMatchObject({
      oldValue: { physicalMeasure: 'adjustment', targetTransactionStatus: 'Posted' },
      newValue: { physicalMeasure: 'adjustment', targetTransactionStatus: 'Created' },
    });
  });

  it('records a clerk refused a manager’s action, and a read refused by the role check', async () => {
    const { layer } = layerWithClock();
    const clerk = await signedIn(layer, 'clerk', 'Carl');
    const refused = await call(layer, clerk.caller, 'settings.update', { enableFeature: false });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await call(layer, clerk.caller, 'apiKeys.list')).ok).toBe(false);
    // A read the clerk may do is not audited.
    expect((await call(layer, clerk.caller, 'lines.list', {})).ok).toBe(true);

    const events = await trail(layer, { actor: 'carl' });
    expect(events.map((e) => [e.action, e.outcome, e.errorCode, e.actor.name])).toEqual([
      ['apiKeys.list', 'refused', 'forbidden', 'Carl'],
      ['settings.update', 'refused', 'forbidden', 'Carl'],
    ]);
    expect(events[1]!.actionWords).toBe('Changing settings');
    expect(layer.settings.read().enableFeature).toBe(true);
  });

  it('records sign-in, failed PINs and the lockout, never the PIN', async () => {
    const { layer } = layerWithClock();
    await signedIn(layer, 'clerk', 'Carl');
    const carl = layer.people.list().find((p) => p.name === 'Carl')!;
    let session: string | null = null;
    const window: Caller = {
      session: null,
      bind: (s) => {
        session = s;
        window.session = s;
      },
    };
    await ok(call(layer, window, 'session.signIn', { personId: carl.personId, pin: PIN }));
    expect(session).not.toBeNull();
    await ok(call(layer, window, 'session.signOut'));
    for (let i = 0; i < 5; i++)
      await call(layer, { session: null }, 'session.signIn', { personId: carl.personId, pin: '9999' });

    const events = (await trail(layer)).filter((e) => e.action.startsWith('sign-')).reverse();
    expect(events.map((e) => [e.action, e.actor.name, e.errorCode])).toEqual([
      ['sign-in', 'Carl', null],
      ['sign-out', 'Carl', null],
      ['sign-in.failed', 'Carl', 'invalid_input'],
      ['sign-in.failed', 'Carl', 'invalid_input'],
      ['sign-in.failed', 'Carl', 'invalid_input'],
      ['sign-in.failed', 'Carl', 'invalid_input'],
      ['sign-in.locked-out', 'Carl', 'locked_out'],
    ]);
    expect(JSON.stringify(events)).not.toContain('9999');
    expect(JSON.stringify(events)).not.toContain(PIN);
  });

  it('never stores a secret: the client secret, a new API key, PINs, in rows or in the CSV export', async () => {
    const { layer } = layerWithClock();
    const admin = await signedIn(layer);
    const secret = 'cl13nt~s3cret.value-for-audit';
    await ok(
      call(layer, admin.caller, 'settings.update', {
        connection: { clientSecret: secret, clientId: 'app-1' },
      }),
    );
    const created = (await ok(call(layer, admin.caller, 'apiKeys.create', { name: 'POS', role: 'clerk' })))
      .value as ApiKeyCreated;
    await ok(call(layer, admin.caller, 'apiKeys.revoke', { keyId: created.apiKey.keyId }));
    await ok(
      call(layer, admin.caller, 'people.create', {
        name: 'Nina',
        role: 'clerk',
        pin: '86420',
        badge: 'BADGE-77123',
      }),
    );

    const events = await trail(layer);
    const settings = events.find((e) => e.action === 'settings.update')!;
    expect(settings.newValue).toEqual({
      'connection.clientSecret': '[redacted]',
      'connection.clientId': 'app-1',
    });
    expect(events.find((e) => e.action === 'apiKeys.create')).toMatchObject({
      target: { name: 'POS', role: 'clerk' },
      newValue: { keyId: created.apiKey.keyId },
    });
    expect(events.find((e) => e.action === 'apiKeys.revoke')!.target).toEqual({
      keyId: created.apiKey.keyId,
    });

    const offer = (await ok(call(layer, admin.caller, 'audit.export', {}))).value as { downloadId: string };
    const file = layer.downloads.take(offer.downloadId)!;
    const csv = fs.readFileSync(file.file, 'utf8');
    file.done();
    expect(csv).toContain('apiKeys.create');
    const rows = JSON.stringify(layer.ledger.audit.list({ top: 1000, skip: 0 }).value);
    for (const text of [rows, csv]) {
      for (const hidden of [secret, created.key, '86420', 'BADGE-77123', API_KEY])
        expect(text).not.toContain(hidden);
    }
  });

  it('refuses UPDATE and DELETE of audit rows on the app’s own connection', async () => {
    const { layer } = layerWithClock();
    await signedIn(layer);
    const { connectionOf } = await import('../../src/main/ledger/internal');
    const conn = connectionOf(layer.ledger);
    expect(() =>
      conn.writeNow(() => conn.db.prepare("UPDATE audit_events SET actor_name = 'x'").run()),
    ).toThrow(/append-only: they cannot be changed/);
    expect(() => conn.writeNow(() => conn.db.prepare('DELETE FROM audit_events').run())).toThrow(
      /append-only: they cannot be deleted/,
    );
    expect(layer.ledger.audit.list({ top: 10, skip: 0 }).count).toBeGreaterThan(0);
  });
});

describe('refusals over HTTP', () => {
  it('records a clerk’s refusal the browser’s RPC transport answers before reading the input', async () => {
    const api = await startApi({ rpcToken: 'audit-token' });
    closing.push(() => api.close());
    const clerk = await signedIn(api.layer, 'clerk', 'Carl');
    const res = await fetch(`${api.server.baseUrl}/rpc/settings.update`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-store-ledger-token': 'audit-token',
        'x-store-ledger-session': clerk.session,
      },
      body: JSON.stringify({ enableFeature: false }),
    });
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    await expect
      .poll(() => api.layer.ledger.audit.list({ top: 10, skip: 0, actor: 'Carl' }).value)
      .toMatchObject([
        { action: 'settings.update', outcome: 'refused', error_code: 'forbidden', actor_name: 'Carl' },
      ]);
  });
});

describe('lines from the store API', () => {
  it('records a 1,000-line bulk as one event of its key, with the seq range', async () => {
    const api = await startApi();
    closing.push(() => api.close());
    const lines = Array.from({ length: 1000 }, (_, i) => seedLine({ id: `b-${i}` }));
    const res = await postJson(`${api.api}/adjustment/bulk`, lines);
    expect(res.status).toBe(200);
    const events = api.layer.ledger.audit.list({ top: 100, skip: 0, action: 'lines.' }).value;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor_kind: 'system',
      lines_first: 1,
      lines_last: 1000,
      lines_count: 1000,
    });
    // A resend of the same lines creates nothing, and records nothing.
    expect((await postJson(`${api.api}/adjustment/bulk`, lines)).status).toBe(200);
    expect(api.layer.ledger.audit.list({ top: 100, skip: 0, action: 'lines.' }).count).toBe(1);
    expect(ENV_ID).toBeTruthy();
  });
});
