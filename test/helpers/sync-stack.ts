/**
 * The one fixture for "emulator + business layer": `syncTest` gives each test a stack that
 * opens both on demand and closes them after the test, whatever happened.
 *
 * Both run on one TestClock (`stack.clock`): the engine's timers, backoffs and hold-backs, and the
 * emulator's imports and posting job, happen when the test moves the clock, at exactly the time
 * they are due, however loaded the machine is. HTTP and SQLite stay real; they take no time on
 * that clock. A test that measures how real calls overlap over real latency asks for
 * `realTime` instead: then both run on the computer's clock.
 */
import { test } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import { type Clock, systemClock } from '../../src/main/clock';
import { ingest } from '../../src/main/ingest/ingest';
import type { SyncTiming } from '../../src/main/sync/timing';
import { configure, FAST_TIMING, type PlannedLine, settled } from '../sync/fixtures';
import { type Emulator, type EmulatorOptions, startEmulator } from '../upstream-emulator';
import { openLayer } from './layer';
import { author } from './people';
import { TestClock } from './test-clock';

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
  /** The computer's clock instead of `stack.clock`: for tests of how real calls overlap. */
  realTime?: boolean;
}

export class SyncStack {
  /** The time of the engine and of the emulator's SCM: moved by the test, never by itself. */
  readonly clock = new TestClock();
  private emulatorValue: Emulator | null = null;
  private layerValue: BusinessLayer | null = null;
  private realTime = false;

  get emulator(): Emulator {
    if (!this.emulatorValue) throw new Error('open the stack first');
    return this.emulatorValue;
  }

  get layer(): BusinessLayer {
    if (!this.layerValue) throw new Error('open the stack first');
    return this.layerValue;
  }

  async open(options: StackOptions = {}): Promise<{ l: BusinessLayer; emu: Emulator }> {
    this.realTime = options.realTime === true;
    const clock: Clock = this.realTime ? systemClock : this.clock;
    this.emulatorValue = await startEmulator({
      importDelayMs: 10,
      postingDelayMs: 20,
      ...options.emulator,
      clock,
    });
    this.layerValue = openLayer(undefined, {
      clock,
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
    const outcome = ingest(this.layer.ledger, lines, { source: 'api', author: author('test'), instantIv });
    if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome));
    return outcome.results.map((r) => r.lineRecordId);
  }

  /**
   * Sync now until nothing is in flight: SCM's posting job posts on its own recurrence, so the
   * clock moves on by one recurrence between runs. Answers the runs it took.
   */
  async syncUntilSettled(maxRuns = 20): Promise<number> {
    const l = this.layer;
    for (let runs = 1; runs <= maxRuns; runs++) {
      await l.sync.run('all');
      if (settled(l.ledger)) return runs;
      // Time enough between presses for SCM's passes, and over 20 presses for "Posting overdue
      // after" (1.5 s in FAST_TIMING) to pass: a journal SCM's posting job refuses settles as
      // FnOPostError, as it did when these runs took real time.
      await this.pass(Math.max(this.emulator.admin.settings().postingDelayMs, 250));
    }
    throw new Error(`not settled after ${maxRuns} runs of Sync now`);
  }

  /**
   * SCM's side does what falls due (imports, offsets, posting passes), the clock moving on one
   * of its delays at a time, until the next pass would change nothing. Answers the time it took.
   */
  async untilScmIdle(maxMs = 60_000): Promise<number> {
    const from = this.clock.now();
    let idle = false;
    const waiting = this.emulator.admin.idle().then(() => {
      idle = true;
    });
    if (this.realTime) {
      await waiting;
      return 0;
    }
    const s = this.emulator.admin.settings();
    const step = Math.max(1, Math.min(s.importDelayMs || 1, s.postingDelayMs || 1, s.offsetLagMs || 1));
    await new Promise((resolve) => setImmediate(resolve));
    while (!idle) {
      if (this.clock.now() - from > maxMs) throw new Error(`SCM not idle after ${maxMs} ms of its time`);
      await this.clock.advance(step);
    }
    return this.clock.now() - from;
  }

  /** Time passes: `ms` on the stack's clock (or really waited, with `realTime`). */
  async pass(ms: number): Promise<void> {
    if (this.realTime) await new Promise((resolve) => setTimeout(resolve, ms));
    else await this.clock.advance(ms);
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
