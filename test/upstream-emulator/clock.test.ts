// SCM's side on a clock the test moves: the import delay, the posting job's recurrence and the
// offset lag fall due exactly when the clock passes them, and the times SCM writes are that clock's.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/test-clock';
import { type Emulator, startEmulator } from './index';
import { buildPackage, client, event, journal, line } from './test-client';

let emu: Emulator;
let clock: TestClock;

beforeAll(async () => {
  clock = new TestClock(Date.parse('2026-03-02T08:00:00.000Z'));
  emu = await startEmulator({ importDelayMs: 1_000, postingDelayMs: 60_000, offsetLagMs: 5_000, clock });
});
afterAll(() => emu.close());
beforeEach(() => emu.admin.reset());

const { scmToken, ivToken, ivPost, query, enqueue, jobStatus } = client(() => emu);

describe("the emulator's SCM on a test's clock", () => {
  it('imports, posts and offsets when the clock passes their times, not before, with that clock on what it writes', async () => {
    const iv = await ivToken();
    await ivPost(iv, 'bulk', [event('c-1', 4)]);
    const token = await scmToken();
    const sent = clock.now();
    const id = await enqueue(
      token,
      buildPackage(emu.admin.dataProject(), [
        journal('SL-C-1', 'Posted', [line({ InventoryServiceTransactionId: 'c-1', InventoryQuantity: 4 })]),
      ]),
    );
    const state = async () => String((await jobStatus(token, id)).DataJobStatus.DataJobState);
    // Real time passing moves nothing.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await state()).toBe('Enqueued');
    // In process from half the import delay, imported at the delay.
    await clock.advance(499);
    expect(await state()).toBe('Enqueued');
    await clock.advance(1);
    expect(await state()).toBe('InProcess');
    await clock.advance(500);
    expect(await state()).toBe('Processed');
    const [created] = emu.admin.journals();
    expect(created).toMatchObject({ IsPosted: 'No', createdAt: new Date(sent + 1_000).toISOString() });

    // The posting job passes one recurrence after the journal came: "the job passed" is a step.
    await clock.advance(59_999);
    expect(emu.admin.journals()[0]!.IsPosted).toBe('No');
    await clock.advance(1);
    const posted = emu.admin.journals()[0]!;
    expect(posted.IsPosted).toBe('Yes');
    expect(posted.PostedDateTime).toBe(`${new Date(sent + 61_000).toISOString().slice(0, 19)}Z`);

    // The offset follows the posting after its lag.
    const cell = async () => (await query(iv, ['siteId', 'locationId'], [['1', '13']]))[0]?.quantities;
    expect((await cell())?.['@iv']).toEqual({ adjustment: 4 });
    await clock.advance(4_999);
    expect((await cell())?.['@iv']).toEqual({ adjustment: 4 });
    await clock.advance(1);
    expect((await cell())?.['@iv']).toEqual({ adjustment: 0 });
    await emu.admin.idle();
  });
});
