// A fixed defect: saving one setting reset the others, because the partial schemas
// still filled the full schema's `.default()`s for every field the patch left out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisioningSchema, settingsPatchSchema } from '../../src/shared/settings';
import { type ApiFixture, startApi } from '../helpers/layer';

const ACTIVITY = '0cdb527f-a8d1-4bf8-9436-b352c68682b2';
const TOKEN = 'per-run-token-for-settings';
let f: ApiFixture;
beforeAll(async () => {
  f = await startApi({ rpcToken: TOKEN });
});
afterAll(async () => {
  await f?.close();
});

async function rpc<T>(name: string, input: unknown): Promise<T> {
  const res = await fetch(`${f.server.baseUrl}/rpc/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...f.rpcHeaders },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; value: T };
  expect(body.ok).toBe(true);
  return body.value;
}

describe('a partial settings update', () => {
  it('parses to only the fields it names', () => {
    expect(settingsPatchSchema.parse({ transactions: { fnoSyncMaxLineCount: 500 } })).toEqual({
      transactions: { fnoSyncMaxLineCount: 500 },
    });
    expect(
      provisioningSchema.parse({ environmentId: 'env-a', transactions: { ivSyncFrequencyMinutes: 5 } }),
    ).toEqual({ environmentId: 'env-a', transactions: { ivSyncFrequencyMinutes: 5 } });
  });

  it('over RPC changes the named fields and keeps the activity ID, the frequencies and Is feature initialized', async () => {
    await rpc('settings.update', {
      transactions: { fnoAdjustmentIntegrationActivityId: ACTIVITY, ivSyncFrequencyMinutes: 7 },
    });
    f.layer.settings.setInitialized(true);

    await rpc('settings.update', { transactions: { fnoSyncMaxLineCount: 500, fnoSyncFrequencyMinutes: 9 } });
    let view = await rpc<{ isFeatureInitialized: boolean; transactions: Record<string, unknown> }>(
      'settings.get',
      {},
    );
    expect(view.transactions).toMatchObject({
      fnoAdjustmentIntegrationActivityId: ACTIVITY,
      fnoSyncMaxLineCount: 500,
      ivSyncFrequencyMinutes: 7,
      fnoSyncFrequencyMinutes: 9,
    });
    expect(view.isFeatureInitialized).toBe(true);

    // Typing the ID back (unchanged) resets nothing either.
    await rpc('settings.update', { transactions: { fnoAdjustmentIntegrationActivityId: ACTIVITY } });
    view = await rpc('settings.get', {});
    expect(view.transactions).toMatchObject({ fnoSyncMaxLineCount: 500, ivSyncFrequencyMinutes: 7 });
    expect(view.isFeatureInitialized).toBe(true);
  });
});
