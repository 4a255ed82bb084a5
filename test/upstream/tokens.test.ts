import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UpstreamConnection } from '../../src/main/upstream/config';
import { IvClient } from '../../src/main/upstream/iv-client';
import { ScmClient } from '../../src/main/upstream/scm-client';
import { TokenProvider } from '../../src/main/upstream/tokens';
import { type Emulator, startEmulator } from '../upstream-emulator/index';
import { caught, event } from './helpers';

let emu: Emulator;
let conn: UpstreamConnection;

beforeAll(async () => {
  emu = await startEmulator({ importDelayMs: 20, postingDelayMs: 20 });
  conn = { ...emu.credentials, timeoutMs: 3000 };
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  emu.admin.reset();
});

describe('tokens', () => {
  it('caches one token per scope and refreshes 5 minutes before expiry', async () => {
    let now = Date.now();
    const tokens = new TokenProvider(conn, { now: () => now });
    const iv = new IvClient(conn, tokens);
    const scm = new ScmClient(conn, tokens);
    await iv.postOnHandBulk([event('a')]);
    await iv.postOnHandBulk([event('b')]);
    await scm.readBackEntries(['x']);
    await scm.readBackEntries(['y']);
    // One Entra token for the IV exchange, one for SCM; one exchange.
    expect(tokens.stats).toEqual({ entraRequests: 2, ivExchanges: 1 });

    now += (3599 - 301) * 1000; // just outside the 5-minute margin: still cached
    await iv.postOnHandBulk([event('c')]);
    expect(tokens.stats).toEqual({ entraRequests: 2, ivExchanges: 1 });

    now += 2000; // inside the margin: refreshed
    await iv.postOnHandBulk([event('d')]);
    await scm.readBackEntries(['z']);
    expect(tokens.stats).toEqual({ entraRequests: 4, ivExchanges: 2 });
    expect(emu.admin.counters().ivEventsAccepted).toBe(4);
  });

  it('shares one fetch between concurrent callers', async () => {
    const tokens = new TokenProvider(conn);
    const got = await Promise.all([tokens.ivToken(), tokens.ivToken(), tokens.ivToken()]);
    expect(new Set(got).size).toBe(1);
    expect(tokens.stats).toEqual({ entraRequests: 1, ivExchanges: 1 });
  });

  it('follows the IV token service 307 by re-posting the same body', async () => {
    emu.admin.updateSettings({ ivTokenRedirect: true });
    const tokens = new TokenProvider(conn);
    const iv = new IvClient(conn, tokens);
    const result = await iv.postOnHandBulk([event('r1')]);
    expect(result.accepted).toEqual(['r1']);
    expect(tokens.stats.ivExchanges).toBe(2); // the first POST and the one at Location
  });

  it('on a 401 drops the token, fetches a new one and retries once', async () => {
    const tokens = new TokenProvider(conn);
    const iv = new IvClient(conn, tokens);
    const scm = new ScmClient(conn, tokens);
    await iv.postOnHandBulk([event('e1')]);
    await scm.readBackEntries(['none']);
    emu.admin.expireTokens();
    expect((await iv.postOnHandBulk([event('e2')])).accepted).toEqual(['e2']);
    expect(await scm.readBackEntries(['none'])).toEqual([]);
    // IV: the expired IV token, then the expired Entra token behind it, were renewed
    // (one exchange refused, one accepted); SCM: one new Entra token.
    expect(tokens.stats).toEqual({ entraRequests: 4, ivExchanges: 3 });
    expect(emu.admin.counters().ivEventsAccepted).toBe(2);
  });

  it('retries exactly once: a second 401 is a configuration error', async () => {
    class StaleTokens extends TokenProvider {
      handedOut = 0;
      override ivToken(): Promise<string> {
        this.handedOut++;
        return Promise.resolve('not-a-valid-token');
      }
    }
    const tokens = new StaleTokens(conn);
    const err = await caught(new IvClient(conn, tokens).postOnHandBulk([event('x')]));
    expect(err).toMatchObject({ kind: 'config', service: 'iv', status: 401 });
    expect(tokens.handedOut).toBe(2);
    expect(String(err)).not.toContain('not-a-valid-token');
    expect(emu.admin.counters().ivEventsReceived).toBe(0);
  });

  it('a wrong secret is a configuration error whose message never shows the secret', async () => {
    const secret = 'Wr0ng~S3cret/with+chars=';
    const bad = { ...conn, clientSecret: secret };
    const iv = new IvClient(bad);
    const err = await caught(iv.postOnHandBulk([event('s')]));
    expect(err).toMatchObject({ kind: 'config', service: 'entra', status: 401, outcomeUnknown: false });
    expect(err.upstreamMessage).toContain('AADSTS7000215');
    for (const text of [
      err.message,
      String(err),
      err.upstreamMessage,
      JSON.stringify(err),
      err.stack ?? '',
    ]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
    }
    const scmErr = await caught(new ScmClient(bad).ping());
    expect(scmErr.kind).toBe('config');
    expect(String(scmErr)).not.toContain(secret);
  });

  it('classifies a wrong tenant, client or environment as configuration', async () => {
    const tenant = await caught(new IvClient({ ...conn, tenantId: 'other-tenant' }).ping());
    expect(tenant).toMatchObject({ kind: 'config', service: 'entra', status: 400 });
    const client = await caught(new ScmClient({ ...conn, clientId: 'someone-else' }).ping());
    expect(client).toMatchObject({ kind: 'config', service: 'entra' });
    const env = await caught(
      new IvClient({ ...conn, environmentId: '11111111-1111-4111-8111-111111111111' }).postOnHandBulk([
        event('v'),
      ]),
    );
    expect(env).toMatchObject({ kind: 'config', service: 'iv', status: 404 });
    expect(env.upstreamMessage).toContain('not found');
  });

  it('refuses an invalid URL as configuration without sending anything', async () => {
    const err = await caught(
      new IvClient({ ...conn, authorityHost: 'not a url' }).ping().then(() => undefined),
    );
    // ping's health check is unauthenticated and still fine; the token fetch fails.
    expect(err).toMatchObject({ kind: 'config', service: 'entra' });
    const scheme = await caught(
      new ScmClient({ ...conn, fnoEnvironmentUrl: 'ftp://example.invalid' }).ping(),
    );
    expect(scheme.kind).toBe('config');
  });
});
