import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BusinessLayer } from '../../src/main/business-layer';
import { FileSecretStore } from '../../src/main/config/secret-store';
import { ingest } from '../../src/main/ingest/ingest';
import { tempDir } from '../helpers/layer';
import { type Emulator, startEmulator } from '../upstream-emulator';
import {
  configure,
  dataset,
  expectEndState,
  expectIvQuantities,
  expectNothingTwice,
  FAST_TIMING,
  readEndState,
  settled,
  waitFor,
} from './fixtures';

let emulator: Emulator | null = null;
let layer: BusinessLayer | null = null;

afterEach(async () => {
  await layer?.close();
  await emulator?.close();
  layer = null;
  emulator = null;
});

describe('sync under injected faults', () => {
  it('reaches the same end state with 20% faults on every endpoint, lost answers included, nothing counted twice', async () => {
    emulator = await startEmulator({ importDelayMs: 30, postingDelayMs: 60, seed: 9 });
    const dataDir = tempDir();
    layer = BusinessLayer.open({
      dataDir,
      secrets: new FileSecretStore(path.join(dataDir, 'secrets.json')),
      platform: 'headless',
      version: 'test',
      // A hung request costs this long: short, the emulator answers in milliseconds.
      upstreamTimeoutMs: 600,
      syncTiming: FAST_TIMING,
      log: () => {},
    });
    // Small journals: more files, more calls, more faults on the way.
    configure(layer, emulator, {
      ivSyncFrequencyMinutes: 1,
      fnoSyncFrequencyMinutes: 1,
      fnoSyncMaxLineCount: 8,
    });
    expect((await layer.sync.initialize()).initialized).toBe(true);

    // Every line is recorded before sync starts, so that SCM aggregates them all together.
    const planned = dataset('ft');
    for (let i = 0; i < planned.length; i += 50) {
      const outcome = ingest(
        layer.ledger,
        planned.slice(i, i + 50).map((p) => p.line),
        { source: 'api', createdBy: 'test', instantIv: false },
      );
      expect(outcome.kind).toBe('ok');
    }
    emulator.admin.setFault({
      endpoint: '*',
      rate: 0.2,
      kinds: ['429', '500', 'hang', 'drop', 'lost'],
      retryAfterSeconds: 1,
    });

    // No "Sync now": the periodic timers and the backoff get there by themselves.
    const started = Date.now();
    layer.sync.start();
    const l = layer;
    await waitFor('every line settled', () => settled(l.ledger), 75_000, 100);
    const elapsed = Date.now() - started;
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
      `faults: settled in ${elapsed} ms, ${counters.faultsInjected} faults injected, ${runs.length} runs ` +
        `(${runs.filter((r) => r.outcome === 'failed').length} failed); IV duplicates ${counters.ivEventsDuplicate}, ` +
        `SCM duplicate rows ${counters.scmRowsDuplicate}, enqueue calls ${counters.scmEnqueueCalls}`,
    );
  }, 90_000);
});

describe('a journal file whose enqueue answer was lost', () => {
  async function setup(importDelayMs: number) {
    emulator = await startEmulator({ importDelayMs, postingDelayMs: 20 });
    const dataDir = tempDir();
    layer = BusinessLayer.open({
      dataDir,
      secrets: new FileSecretStore(path.join(dataDir, 'secrets.json')),
      platform: 'headless',
      version: 'test',
      upstreamTimeoutMs: 1000,
      syncTiming: { ...FAST_TIMING, inRunFollowMs: 0 },
      log: () => {},
    });
    configure(layer, emulator, { periodicSyncToIV: false, periodicSyncToFno: false });
    layer.sync.start();
    expect((await layer.sync.initialize()).initialized).toBe(true);
    const lines = dataset('lost')
      .filter((p) => p.expected === 'FnOPosted')
      .slice(0, 6);
    expect(
      ingest(
        layer.ledger,
        lines.map((p) => p.line),
        { source: 'api', createdBy: 't', instantIv: false },
      ).kind,
    ).toBe('ok');
    emulator.admin.setFault({ endpoint: 'scmEnqueue', rate: 1, kinds: ['lost'] });
    const first = await layer.sync.run('all');
    expect(first.runs[1]).toMatchObject({ job: 'fno', outcome: 'failed' });
    emulator.admin.clearFaults();
    return layer;
  }

  it('is read back before anything is sent again; SCM had it already: nothing is resent', async () => {
    const l = await setup(0);
    await emulator!.admin.idle();
    for (let i = 0; i < 5 && !settled(l.ledger); i++) await l.sync.run('fno');
    expect(settled(l.ledger)).toBe(true);
    const c = emulator!.admin.counters();
    expect(c.scmEnqueueCalls).toBe(1);
    const state = readEndState(l.ledger);
    expect([...state.aggregated.values()].every((a) => a.status === 'FnOPosted')).toBe(true);
    expectNothingTwice(state, emulator!);
  });

  it('SCM had not imported it yet: the resend is answered "already exists", read back, and imported once', async () => {
    const l = await setup(300);
    for (let i = 0; i < 10 && !settled(l.ledger); i++) {
      await l.sync.run('fno');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(settled(l.ledger)).toBe(true);
    const c = emulator!.admin.counters();
    expect(c.scmEnqueueCalls).toBe(2);
    const state = readEndState(l.ledger);
    expect(c.scmRowsDuplicate).toBe(state.aggregated.size);
    expect([...state.aggregated.values()].every((a) => a.status === 'FnOPosted')).toBe(true);
    expectNothingTwice(state, emulator!);
    const attempts = l.sync.attemptsFor([...state.aggregated.keys()][0]!);
    expect(attempts.filter((a) => a.action === 'enqueue').map((a) => a.outcome)).toEqual(['ok', 'retry']);
  });
});
