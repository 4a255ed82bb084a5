/**
 * The one fixture for "emulator + business layer": `syncTest` gives each test a stack that
 * opens both on demand and closes them after the test, whatever happened.
 */
import { test } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import { ingest } from '../../src/main/ingest/ingest';
import type { SyncTiming } from '../../src/main/sync/timing';
import { configure, FAST_TIMING, type PlannedLine, settled, waitFor } from '../sync/fixtures';
import { type Emulator, type EmulatorOptions, startEmulator } from '../upstream-emulator';
import { openLayer } from './layer';

export interface StackOptions {
  emulator?: EmulatorOptions;
  /** Provisioned on top of the emulator's connection; periodic sync is off unless said here. */
  transactions?: Record<string, unknown>;
  timing?: Partial<SyncTiming>;
  upstreamTimeoutMs?: number;
  /** 'initialize' (default): start and Initialize now; 'auto': start with autoInitialize; 'no': leave stopped. */
  start?: 'initialize' | 'auto' | 'no';
  /** false: a fresh ledger with no settings at all (default: provisioned for the emulator). */
  provision?: boolean;
}

export class SyncStack {
  private emulatorValue: Emulator | null = null;
  private layerValue: BusinessLayer | null = null;

  get emulator(): Emulator {
    if (!this.emulatorValue) throw new Error('open the stack first');
    return this.emulatorValue;
  }

  get layer(): BusinessLayer {
    if (!this.layerValue) throw new Error('open the stack first');
    return this.layerValue;
  }

  async open(options: StackOptions = {}): Promise<{ l: BusinessLayer; emu: Emulator }> {
    this.emulatorValue = await startEmulator({ importDelayMs: 10, postingDelayMs: 20, ...options.emulator });
    this.layerValue = openLayer(undefined, {
      syncTiming: { ...FAST_TIMING, ...options.timing },
      ...(options.upstreamTimeoutMs !== undefined && { upstreamTimeoutMs: options.upstreamTimeoutMs }),
    });
    if (options.provision !== false)
      configure(this.layerValue, this.emulatorValue, {
        periodicSyncToIV: false,
        periodicSyncToFno: false,
        ...options.transactions,
      });
    const start = options.start ?? 'initialize';
    if (start !== 'no') this.layerValue.sync.start({ autoInitialize: start === 'auto' });
    if (start === 'initialize') {
      const result = await this.layerValue.sync.initialize();
      if (!result.initialized) throw new Error(`Initialize failed: ${JSON.stringify(result.checks)}`);
    }
    return { l: this.layerValue, emu: this.emulatorValue };
  }

  /** Records lines (or planned lines) as the API would and answers their record IDs. */
  add(planned: readonly (PlannedLine | Record<string, unknown>)[], instantIv = false): string[] {
    const lines = planned.map(
      (p) => ('line' in p && 'expected' in p ? (p as PlannedLine).line : p) as Record<string, unknown>,
    );
    const outcome = ingest(this.layer.ledger, lines, { source: 'api', createdBy: 'test', instantIv });
    if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome));
    return outcome.results.map((r) => r.lineRecordId);
  }

  /** Sync now until nothing is in flight: SCM's posting job posts on its own recurrence, so it waits between runs. */
  async syncUntilSettled(timeoutMs = 15_000): Promise<void> {
    const l = this.layer;
    await waitFor(
      'every line settled',
      async () => {
        await l.sync.run('all');
        return settled(l.ledger);
      },
      timeoutMs,
      100,
    );
  }

  /** The aggregated line a detailed line ended in. */
  aggregatedOf(lineRecordId: string) {
    const l = this.layer;
    return l.ledger.aggregated.get(l.ledger.lines.get(lineRecordId)!.aggregatedLineId!)!;
  }

  async close(): Promise<void> {
    await this.layerValue?.close();
    await this.emulatorValue?.close();
    this.layerValue = null;
    this.emulatorValue = null;
  }
}

export const syncTest = test.extend<{ stack: SyncStack }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixtures a test uses from this pattern.
  stack: async ({}, use) => {
    const stack = new SyncStack();
    await use(stack);
    await stack.close();
  },
});
