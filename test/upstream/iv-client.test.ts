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
  // `channel` is not a base dimension: IV takes it only under a data source mapped for dimensions.
  dimensionDataSource: 'pos',
  quantities,
});

const outcome = (r: Awaited<ReturnType<IvClient['postOnHandBulk']>>) => ({
  accepted: r.accepted,
  rejected: r.rejected,
  held: r.held,
});

describe('IvClient', () => {
  it('posts on-hand events; a resend of the same ids is accepted but not counted again', async () => {
    const first = await iv.postOnHandBulk([event('e-1'), event('e-2')]);
    expect(outcome(first)).toEqual({ accepted: ['e-1', 'e-2'], rejected: [], held: [] });
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
    expect(outcome(await iv.postOnHandBulk([]))).toEqual({ accepted: [], rejected: [], held: [] });
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

  it('an external dimension without dimensionDataSource is refused by IV (base dimensions only)', async () => {
    const { dimensionDataSource: _d, ...bare } = event('ext-1');
    const result = await iv.postOnHandBulk([bare, event('ext-2')]);
    expect(result.accepted).toEqual(['ext-2']);
    expect(result.rejected.map((r) => r.id)).toEqual(['ext-1']);
  });

  // The on-hand bulk answer is undocumented: each shape the emulator can give, read for what it
  // says of each event; what it leaves unsaid is held (src/main/upstream/iv-bulk-answer.ts).
  it.each([
    ['successFailure', { accepted: ['s-1', 's-2'], rejected: ['bad'], held: [] }],
    // A bare 2xx is "all accepted" (nothing to read): the one shape where a refusal goes unseen.
    ['bare', { accepted: ['s-1', 's-2', 'bad'], rejected: [], held: [] }],
    ['failureWithoutIds', { accepted: ['s-1', 's-2'], rejected: [], held: ['bad'] }],
    ['perItem', { accepted: ['s-1', 's-2'], rejected: ['bad'], held: [] }],
    // Microsoft's published shapes: ids with the API's prefix, a processing status per event.
    ['sixLists', { accepted: ['s-1', 's-2'], rejected: ['bad'], held: [] }],
    ['perEvent', { accepted: ['s-1', 's-2'], rejected: ['bad'], held: [] }],
    ['bodyStatus', { accepted: [], rejected: [], held: ['s-1', 's-2', 'bad'] }],
  ] as const)('answer shape %s: %j', async (shape, expected) => {
    emu.admin.updateSettings({ ivAnswerShape: shape });
    const events = [event('s-1'), event('s-2'), event('bad', { fno: { physicalinvent: 1 } })];
    const result = await iv.postOnHandBulk(events);
    expect({
      accepted: result.accepted,
      rejected: result.rejected.map((r) => r.id),
      held: result.held,
    }).toEqual(expected);
    if (expected.held.length > 0) {
      expect(result.raw).not.toBe('');
      expect(result.heldReason).toBeTruthy();
    }
    // Held events go again once the answer can be read; IV counts each id once.
    emu.admin.updateSettings({ ivAnswerShape: 'successFailure' });
    expect((await iv.postOnHandBulk(events.slice(0, 2))).accepted).toEqual(['s-1', 's-2']);
    expect(
      emu.admin
        .events()
        .map((e) => e.id)
        .sort(),
    ).toEqual(['s-1', 's-2']);
  });

  it('takes a resent event IV answers under conflict as already applied, counted once', async () => {
    emu.admin.updateSettings({ ivAnswerShape: 'sixLists' });
    const events = [event('c-1'), event('c-2')];
    expect((await iv.postOnHandBulk(events.slice(0, 1))).accepted).toEqual(['c-1']);
    const again = await iv.postOnHandBulk(events);
    expect(again).toMatchObject({ accepted: ['c-1', 'c-2'], alreadyApplied: ['c-1'], held: [] });
    expect(emu.admin.events().filter((e) => e.id === 'c-1')).toHaveLength(1);
  });

  it("reads exact query keys in IV's own casing", async () => {
    await iv.postOnHandBulk([event('c-1')]);
    const rows = await iv.exactQuery({
      filters: {
        organizationId: ['usmf'],
        productId: ['D0001'],
        dimensions: ['siteId', 'locationId'],
        values: [['1', '13']],
      },
    });
    expect(Object.keys(rows[0]!.dimensions).sort()).toEqual(['locationId', 'siteId']);
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
