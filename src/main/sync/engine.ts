import type { BulkActionResult, SyncRunResult } from '../../shared/rpc';
import type { InitializeResult, JobName, SyncRunSummary, SyncStatus } from '../../shared/sync-status';
import type { Attempt } from '../../shared/views';
import { type Clock, isoAt, nowIso, type Timer } from '../clock';
import type { SettingsService } from '../config/settings-service';
import type { Ledger } from '../ledger';
import type { SyncStore } from '../ledger/sync-store';
import { Initializer } from './auto-initialize';
import { IvInFlight, type Settled } from './iv-in-flight';
import { JobRunner } from './job-runner';
import { type JobPlan, Scheduler } from './scheduler';
import { cutLimits } from './scm';
import { buildStatus, type JobMemory, jobStatus } from './status';
import { DEFAULT_TIMING, type SyncTiming } from './timing';
import { markDoNotSync, retryLines } from './troubleshooting';
import type { SyncJobRequest, SyncService } from './types';
import { UpstreamLinks } from './upstream-links';

export interface SyncEngineDeps {
  ledger: Ledger;
  settings: SettingsService;
  timeoutMs?: number;
  onStatus: (status: SyncStatus) => void;
  log: (message: string, detail?: unknown) => void;
  /** Shorter delays for tests and benchmarks. */
  timing?: Partial<SyncTiming>;
  /** The time the engine reads, plans in and waits on: the system's, or one a test moves. */
  clock: Clock;
}

const STATUS_COALESCE_MS = 200;
const DAY_MS = 86_400_000;
/** How long the attempt log and run history are kept. */
export const HISTORY_DAYS = 90;

/**
 * The sync engine (the IV job and the SCM job), a facade over its concerns: the scheduler, the job runner,
 * the upstream links, Initialize and the troubleshooting actions. The ledger is the truth:
 * every job step commits what it is about to do before calling an upstream and what came back
 * right after, so whatever stops the process, the next start finishes the work without losing
 * or doubling anything.
 */
export class SyncEngine implements SyncService {
  private readonly store: SyncStore;
  private readonly scheduler: Scheduler;
  private readonly timing: SyncTiming;
  private readonly links: UpstreamLinks;
  private readonly runner: JobRunner;
  private readonly initializer: Initializer;
  private readonly memory: Record<JobName, JobMemory>;
  /** The IV calls on the wire, by line: Void waits for the one carrying its line. */
  private readonly ivInFlight: IvInFlight;
  private started = false;
  private stopping = false;
  private pruneTimer: Timer | null = null;
  private statusTimer: Timer | null = null;
  /** The ledger's change notifications push the status (what the status shows comes from it). */
  private unsubscribe: (() => void) | null = null;

  private readonly onSettingsChanged = () => {
    this.initializer.settingsChanged(this.links.settingsChanged());
    this.scheduler.reschedule();
    this.pushStatus();
  };

  constructor(private readonly deps: SyncEngineDeps) {
    this.store = deps.ledger.syncStore;
    this.timing = { ...DEFAULT_TIMING, ...deps.timing };
    this.ivInFlight = new IvInFlight(deps.clock);
    const none = (): JobMemory => ({
      lastRunAt: null,
      lastSuccessAt: null,
      lastError: null,
      lastErrorKind: null,
      offline: false,
    });
    this.memory = { iv: none(), fno: none() };
    this.links = new UpstreamLinks(deps.settings, deps.timeoutMs, () => this.pushStatus());
    const stopping = () => this.stopping;
    this.runner = new JobRunner({
      store: this.store,
      settings: deps.settings,
      links: this.links,
      timing: this.timing,
      clock: deps.clock,
      memory: this.memory,
      ivInFlight: this.ivInFlight,
      stopping,
      pushStatus: () => this.pushStatus(),
      log: deps.log,
    });
    this.initializer = new Initializer({
      store: this.store,
      settings: deps.settings,
      links: this.links,
      timing: this.timing,
      clock: deps.clock,
      stopping,
      pushStatus: () => this.pushStatus(),
    });
    this.scheduler = new Scheduler({
      runJob: (job, trigger) => this.runner.run(job, trigger),
      plan: (job) => this.plan(job),
      timing: () => this.timing,
      onChange: () => this.pushStatus(),
      skipped: (job, trigger, message) => this.runner.skippedSummary(job, trigger, message),
      clock: deps.clock,
    });
  }

  start(options: { autoInitialize?: boolean } = {}): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribe = this.store.onChange(() => this.pushStatus());
    const interrupted = this.store.history.closeInterruptedRuns(nowIso(this.deps.clock));
    if (interrupted > 0)
      this.deps.log(`Sync: ${interrupted} run(s) were interrupted by the last stop; resuming`);
    // Lines that were on the wire to IV when the last session stopped: IV may have them.
    const cut = this.store.iv.interrupted();
    if (cut > 0)
      this.deps.log(`Sync: ${cut} line(s) were being sent to IV at the last stop; IV may have them`);
    for (const job of ['iv', 'fno'] as const)
      Object.assign(this.memory[job], this.store.history.lastRunTimes(job));
    this.deps.settings.on('changed', this.onSettingsChanged);
    this.pruneHistory();
    this.scheduler.start();
    // Journals the last session left in flight are followed even with the periodic sync off.
    const inFlight = this.store.batches.followUp();
    if (inFlight.batches + inFlight.posting > 0) this.scheduler.followUp('fno', this.timing.startDelayMs);
    if (options.autoInitialize) this.initializer.startAuto();
    this.pushStatus();
  }

  /** The attempt log keeps HISTORY_DAYS of history: enough to troubleshoot, not a growing file. */
  private pruneHistory(): void {
    // Again a day later, on the engine's clock.
    this.pruneTimer = this.deps.clock.setTimer(() => this.pruneHistory(), DAY_MS);
    const pruned = this.store.history.prune(isoAt(this.deps.clock.now() - HISTORY_DAYS * DAY_MS));
    if (pruned.runs + pruned.attempts > 0)
      this.deps.log(
        `Sync: dropped ${pruned.attempts} attempt(s) and ${pruned.runs} run(s) older than ${HISTORY_DAYS} days`,
      );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.pruneTimer?.cancel();
    this.deps.settings.off('changed', this.onSettingsChanged);
    await this.initializer.stop();
    await this.scheduler.stop();
    this.statusTimer?.cancel();
    this.statusTimer = null;
  }

  // ------------------------------------------------------------------ status

  status(): SyncStatus {
    const s = this.deps.settings.read();
    const view = this.deps.settings.view();
    const job = (name: JobName) =>
      jobStatus(
        name,
        s,
        view.hasClientSecret,
        this.scheduler.state(name),
        this.memory[name],
        this.initializer.lastMessage,
      );
    return buildStatus(
      this.store,
      s,
      { iv: job('iv'), fno: job('fno') },
      this.links.state,
      this.deps.clock.now(),
      this.timing.hourMs,
    );
  }

  private pushStatus(): void {
    if (this.statusTimer || !this.started) return;
    this.statusTimer = this.deps.clock.setTimer(() => {
      this.statusTimer = null;
      try {
        this.deps.onStatus(this.status());
      } catch (error) {
        this.deps.log('Sync: could not compute the status', error);
      }
    }, STATUS_COALESCE_MS);
  }

  runs(top: number): SyncRunSummary[] {
    return this.store.history.runs(top);
  }

  attemptsFor(targetId: string): Attempt[] {
    return this.store.history.attemptsFor(targetId);
  }

  // ------------------------------------------------------------------ running

  async run(job: SyncJobRequest): Promise<SyncRunResult> {
    const runs: SyncRunSummary[] = [];
    if (job === 'iv' || job === 'all') runs.push(await this.scheduler.request('iv', 'demand'));
    if (job === 'fno' || job === 'all') runs.push(await this.scheduler.request('fno', 'demand'));
    return { runs, status: this.status() };
  }

  whenIvSettled<T>(lineRecordId: string, decide: () => T): Promise<Settled<T>> {
    return this.ivInFlight.settle(lineRecordId, this.timing.voidWaitMs, decide);
  }

  linesAdded(instantIv: boolean): void {
    this.pushStatus();
    if (!instantIv || !this.active()) return;
    void this.scheduler.requestPending('iv', 'instant');
  }

  initialize(): Promise<InitializeResult> {
    return this.initializer.initialize();
  }

  private active(): boolean {
    const s = this.deps.settings.read();
    return this.started && !this.stopping && s.enableFeature && s.isFeatureInitialized;
  }

  private plan(job: JobName): JobPlan {
    const s = this.deps.settings.read();
    const t = s.transactions;
    const minutes = job === 'iv' ? t.ivSyncFrequencyMinutes : t.fnoSyncFrequencyMinutes;
    return {
      active: s.enableFeature && s.isFeatureInitialized && !this.stopping,
      periodic: job === 'iv' ? t.periodicSyncToIV : t.periodicSyncToFno,
      intervalMs: minutes * this.timing.minuteMs,
    };
  }

  // ------------------------------------------------------------------ troubleshooting

  retry(aggregatedLineIds: readonly string[]): BulkActionResult {
    const result = retryLines(
      this.store,
      aggregatedLineIds,
      cutLimits(this.deps.settings.read()),
      nowIso(this.deps.clock),
    );
    if (result.changed > 0 && this.active()) void this.scheduler.requestPending('fno', 'demand');
    return result;
  }

  markDoNotSync(aggregatedLineIds: readonly string[], reason: string): BulkActionResult {
    return markDoNotSync(this.store, aggregatedLineIds, reason, nowIso(this.deps.clock));
  }
}
