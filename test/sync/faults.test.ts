import { describe, expect } from 'vitest';
import { ingest } from '../../src/main/ingest/ingest';
import { author } from '../helpers/people';
import { type SyncStack, syncTest } from '../helpers/sync-stack';
import {
  dataset,
  expectEndState,
  expectIvQuantities,
  expectNothingTwice,
  readEndState,
  settled,
} from './fixtures';

describe('sync under injected faults', () => {
  syncTest(
    'reaches the same end state with 20% faults on every endpoint, lost answers included, nothing counted twice',
    async ({ stack }) => {
      const { l: layer, emu: emulator } = await stack.open({
        emulator: { importDelayMs: 30, postingDelayMs: 60, seed: 9 },
        // A hung request costs this long: short, the emulator answers in milliseconds.
        upstreamTimeoutMs: 600,
        // Small journals: more files, more calls, more faults on the way.
        transactions: {
          periodicSyncToIV: true,
          periodicSyncToFno: true,
          ivSyncFrequencyMinutes: 1,
          fnoSyncFrequencyMinutes: 1,
          fnoSyncMaxLineCount: 8,
        },
        start: 'no',
      });
      expect((await layer.sync.initialize()).initialized).toBe(true);

      // Every line is recorded before sync starts, so that SCM aggregates them all together.
      const planned = dataset('ft');
      for (let i = 0; i < planned.length; i += 50) {
        const outcome = ingest(
          layer.ledger,
          planned.slice(i, i + 50).map((p) => p.line),
          { source: 'api', author: author('test'), instantIv: false },
        );
        expect(outcome.kind).toBe('ok');
      }
      emulator.admin.setFault({
        endpoint: '*',
        rate: 0.2,
        kinds: ['429', '500', 'hang', 'drop', 'lost'],
        retryAfterSeconds: 1,
      });

      // No "Sync now": the periodic timers and the backoff get there by themselves as the clock
      // moves (each step waits for the runs it starts; a hung call still costs its real timeout).
      const started = stack.clock.now();
      layer.sync.start();
      while (!settled(layer.ledger)) {
        if (stack.clock.now() - started > 600_000) throw new Error('not settled in 10 minutes of sync time');
        await stack.clock.advance(100);
      }
      const elapsed = stack.clock.now() - started;
      emulator.admin.clearFaults();

      const counters = emulator.admin.counters();
      expect(counters.faultsInjected).toBeGreaterThan(8);
      const runs = layer.sync.runs(200);
      expect(runs.some((r) => r.outcome === 'failed')).toBe(true);
      expect(runs.some((r) => r.trigger === 'retry')).toBe(true);

      const state = readEndState(layer.ledger);
      expectEndState(state, planned, emulator);
      expectNothingTwice(state, emulator);
      await expectIvQuantities(state, emulator);
      console.log(
        `faults: settled in ${elapsed} ms of sync time, ${counters.faultsInjected} faults injected, ${runs.length} runs ` +
          `(${runs.filter((r) => r.outcome === 'failed').length} failed); IV duplicates ${counters.ivEventsDuplicate}, ` +
          `SCM duplicate rows ${counters.scmRowsDuplicate}, enqueue calls ${counters.scmEnqueueCalls}`,
      );
    },
    90_000,
  );
});

describe('a journal file whose enqueue answer was lost', () => {
  async function setup(stack: SyncStack, importDelayMs: number) {
    const { l: layer, emu: emulator } = await stack.open({
      emulator: { importDelayMs, postingDelayMs: 20 },
      upstreamTimeoutMs: 1000,
      timing: { inRunFollowMs: 0 },
    });
    const lines = dataset('lost')
      .filter((p) => p.expected === 'FnOPosted')
      .slice(0, 6);
    expect(
      ingest(
        layer.ledger,
        lines.map((p) => p.line),
        { source: 'api', author: author('t'), instantIv: false },
      ).kind,
    ).toBe('ok');
    emulator.admin.setFault({ endpoint: 'scmEnqueue', rate: 1, kinds: ['lost'] });
    const first = await layer.sync.run('all');
    expect(first.runs[1]).toMatchObject({ job: 'fno', outcome: 'failed' });
    emulator.admin.clearFaults();
    return layer;
  }

  syncTest(
    'is read back before anything is sent again; SCM had it already: nothing is resent',
    async ({ stack }) => {
      const l = await setup(stack, 0);
      const emulator = stack.emulator;
      await stack.untilScmIdle();
      for (let i = 0; i < 5 && !settled(l.ledger); i++) await l.sync.run('fno');
      expect(settled(l.ledger)).toBe(true);
      const c = emulator.admin.counters();
      expect(c.scmEnqueueCalls).toBe(1);
      const state = readEndState(l.ledger);
      expect([...state.aggregated.values()].every((a) => a.status === 'FnOPosted')).toBe(true);
      expectNothingTwice(state, emulator);
    },
  );

  syncTest(
    'SCM had not imported it yet: the resend is answered "already exists", read back, and imported once',
    async ({ stack }) => {
      const l = await setup(stack, 300);
      const emulator = stack.emulator;
      for (let i = 0; i < 10 && !settled(l.ledger); i++) {
        await l.sync.run('fno');
        await stack.clock.advance(100);
      }
      expect(settled(l.ledger)).toBe(true);
      const c = emulator.admin.counters();
      expect(c.scmEnqueueCalls).toBe(2);
      const state = readEndState(l.ledger);
      expect(c.scmRowsDuplicate).toBe(state.aggregated.size);
      expect([...state.aggregated.values()].every((a) => a.status === 'FnOPosted')).toBe(true);
      expectNothingTwice(state, emulator);
      const attempts = l.sync.attemptsFor([...state.aggregated.keys()][0]!);
      expect(attempts.filter((a) => a.action === 'enqueue').map((a) => a.outcome)).toEqual(['ok', 'retry']);
    },
  );
});
