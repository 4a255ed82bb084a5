import { describe, expect } from 'vitest';
import { ingest } from '../../src/main/ingest/ingest';
import type { SyncStatus } from '../../src/shared/sync-status';
import { author } from '../helpers/people';
import { syncTest } from '../helpers/sync-stack';
import { dataset, expectEndState, expectNothingTwice, readEndState, settled } from './fixtures';

/** Periodic sync on, every "minute" of `minuteMs`, started later by the test. */
const periodic = (minuteMs: number) => ({
  emulator: { importDelayMs: 20, postingDelayMs: 40 },
  timing: { minuteMs },
  transactions: {
    periodicSyncToIV: true,
    periodicSyncToFno: true,
    ivSyncFrequencyMinutes: 1,
    fnoSyncFrequencyMinutes: 1,
  },
  start: 'no' as const,
});

describe('offline', () => {
  syncTest(
    'keeps lines entered while the upstreams are down and catches up by itself when they return',
    async ({ stack }) => {
      const { l: layer, emu: emulator } = await stack.open(periodic(300));
      const pushed: SyncStatus[] = [];
      layer.events.on('sync.status', (s) => pushed.push(s));
      layer.sync.start({ autoInitialize: true });
      // Auto-Initialize is due at once: moving the clock waits for it.
      await stack.clock.advance(0);
      expect(layer.settings.read().isFeatureInitialized).toBe(true);

      await emulator.stop();
      const planned = dataset('off');
      const outcome = ingest(
        layer.ledger,
        planned.map((p) => p.line),
        {
          source: 'form',
          author: author('clerk'),
          instantIv: true,
        },
      );
      expect(outcome.kind).toBe('ok');
      layer.sync.linesAdded(true);
      // Sync now queues behind the instant run: once it answers, both have failed.
      await layer.sync.run('iv');

      // Down: the IV job fails, says so, and keeps its own retry timer.
      const down = layer.sync.status();
      expect(down.jobs.iv).toMatchObject({ state: 'offline', consecutiveFailures: 2 });
      expect(down.upstream.iv).toBe('offline');
      expect(down.jobs.iv.message).toContain('cannot be reached');
      expect(down.lineCounts.Created).toBe(planned.length);
      expect(down.unsynced).toBe(planned.length);
      const line = layer.ledger.lines.list({ top: 1, skip: 0, direction: 'asc', orderBy: 'createdAt' })
        .value[0]!;
      expect(line.status).toBe('Created');
      expect(line.lastError).toMatch(/ECONNREFUSED|network|fetch failed/i);
      expect(line.lastErrorKind).toBe('retry');
      // The retry is due within the backoff (second failure: minBackoffMs 50 doubled, with its
      // jitter: 50 to 100 ms), and fails again while the services are down.
      const retryIn = Date.parse(down.jobs.iv.nextRunAt!) - stack.clock.now();
      expect(retryIn).toBeGreaterThanOrEqual(50);
      expect(retryIn).toBeLessThanOrEqual(100);
      await stack.clock.advance(retryIn);
      expect(layer.sync.status().jobs.iv).toMatchObject({ state: 'offline', consecutiveFailures: 3 });
      expect(layer.sync.runs(1)[0]).toMatchObject({ job: 'iv', trigger: 'retry', outcome: 'failed' });
      // The status goes out (coalesced, 200 ms) without anyone asking for it.
      await stack.clock.advance(200);
      expect(pushed.some((s) => s.jobs.iv.state === 'offline')).toBe(true);

      // Back: no new line, no "Sync now": the timers bring everything across.
      await emulator.start();
      const back = stack.clock.now();
      while (!settled(layer.ledger)) {
        if (stack.clock.now() - back > 30_000) throw new Error('not settled 30 s of sync time after');
        await stack.clock.advance(100);
      }
      const state = readEndState(layer.ledger);
      expectEndState(state, planned, emulator);
      expectNothingTwice(state, emulator);
      // Every run the clock started has ended: both jobs idle, and online.
      const after = layer.sync.status();
      expect(after.jobs.iv.state).toBe('idle');
      expect(after.jobs.fno.state).toBe('idle');
      expect(after.upstream.iv).toBe('online');
      expect(after.jobs.iv.consecutiveFailures).toBe(0);
      expect(after.jobs.iv.lastSuccessAt).not.toBeNull();
      expect(layer.sync.runs(200).some((r) => r.trigger === 'retry' && r.outcome !== 'failed')).toBe(true);
    },
  );
});

describe('online indicator with nothing to send', () => {
  syncTest(
    'turns offline when the services stop answering and online when they return, with no line queued',
    async ({ stack }) => {
      const { l, emu: emulator } = await stack.open(periodic(200));
      l.sync.start({ autoInitialize: true });
      await stack.clock.advance(0);
      expect(l.settings.read().isFeatureInitialized).toBe(true);
      const upstream = () => l.sync.status().upstream;
      // The session's first runs (IV at startDelayMs 50, SCM after it) find nothing to send and
      // check the services instead.
      await stack.clock.advance(75);
      expect(upstream()).toEqual({ iv: 'online', scm: 'online' });

      await emulator.stop();
      // The next periodic runs, one "minute" (200 ms) on.
      await stack.clock.advance(200);
      expect(upstream()).toEqual({ iv: 'offline', scm: 'offline' });
      expect(l.sync.status().lineCounts.Created).toBe(0);

      await emulator.start();
      await stack.clock.advance(200);
      expect(upstream()).toEqual({ iv: 'online', scm: 'online' });
    },
  );
});
