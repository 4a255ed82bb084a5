import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UpstreamConnection } from '../../src/main/upstream/config';
import { IvClient } from '../../src/main/upstream/iv-client';
import { ScmClient } from '../../src/main/upstream/scm-client';
import { TokenProvider } from '../../src/main/upstream/tokens';
import { type Emulator, startEmulator } from '../upstream-emulator/index';
import { caught, event, journalPackage, journalRow } from './helpers';

let emu: Emulator;
let conn: UpstreamConnection;
let tokens: TokenProvider;
let iv: IvClient;
let scm: ScmClient;

beforeAll(async () => {
  emu = await startEmulator({ importDelayMs: 20, postingDelayMs: 20 });
  conn = { ...emu.credentials, timeoutMs: 300 };
  tokens = new TokenProvider(conn);
  iv = new IvClient(conn, tokens);
  scm = new ScmClient(conn, tokens);
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  emu.admin.reset();
  // Tokens first, so a fault on a service endpoint hits the call under test.
  await Promise.all([tokens.ivToken(), tokens.scmToken()]);
});

describe('fault classification', () => {
  it('429 with Retry-After → retry with retryAfterMs', async () => {
    emu.admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['429'], retryAfterSeconds: 7 });
    const err = await caught(iv.postOnHandBulk([event('a', 2)]));
    expect(err).toMatchObject({
      kind: 'retry',
      service: 'iv',
      status: 429,
      retryAfterMs: 7000,
      outcomeUnknown: false,
    });
    expect(err.upstreamMessage).toContain('Too many requests');

    emu.admin.setFault({ endpoint: 'scmOData', rate: 1, kinds: ['429'], retryAfterSeconds: 2 });
    const scmErr = await caught(scm.readBackEntries(['x']));
    expect(scmErr).toMatchObject({ kind: 'retry', service: 'scm', status: 429, retryAfterMs: 2000 });

    emu.admin.setFault({ endpoint: 'entra', rate: 1, kinds: ['429'], retryAfterSeconds: 1 });
    const entraErr = await caught(new TokenProvider(conn).scmToken());
    expect(entraErr).toMatchObject({ kind: 'retry', service: 'entra', status: 429, retryAfterMs: 1000 });
  });

  it('500 → retry, with the upstream message', async () => {
    emu.admin.setFault({ endpoint: 'scmJobStatus', rate: 1, kinds: ['500'] });
    const err = await caught(scm.jobStatus('00000000-0000-4000-8000-000000000001'));
    expect(err).toMatchObject({ kind: 'retry', service: 'scm', status: 500, outcomeUnknown: false });
    expect(err.upstreamMessage).toBe('Internal server error (injected fault).');

    emu.admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['500'] });
    const bulk = await caught(iv.postOnHandBulk([event('b', 2)]));
    // A server fault on a write: it may have been applied.
    expect(bulk).toMatchObject({ kind: 'retry', status: 500, outcomeUnknown: true });
  });

  it('hang → timeout → retry; outcome unknown for a write only', async () => {
    emu.admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['hang'] });
    const started = Date.now();
    const err = await caught(iv.postOnHandBulk([event('c', 2)]));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err).toMatchObject({ kind: 'retry', service: 'iv', outcomeUnknown: true });
    expect(err.status).toBeUndefined();
    expect(err.upstreamMessage).toContain('no answer within 300 ms');

    emu.admin.setFault({ endpoint: 'ivQuery', rate: 1, kinds: ['hang'] });
    const query = await caught(
      iv.exactQuery({
        filters: { organizationId: ['usmf'], productId: ['D0001'], dimensions: ['siteId'], values: [['1']] },
      }),
    );
    expect(query).toMatchObject({ kind: 'retry', outcomeUnknown: false });
  });

  it('drop → retry with outcome unknown', async () => {
    emu.admin.setFault({ endpoint: 'scmEnqueue', rate: 1, kinds: ['drop'] });
    const err = await caught(scm.enqueue('usmf', 'batch-d', journalPackage([journalRow('d-1')])));
    expect(err).toMatchObject({ kind: 'retry', service: 'scm', outcomeUnknown: true });
    expect(emu.admin.counters().scmEnqueueCalls).toBe(0);
  });

  it('lost answer → retry with outcome unknown; the resend is not counted twice', async () => {
    emu.admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['lost'] });
    const err = await caught(iv.postOnHandBulk([event('lost-1', 2)]));
    expect(err).toMatchObject({ kind: 'retry', outcomeUnknown: true });
    expect(emu.admin.counters().ivEventsAccepted).toBe(1);
    emu.admin.clearFaults();
    expect((await iv.postOnHandBulk([event('lost-1', 2)])).accepted).toEqual(['lost-1']);
    expect(emu.admin.counters()).toMatchObject({ ivEventsAccepted: 1, ivEventsDuplicate: 1 });
  });

  it('network down → retry, nothing sent; back up → works', async () => {
    await emu.stop();
    try {
      const err = await caught(iv.postOnHandBulk([event('n-1', 2)]));
      expect(err).toMatchObject({ kind: 'retry', service: 'iv', outcomeUnknown: false });
      expect(err.upstreamMessage).toContain('ECONNREFUSED');
      const scmErr = await caught(scm.jobStatus('x'));
      expect(scmErr.kind).toBe('retry');
    } finally {
      await emu.start();
    }
    expect((await iv.postOnHandBulk([event('n-1', 2)])).accepted).toEqual(['n-1']);
  });

  it('never puts a token into an error', async () => {
    const ivToken = await tokens.ivToken();
    const scmToken = await tokens.scmToken();
    emu.admin.setFault({ endpoint: '*', rate: 1, kinds: ['500', 'hang', 'drop', '429'] });
    for (let i = 0; i < 6; i++) {
      const errs = await Promise.all([
        caught(iv.postOnHandBulk([event(`t-${i}`, 2)])),
        caught(scm.readBackEntries(['q'])),
      ]);
      for (const e of errs) {
        const text = `${String(e)} ${JSON.stringify(e)}`;
        expect(text).not.toContain(ivToken);
        expect(text).not.toContain(scmToken);
        expect(text).not.toContain(conn.clientSecret);
      }
    }
  });
});
