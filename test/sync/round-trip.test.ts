import { afterEach, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../../src/main/api/local-server';
import type { BusinessLayer } from '../../src/main/business-layer';
import { API_KEY, openLayer } from '../helpers/layer';
import { TestClock } from '../helpers/test-clock';
import { type Emulator, startEmulator } from '../upstream-emulator';
import {
  configure,
  dataset,
  expectEndState,
  expectIvQuantities,
  expectNothingTwice,
  FAST_TIMING,
  postLines,
  readEndState,
  settled,
} from './fixtures';

let emulator: Emulator | null = null;
let layer: BusinessLayer | null = null;
let server: LocalServer | null = null;

afterEach(async () => {
  await server?.close();
  await layer?.close();
  await emulator?.close();
  server = null;
  layer = null;
  emulator = null;
});

describe('sync round trip against the emulator', () => {
  it('takes ~300 lines from the API to IV and SCM journals, each line ending in the right status', async () => {
    // The engine and SCM's side on one clock the test moves (test/helpers/test-clock.ts).
    const clock = new TestClock();
    emulator = await startEmulator({ importDelayMs: 30, postingDelayMs: 60, clock });
    layer = openLayer(undefined, { syncTiming: FAST_TIMING, clock });
    configure(layer, emulator, { periodicSyncToIV: false, periodicSyncToFno: false });
    server = await startLocalServer(layer, { port: 0, log: () => {} });
    layer.sync.start({ autoInitialize: true });
    // Auto-Initialize is due at once: moving the clock waits for it.
    await clock.advance(0);
    expect(layer.settings.read().isFeatureInitialized).toBe(true);

    const planned = dataset('rt');
    const api = `${server.baseUrl}/api/environment/${emulator.credentials.environmentId}/transaction`;
    await postLines(api, API_KEY, planned, 60);
    expect(layer.sync.status().lineCounts.Created).toBe(planned.length);

    // Sync now, as the clerk would, until nothing is left in flight (SCM's posting job posts on
    // its own recurrence; a journal it cannot post turns FnOPostError once overdue).
    const summaries: unknown[] = [];
    for (;;) {
      const res = await fetch(`${api}/sync?job=all`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      expect(res.status).toBe(200);
      summaries.push(await res.json());
      if (settled(layer.ledger)) break;
      // Not before its time: "Posting overdue after" 1 hour is 1.5 s here (FAST_TIMING.hourMs).
      expect(clock.elapsed(), 'settled within 2 "hours" of sync time').toBeLessThan(3000);
      await clock.advance(100);
    }

    const state = readEndState(layer.ledger);
    expectEndState(state, planned, emulator);
    expectNothingTwice(state, emulator);
    expect(await expectIvQuantities(state, emulator)).toBeGreaterThan(20);

    // The first answer reports the IV run and the SCM run with their counts.
    const first = summaries[0] as {
      runs: { job: string; outcome: string; counts: Record<string, number> }[];
    };
    expect(first.runs.map((r) => r.job)).toEqual(['iv', 'fno']);
    expect(first.runs[0]!.counts.accepted).toBe(planned.length);

    const status = layer.sync.status();
    // Not synced: refused before SCM created them. The lines SCM created but whose journal its
    // posting job did not post are counted apart, as waiting for that job.
    expect(status.unsynced).toBe(planned.filter((p) => p.expected === 'FnOCreateError').length);
    expect(status.awaitingPosting).toBe(planned.filter((p) => p.expected === 'FnOPostError').length);
    expect(status.jobs.iv.state).toBe('idle');
    expect(status.upstream).toEqual({ iv: 'online', scm: 'online' });

    // The attempt log tells a line's story: IV, then the journal file, then the read back.
    const posted = state.lines.find((x) => x.id === 'rt-A-0')!;
    const ivAttempts = layer.sync.attemptsFor(posted.lineRecordId);
    expect(ivAttempts[0]).toMatchObject({ job: 'iv', action: 'onhand/bulk', outcome: 'ok' });
    const aggAttempts = layer.sync.attemptsFor(posted.aggregatedLineId!);
    expect(aggAttempts.map((a) => a.action)).toEqual(
      expect.arrayContaining(['enqueue', 'readBack', 'journalHeaders']),
    );
    const failed = state.lines.find((x) => x.id === 'rt-E-0')!;
    const failedAttempts = layer.sync.attemptsFor(failed.aggregatedLineId!);
    expect(failedAttempts.find((a) => a.action === 'readBack')?.response).toContain('X9999');
    expect(layer.sync.runs(50).every((r) => r.outcome !== 'running')).toBe(true);
  }, 60_000);
});
