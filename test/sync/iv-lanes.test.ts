// The IV job's lanes against a scripted IV (no HTTP): a pool that keeps every lane busy, the
// next call on the wire before the previous answer is committed, and one 429 stopping every lane.
// IV's latency is on a TestClock: a call's answer comes when its time is due, in order, so which
// call starts before which answer is the same on any machine, however loaded.
import { afterEach, describe, expect, it } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import { ingest } from '../../src/main/ingest/ingest';
import { connectionOf } from '../../src/main/ledger/internal';
import { SyncStore } from '../../src/main/ledger/sync-store';
import type { JobContext } from '../../src/main/sync/context';
import { runIvJob } from '../../src/main/sync/iv-job';
import { DEFAULT_TIMING } from '../../src/main/sync/timing';
import { type IvClient, type OnHandEvent, UpstreamError } from '../../src/main/upstream';
import { openLayer, seedLine } from '../helpers/layer';
import { author } from '../helpers/people';
import { TestClock } from '../helpers/test-clock';

interface Call {
  n: number;
  ids: string[];
  /** Status of the lines of the call answered just before this one started, at its start. */
  previousAnswerStatus: string | null;
  /** How many calls had started when this one answered. */
  startedBeforeAnswer?: number;
}

/** The time of the job and of the scripted IV's latency. */
let clock = new TestClock();

/** IV in a box: `answer(n)` says how call n (0-based) ends, after how long (on `clock`). */
function scriptedIv(
  l: BusinessLayer,
  answer: (n: number) => { ms: number; throttle?: number; reject?: number; hold?: number },
): { iv: IvClient; calls: Call[]; inFlightMax: () => number } {
  const calls: Call[] = [];
  let inFlight = 0;
  let max = 0;
  let lastAnswered: string | null = null;
  const iv = {
    postOnHandBulk: async (events: OnHandEvent[]) => {
      const n = calls.length;
      calls.push({
        n,
        ids: events.map((e) => e.id),
        previousAnswerStatus: lastAnswered ? l.ledger.lines.get(lastAnswered)!.status : null,
      });
      inFlight++;
      max = Math.max(max, inFlight);
      const { ms, throttle, reject = 0, hold = 0 } = answer(n);
      await clock.sleep(ms);
      inFlight--;
      calls[n]!.startedBeforeAnswer = calls.length;
      lastAnswered = events[0]!.id;
      if (throttle !== undefined)
        throw new UpstreamError({
          kind: 'retry',
          service: 'iv',
          status: 429,
          retryAfterMs: throttle,
          upstreamMessage: 'Too many requests',
        });
      const ids = events.map((e) => e.id);
      // The first `reject` lines are refused, two messages taking turns; the next `hold` are not confirmed.
      const rejected = ids
        .slice(0, reject)
        .map((id, i) => ({ id, statusCode: 400, message: `Unknown product (${i % 2})` }));
      const held = ids.slice(reject, reject + hold);
      return {
        accepted: ids.slice(reject + hold),
        rejected,
        held,
        heldReason: held.length > 0 ? 'No answer for these events' : null,
        raw: '',
      };
    },
  } as unknown as IvClient;
  return { iv, calls, inFlightMax: () => max };
}

function context(l: BusinessLayer, iv: IvClient, lanes: number): JobContext {
  const store = new SyncStore(connectionOf(l.ledger));
  const settings = l.settings.read();
  return {
    store,
    runId: store.history.startRun('iv', 'demand', new Date().toISOString()),
    trigger: 'demand',
    settings: { ...settings, transactions: { ...settings.transactions, upstreamCallsInFlight: lanes } },
    timing: DEFAULT_TIMING,
    clock,
    iv,
    scm: null as never,
    counts: {},
    reached: () => {},
    callFailed: () => {},
    stopping: () => false,
  };
}

function addLines(l: BusinessLayer, n: number): string[] {
  const lines = Array.from({ length: n }, (_, i) =>
    seedLine({ id: `lane-${i}`, quantity: 1, dimensions: { siteId: '1', locationId: '13' } }),
  );
  const outcome = ingest(l.ledger, lines, { source: 'api', author: author('test'), instantIv: false });
  if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome));
  return outcome.results.map((r) => r.lineRecordId);
}

const statusOf = (l: BusinessLayer, ids: string[]) =>
  new Set(ids.map((id) => l.ledger.lines.get(id)!.status));

describe('IV lanes', () => {
  let l: BusinessLayer | null = null;
  afterEach(async () => {
    await l?.close();
    l = null;
    clock = new TestClock();
  });

  it('is a pool, not waves: while one call is slow the other lanes take every other batch, never more than the bound', async () => {
    l = openLayer();
    const ids = addLines(l, 16 * 512);
    // The first call takes 600 ms; every other one 20 ms.
    const box = scriptedIv(l, (n) => ({ ms: n === 0 ? 600 : 20 }));
    const result = await runIvJob(context(l, box.iv, 4), { includeHeldBack: true, instantOnly: false });
    expect(result.lineErrors).toBe(0);
    expect(box.calls).toHaveLength(16);
    expect(box.inFlightMax()).toBe(4);
    // Waves of 4 would start nothing more until the slow call answers; the pool ran the 15
    // other calls on three lanes meanwhile.
    expect(box.calls[0]!.startedBeforeAnswer).toBe(16);
    expect(statusOf(l, ids)).toEqual(new Set(['IVPosted']));
    const each = box.calls.flatMap((c) => c.ids);
    expect(new Set(each).size).toBe(each.length);
  });

  it("sends a lane's next 512 as soon as IV answers, before that answer is committed", async () => {
    l = openLayer();
    addLines(l, 8 * 512);
    const box = scriptedIv(l, () => ({ ms: 20 }));
    await runIvJob(context(l, box.iv, 2), { includeHeldBack: true, instantOnly: false });
    expect(box.calls).toHaveLength(8);
    // Every call after the first two left right after another call's answer, whose lines were
    // still Created then (committed just after): the lane never waits for its own commit.
    const after = box.calls.slice(2);
    expect(after.every((c) => c.previousAnswerStatus === 'Created')).toBe(true);
  });

  it('stops every lane on a 429: no call leaves after it, the calls in flight are committed, Retry-After is kept', async () => {
    l = openLayer();
    const ids = addLines(l, 12 * 512);
    // Call 1 is throttled after 20 ms; calls 0, 2 and 3 are still in flight then (150 ms).
    const box = scriptedIv(l, (n) => (n === 1 ? { ms: 20, throttle: 3000 } : { ms: 150 }));
    const run = runIvJob(context(l, box.iv, 4), { includeHeldBack: true, instantOnly: false });
    await expect(run).rejects.toMatchObject({ status: 429, retryAfterMs: 3000 });
    expect(box.calls).toHaveLength(4);
    const posted = ids.filter((id) => l!.ledger.lines.get(id)!.status === 'IVPosted');
    expect(new Set(posted)).toEqual(new Set([0, 2, 3].flatMap((n) => box.calls[n]!.ids)));
    expect(statusOf(l, box.calls[1]!.ids)).toEqual(new Set(['Created']));
    expect(ids.length - posted.length).toBe(9 * 512);
    // Each of the throttled call's 512 lines carries the answer, once.
    const throttled = box.calls[1]!.ids.map((id) => l!.ledger.lines.get(id)!);
    expect(new Set(throttled.map((line) => [line.lastErrorKind, line.attempts].join()))).toEqual(
      new Set(['retry,1']),
    );
    expect(throttled.every((line) => /too many requests/i.test(line.lastError ?? ''))).toBe(true);
  });

  it("keeps each refused line's own message and holds back the lines IV did not confirm", async () => {
    l = openLayer();
    const ids = addLines(l, 512);
    const box = scriptedIv(l, () => ({ ms: 1, reject: 5, hold: 3 }));
    await runIvJob(context(l, box.iv, 1), { includeHeldBack: false, instantOnly: false });
    const sent = box.calls[0]!.ids;
    const line = (id: string) => l!.ledger.lines.get(id)!;
    expect(
      sent.slice(0, 5).map((id) => [line(id).status, line(id).lastErrorKind, line(id).lastError]),
    ).toEqual([0, 1, 0, 1, 0].map((i) => ['Created', 'data', `Unknown product (${i})`]));
    expect(new Set(sent.slice(5, 8).map((id) => [line(id).status, line(id).lastErrorKind].join()))).toEqual(
      new Set(['Created,retry']),
    );
    expect(line(sent[5]!).lastError).toMatch(/No answer for these events/);
    expect(statusOf(l, sent.slice(8))).toEqual(new Set(['IVPosted']));
    expect(sent.map((id) => line(id).attempts)).toEqual(sent.map(() => 1));
    expect(ids).toHaveLength(512);
  });
});
