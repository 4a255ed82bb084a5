// Nothing waiting for a manager is sent upstream: the sync sends the store's lines to IV and SCM
// and never a held one; once approved, it goes with the next run like any line.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ApiFixture, postJson, seedLine, startApi } from '../helpers/layer';
import { type Emulator, provisioningConfig, startEmulator } from '../upstream-emulator';

let emulator: Emulator;
let api: ApiFixture;
let base: string;
beforeAll(async () => {
  emulator = await startEmulator({ importDelayMs: 10, postingDelayMs: 20 });
  api = await startApi();
  api.layer.settings.applyProvisioning(provisioningConfig(emulator));
  api.layer.settings.update({ approvals: { unitsThreshold: 50, holdStoreSystems: true } });
  await api.layer.sync.initialize();
  api.layer.sync.start({ autoInitialize: false });
  base = `${api.server.baseUrl}/api/environment/${emulator.credentials.environmentId}/transaction`;
});
afterAll(async () => {
  await api.close();
  await emulator.close();
});

it('sends the stored lines and never the held one; the approved one goes with the next run', async () => {
  const res = await postJson(`${base}/adjustment/bulk`, [
    seedLine({ id: 'sent-1', quantity: 3 }),
    seedLine({ id: 'held-1', quantity: 90 }),
  ]);
  const answer = (await res.json()) as {
    id: string;
    status: string;
    lineRecordId?: string;
    heldId?: string;
  }[];
  expect(answer.map((a) => a.status)).toEqual(['Created', 'WaitingForApproval']);
  await api.layer.sync.run('all');
  // IV's events are the lines' record IDs: only the stored line's.
  const ids = () => emulator.admin.events().map((e) => e.id);
  expect(ids()).toEqual([answer[0]!.lineRecordId]);
  const manager = { kind: 'person' as const, id: 'p-m', name: 'Mia', role: 'manager' as const };
  const approved = api.layer.approvals.approve(answer[1]!.heldId!, manager);
  await api.layer.sync.run('all');
  expect(ids()).toEqual([answer[0]!.lineRecordId, approved.lineRecordId]);
});
