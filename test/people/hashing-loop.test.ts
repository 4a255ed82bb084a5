// A PIN is checked with scrypt in libuv's thread pool (people/hashing.ts): a sign-in never
// holds the event loop the tills' posts and the grid share. Twenty sign-ins sent at once (right
// and wrong PINs of several people) are answered, while the loop is never held past the bound
// of the project's other "never block" tests; /health answers meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slowHash, slowVerify } from '../../src/main/people/hashing';
import { type ApiFixture, startApi } from '../helpers/layer';
import { expectLoopFree, loopLagDuring } from '../helpers/loop-lag';
import { call, PIN, type SignedIn, signedIn } from '../helpers/people';

let f: ApiFixture;
const staff: SignedIn[] = [];
beforeAll(async () => {
  f = await startApi({ rpcToken: 'per-run-token-hashing' });
  for (const name of ['Carl Clerk', 'Dora Clerk', 'Emil Clerk', 'Fay Clerk'])
    staff.push(await signedIn(f.layer, 'clerk', name));
}, 60_000);
afterAll(async () => {
  await f?.close();
});

describe('scrypt off the event loop', () => {
  it('a hash names its parameters and verifies only its own PIN', async () => {
    const stored = await slowHash('4711');
    expect(stored).toMatch(/^scrypt\$32768\$8\$3\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(await slowVerify('4711', stored)).toBe(true);
    expect(await slowVerify('4712', stored)).toBe(false);
    expect(await slowVerify('4711', 'scrypt$0$8$3$x$y')).toBe(false);
  });

  it('twenty sign-ins at once hold the loop no longer than any other work, and /health answers meanwhile', async () => {
    const attempts = Array.from({ length: 20 }, (_, i) => {
      const who = staff[i % staff.length]!;
      // Three wrong in a row per person at most: nobody is locked out by this test.
      const pin = i % 5 === 0 ? '0000' : PIN;
      return { caller: { session: null, bind: () => {} }, personId: who.actor.id!, pin };
    });
    let healthMs = 0;
    const probe = await loopLagDuring(async () => {
      const replies = Promise.all(
        attempts.map((a) => call(f.layer, a.caller, 'session.signIn', { personId: a.personId, pin: a.pin })),
      );
      const started = performance.now();
      const health = await fetch(`${f.server.baseUrl}/health`);
      healthMs = performance.now() - started;
      expect(health.status).toBe(200);
      return replies;
    });
    expect(probe.outcome.status).toBe('fulfilled');
    const replies = (probe.outcome as PromiseFulfilledResult<{ ok: boolean }[]>).value;
    expect(replies.map((r) => r.ok)).toEqual(attempts.map((a) => a.pin === PIN));
    expect(healthMs, 'the /health answer took').toBeLessThan(500);
    expectLoopFree(probe, 100);
  });
});
