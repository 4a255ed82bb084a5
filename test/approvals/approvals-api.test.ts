// The bulk API's answer for a line that waits for a manager: in its place in the request, with
// the held line's ID and why, and nothing of it in the ledger until a manager approves.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ApiFixture, getJson, postJson, seedLine, startApi } from '../helpers/layer';

let f: ApiFixture;
beforeAll(async () => {
  f = await startApi();
  f.layer.settings.update({ approvals: { unitsThreshold: 50, holdStoreSystems: true } });
});
afterAll(async () => {
  await f.close();
});

it('answers a held line in its place as WaitingForApproval, stores the rest, and a manager’s Approve stores it', async () => {
  const res = await postJson(`${f.api}/adjustment/bulk`, [
    seedLine({ id: 'a-1', quantity: 1 }),
    seedLine({ id: 'a-2', quantity: 75 }),
    seedLine({ id: 'a-3', quantity: 2 }),
  ]);
  expect(res.status).toBe(200);
  const body = (await res.json()) as Record<string, unknown>[];
  expect(body.map((r) => [r.id, r.status])).toEqual([
    ['a-1', 'Created'],
    ['a-2', 'WaitingForApproval'],
    ['a-3', 'Created'],
  ]);
  expect(body[1]).toMatchObject({ heldId: expect.any(String), message: expect.stringContaining('75 units') });
  const stored = await getJson(`${f.api}/adjustment/lines?top=10`);
  expect((stored.body as { value: { id: string }[] }).value.map((l) => l.id).sort()).toEqual(['a-1', 'a-3']);
  const manager = { kind: 'person' as const, id: 'p-test', name: 'Mia', role: 'manager' as const };
  f.layer.approvals.approve(body[1]!.heldId as string, manager);
  const after = await getJson(`${f.api}/adjustment/lines?top=10`);
  expect(
    (after.body as { value: { id: string; approvedBy: string | null }[] }).value.find((l) => l.id === 'a-2'),
  ).toMatchObject({
    approvedBy: 'Mia',
  });
});
