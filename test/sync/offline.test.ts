import { describe, expect } from 'vitest';
import { ingest } from '../../src/main/ingest/ingest';
import type { SyncStatus } from '../../src/shared/sync-status';
import { syncTest } from '../helpers/sync-stack';
import { dataset, expectEndState, expectNothingTwice, readEndState, settled, waitFor } from './fixtures';

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
      const l = layer;
      await waitFor('initialized', () => l.settings.read().isFeatureInitialized, 10_000);

      await emulator.stop();
      const planned = dataset('off');
      const outcome = ingest(
        layer.ledger,
        planned.map((p) => p.line),
        {
          source: 'form',
          createdBy: 'clerk',
          instantIv: true,
        },
      );
      expect(outcome.kind).toBe('ok');
      layer.sync.linesAdded(true);

      // Down: the IV job fails, says so, and keeps its own retry timer.
      const down = await waitFor(
        'the IV job to report offline',
        () => {
          const s = l.sync.status();
          return s.jobs.iv.state === 'offline' && s.jobs.iv.consecutiveFailures >= 2 ? s : null;
        },
        10_000,
      );
      expect(down.upstream.iv).toBe('offline');
      expect(down.jobs.iv.nextRunAt).not.toBeNull();
      expect(down.jobs.iv.message).toContain('cannot be reached');
      expect(down.lineCounts.Created).toBe(planned.length);
      expect(down.unsynced).toBe(planned.length);
      const line = layer.ledger.lines.list({ top: 1, skip: 0, direction: 'asc', orderBy: 'createdAt' })
        .value[0]!;
      expect(line.status).toBe('Created');
      expect(line.lastError).toMatch(/ECONNREFUSED|network|fetch failed/i);
      expect(line.lastErrorKind).toBe('retry');
      await waitFor('a pushed offline status', () => pushed.some((s) => s.jobs.iv.state === 'offline'), 2000);

      // Back: no new line, no "Sync now": the timers bring everything across.
      await emulator.start();
      await waitFor('every line settled', () => settled(l.ledger), 30_000, 100);
      const state = readEndState(layer.ledger);
      expectEndState(state, planned, emulator);
      expectNothingTwice(state, emulator);
      const after = await waitFor(
        'both jobs idle and online',
        () => {
          const s = l.sync.status();
          return s.jobs.iv.state === 'idle' && s.jobs.fno.state === 'idle' && s.upstream.iv === 'online'
            ? s
            : null;
        },
        5000,
      );
      expect(after.jobs.iv.consecutiveFailures).toBe(0);
      expect(after.jobs.iv.lastSuccessAt).not.toBeNull();
      expect(layer.sync.runs(200).some((r) => r.trigger === 'retry' && r.outcome !== 'failed')).toBe(true);
    },
    60_000,
  );
});

describe('online indicator with nothing to send', () => {
  syncTest(
    'turns offline when the services stop answering and online when they return, with no line queued',
    async ({ stack }) => {
      const { l: layer, emu: emulator } = await stack.open(periodic(200));
      layer.sync.start({ autoInitialize: true });
      const l = layer;
      await waitFor('initialized', () => l.settings.read().isFeatureInitialized, 10_000);
      await waitFor(
        'both online',
        () => {
          const u = l.sync.status().upstream;
          return u.iv === 'online' && u.scm === 'online';
        },
        10_000,
      );

      await emulator.stop();
      await waitFor(
        'both offline',
        () => {
          const u = l.sync.status().upstream;
          return u.iv === 'offline' && u.scm === 'offline';
        },
        10_000,
      );
      expect(l.sync.status().lineCounts.Created).toBe(0);

      await emulator.start();
      await waitFor(
        'both online again',
        () => {
          const u = l.sync.status().upstream;
          return u.iv === 'online' && u.scm === 'online';
        },
        10_000,
      );
    },
  );
});
