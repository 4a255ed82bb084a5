import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UpstreamConnection } from '../../src/main/upstream/config';
import { UpstreamError } from '../../src/main/upstream/errors';
import { IvClient, type OnHandEvent } from '../../src/main/upstream/iv-client';
import { type Emulator, startEmulator } from '../upstream-emulator/index';

let emu: Emulator;
let conn: UpstreamConnection;
let iv: IvClient;

beforeAll(async () => {
  emu = await startEmulator();
  conn = { ...emu.credentials, timeoutMs: 3000 };
  iv = new IvClient(conn);
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  emu.admin.reset();
});

const event = (
  id: string,
  quantities: OnHandEvent['quantities'] = { '@iv': { adjustment: 5 } },
): OnHandEvent => ({
  id,
  organizationId: 'usmf',
  productId: 'D0001',
  dimensions: { siteId: '1', locationId: '13', channel: 'web' },
  quantities,
});

describe('IvClient', () => {
  it('posts on-hand events; a resend of the same ids is accepted but not counted again', async () => {
    const first = await iv.postOnHandBulk([event('e-1'), event('e-2')]);
    expect(first).toEqual({ accepted: ['e-1', 'e-2'], rejected: [] });
    const again = await iv.postOnHandBulk([event('e-1'), event('e-2')]);
    expect(again.accepted).toEqual(['e-1', 'e-2']);
    expect(emu.admin.counters()).toMatchObject({ ivBulkCalls: 2, ivEventsAccepted: 2, ivEventsDuplicate: 2 });
    expect(emu.admin.events().map((e) => e.id)).toEqual(['e-1', 'e-2']);
  });

  it('refuses more than 512 events locally, without a call', async () => {
    const events = Array.from({ length: 513 }, (_, i) => event(`big-${i}`));
    await expect(iv.postOnHandBulk(events)).rejects.toThrow(RangeError);
    expect(emu.admin.counters().ivBulkCalls).toBe(0);
    const ok = await iv.postOnHandBulk(events.slice(0, 512));
    expect(ok.accepted).toHaveLength(512);
    expect(await iv.postOnHandBulk([])).toEqual({ accepted: [], rejected: [] });
  });

  it('reports a rejected fno event and accepts the rest', async () => {
    const result = await iv.postOnHandBulk([event('ok-1'), event('bad-fno', { fno: { physicalinvent: 3 } })]);
    expect(result.accepted).toEqual(['ok-1']);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]).toMatchObject({ id: 'bad-fno', statusCode: 400 });
    expect(result.rejected[0]?.message).toMatch(/read-only/);
    expect(emu.admin.counters()).toMatchObject({ ivEventsAccepted: 1, ivEventsRejected: 1 });
  });

  it('queries on-hand, summed over dimensions not listed', async () => {
    await iv.postOnHandBulk([
      event('q-1'),
      {
        ...event('q-2', { '@iv': { adjustment: -2 } }),
        dimensions: { siteId: '1', locationId: '13', channel: 'pos' },
      },
    ]);
    const rows = await iv.exactQuery({
      filters: {
        organizationId: ['usmf'],
        productId: ['D0001'],
        dimensions: ['siteId', 'locationId'],
        values: [['1', '13']],
      },
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      organizationId: 'usmf',
      productId: 'D0001',
      dimensions: { siteId: '1', locationId: '13' },
      quantities: { '@iv': { adjustment: 3 }, fno: { physicalinvent: 100 } },
    });
  });

  it('ping checks health, credentials and environment', async () => {
    await expect(iv.ping()).resolves.toBeUndefined();
    const wrongEnv = new IvClient({ ...conn, environmentId: '22222222-2222-4222-8222-222222222222' });
    const err = await wrongEnv.ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ kind: 'config', service: 'iv', status: 404 });
    const wrongHost = new IvClient({ ...conn, ivEndpoint: `${emu.url}/nothing-here` });
    await expect(wrongHost.ping()).rejects.toMatchObject({ kind: 'config', status: 404 });
  });
});
