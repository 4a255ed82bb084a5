import type { BulkActionResult, SyncRunResult } from '../../shared/rpc';
import type { AggregatedStatus } from '../../shared/status';
import type {
  InitializeResult,
  JobName,
  SyncRunSummary,
  SyncStatus,
  UpstreamState,
} from '../../shared/sync-status';
import type { Attempt } from '../../shared/views';
import type { SettingsService } from '../config/settings-service';
import type { Ledger } from '../ledger';
import type { AggregatedLineRow } from '../ledger/schema';
import { SyncStore } from '../ledger/sync-store';
import { IvClient, ScmClient, TokenProvider } from '../upstream';
import { backoffDelay } from './backoff';
import { iso, type JobContext } from './context';
import { classify } from './errors';
import { initialize } from './initialize';
import { runIvJob } from './iv-job';
import { type JobPlan, type JobResult, Scheduler, type Trigger } from './scheduler';
import { cutBatches, cutLimits, runScmJob } from './scm';
import { buildStatus, type JobMemory, jobStatus } from './status';
import { DEFAULT_TIMING, type SyncTiming } from './timing';
import type { SyncJobRequest, SyncService } from './types';
import { inSyncWindow } from './window';

export interface SyncEngineDeps {
  ledger: Ledger;
  settings: SettingsService;
  timeoutMs?: number;
  onStatus: (status: SyncStatus) => void;
  onChange: () => void;
  log: (message: string, detail?: unknown) => void;
  /** Shorter delays for tests and benchmarks. */
  timing?: Partial<SyncTiming>;
}

interface Clients {
  key: string;
  iv: IvClient;
  scm: ScmClient;
}

const STATUS_COALESCE_MS = 200;
const DAY_MS = 86_400_000;
/** How long the attempt log and run history are kept. */
export const HISTORY_DAYS = 90;

/**
 * The sync engine (domain.md §6): the IV job, the SCM job, their scheduler, Initialize and
 * the troubleshooting actions. The ledger is the truth: every job step commits what it is
 * about to do before calling an upstream and what came back right after, so whatever stops
 * the process, the next start finishes the work without losing or doubling anything.
 */
export class SyncEngine implements SyncService {
  private readonly store: SyncStore;
  private readonly scheduler: Scheduler;
  private timingValue: SyncTiming;
  private clientsCache: Clients | null = null;
  private readonly memory: Record<JobName, JobMemory>;
  private upstream: { iv: UpstreamState; scm: UpstreamState } = { iv: 'unknown', scm: 'unknown' };
  private started = false;
  private stopping = false;
  private autoInitialize = false;
  private initTimer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private initFailures = 0;
  private initializing: Promise<InitializeResult> | null = null;
  private lastInitializeMessage: string | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  /** SCM follow-up runs in a row that changed nothing: the follow-up slows down. */
  private quietFollowUps = 0;
  private connectionKey: string | null = null;

  private readonly onSettingsChanged = () => {
    const key = this.currentConnectionKey();
    if (key !== this.connectionKey) {
      this.connectionKey = key;
      this.clientsCache = null;
      this.upstream =
        key === null ? { iv: 'unconfigured', scm: 'unconfigured' } : { iv: 'unknown', scm: 'unknown' };
      this.initFailures = 0;
    }
    const s = this.deps.settings.read();
    if (this.autoInitialize && !s.isFeatureInitialized) this.scheduleInitialize(0);
    this.scheduler.reschedule();
    this.pushStatus();
  };

  constructor(private readonly deps: SyncEngineDeps) {
    this.store = new SyncStore(deps.ledger.conn);
    this.timingValue = { ...DEFAULT_TIMING, ...deps.timing };
    const none = (): JobMemory => ({
      lastRunAt: null,
      lastSuccessAt: null,
      lastError: null,
      lastErrorKind: null,
      offline: false,
    });
    this.memory = { iv: none(), fno: none() };
    this.scheduler = new Scheduler({
      runJob: (job, trigger) => this.runJob(job, trigger),
      plan: (job) => this.plan(job),
      timing: () => this.timingValue,
      onChange: () => this.pushStatus(),
      skipped: (job, trigger, message) => this.skippedSummary(job, trigger, message),
    });
  }

  /** Tests and benchmarks shorten the delays; takes effect at the next scheduling decision. */
  setTiming(timing: Partial<SyncTiming>): void {
    this.timingValue = { ...this.timingValue, ...timing };
    this.scheduler.reschedule();
  }

  get timing(): SyncTiming {
    return this.timingValue;
  }

  start(options: { autoInitialize?: boolean } = {}): void {
    if (this.started) return;
    this.started = true;
    const interrupted = this.store.history.closeInterruptedRuns(iso());
    if (interrupted > 0)
      this.deps.log(`Sync: ${interrupted} run(s) were interrupted by the last stop; resuming`);
    for (const job of ['iv', 'fno'] as const)
      Object.assign(this.memory[job], this.store.history.lastRunTimes(job));
    this.connectionKey = this.currentConnectionKey();
    if (this.connectionKey === null) this.upstream = { iv: 'unconfigured', scm: 'unconfigured' };
    this.deps.settings.on('changed', this.onSettingsChanged);
    this.pruneHistory();
    this.pruneTimer = setInterval(() => this.pruneHistory(), DAY_MS);
    this.pruneTimer.unref();
    this.scheduler.start();
    // Journals the last session left in flight are followed even with the periodic sync off.
    const inFlight = this.store.batches.followUp();
    if (inFlight.batches + inFlight.posting > 0)
      this.scheduler.followUp('fno', this.timingValue.startDelayMs);
    this.autoInitialize = options.autoInitialize ?? false;
    if (this.autoInitialize) this.scheduleInitialize(0);
    this.pushStatus();
  }

  /** The attempt log keeps HISTORY_DAYS of history: enough to troubleshoot, not a growing file. */
  private pruneHistory(): void {
    const pruned = this.store.history.prune(iso(Date.now() - HISTORY_DAYS * DAY_MS));
    if (pruned.attempts + pruned.runs > 0)
      this.deps.log(
        `Sync: removed ${pruned.attempts} attempt(s) and ${pruned.runs} run(s) older than ${HISTORY_DAYS} days`,
      );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.deps.settings.off('changed', this.onSettingsChanged);
    if (this.initTimer) clearTimeout(this.initTimer);
    this.initTimer = null;
    await this.scheduler.stop();
    await this.initializing?.catch(() => undefined);
    if (this.statusTimer) clearTimeout(this.statusTimer);
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
        this.lastInitializeMessage,
      );
    return buildStatus(this.store, s, { iv: job('iv'), fno: job('fno') }, this.upstream);
  }

  private pushStatus(): void {
    if (this.statusTimer || !this.started) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      try {
        this.deps.onStatus(this.status());
      } catch (error) {
        this.deps.log('Sync: could not compute the status', error);
      }
    }, STATUS_COALESCE_MS);
    this.statusTimer.unref();
  }

  private changed(): void {
    this.deps.onChange();
    this.pushStatus();
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

  linesAdded(instantIv: boolean): void {
    this.pushStatus();
    if (!instantIv || !this.active()) return;
    void this.scheduler.requestPending('iv', 'instant');
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
      intervalMs: minutes * this.timingValue.minuteMs,
    };
  }

  private skippedSummary(job: JobName, trigger: Trigger, message: string): SyncRunSummary {
    const now = iso();
    return {
      runId: 0,
      job,
      trigger,
      startedAt: now,
      finishedAt: now,
      outcome: 'skipped',
      message,
      counts: {},
    };
  }

  /** A run asked for while the job cannot run: recorded, so "Sync now" shows why nothing happened. */
  private skip(job: JobName, trigger: Trigger, message: string): JobResult {
    const at = iso();
    const runId = this.store.history.startRun(job, trigger, at);
    this.store.history.finishRun(runId, at, 'skipped', message, {});
    return { summary: this.store.history.run(runId)!, failed: false };
  }

  private clients(): Clients | null {
    const conn = this.deps.settings.connection(this.deps.timeoutMs);
    if (!conn) return null;
    const key = JSON.stringify(conn);
    if (this.clientsCache?.key !== key) {
      const tokens = new TokenProvider(conn);
      this.clientsCache = { key, iv: new IvClient(conn, tokens), scm: new ScmClient(conn, tokens) };
    }
    return this.clientsCache;
  }

  private currentConnectionKey(): string | null {
    const conn = this.deps.settings.connection();
    return conn ? JSON.stringify(conn) : null;
  }

  private reached(service: 'iv' | 'scm', reachable: boolean): void {
    const next: UpstreamState = reachable ? 'online' : 'offline';
    if (this.upstream[service] !== next) {
      this.upstream = { ...this.upstream, [service]: next };
      this.pushStatus();
    }
  }

  /** Answers why the service could not be reached, or null when it answered. */
  private async probe(service: 'iv' | 'scm', clients: Clients): Promise<string | null> {
    try {
      await (service === 'iv' ? clients.iv.ping() : clients.scm.ping());
      this.reached(service, true);
      return null;
    } catch (error) {
      const c = classify(error);
      if (c.offline) this.reached(service, false);
      return c.message;
    }
  }

  private async runJob(job: JobName, trigger: Trigger): Promise<JobResult> {
    const s = this.deps.settings.read();
    if (!s.enableFeature)
      return this.skip(job, trigger, "The 'Enable feature' setting is off: nothing is synchronized.");
    if (!s.isFeatureInitialized)
      return this.skip(
        job,
        trigger,
        'Not initialized yet: complete the connection settings and run Initialize; lines wait in the ledger.',
      );
    const clients = this.clients();
    if (!clients)
      return this.skip(job, trigger, 'Connection settings are incomplete: lines wait in the ledger.');

    const service = job === 'iv' ? 'iv' : 'scm';
    let contacted = false;
    const startedAt = iso();
    const runId = this.store.history.startRun(job, trigger, startedAt);
    const memory = this.memory[job];
    memory.lastRunAt = startedAt;
    const ctx: JobContext = {
      store: this.store,
      runId,
      trigger,
      settings: s,
      timing: this.timingValue,
      iv: clients.iv,
      scm: clients.scm,
      counts: {},
      changed: () => this.changed(),
      reached: (reachedService) => {
        if (reachedService === service) contacted = true;
        this.reached(reachedService, true);
      },
      stopping: () => this.stopping,
    };
    this.pushStatus();
    try {
      let lineErrors: number;
      let followUpMs: number | undefined;
      if (job === 'iv') {
        const periodic = s.transactions.periodicSyncToIV;
        ({ lineErrors } = await runIvJob(ctx, {
          includeHeldBack: trigger === 'demand',
          instantOnly: !periodic && trigger !== 'demand',
        }));
      } else {
        // Outside the Fno sync window a periodic run sends nothing new; Sync now always does.
        const periodicSend =
          s.transactions.periodicSyncToFno && inSyncWindow(s.transactions.fnoSyncWindow, new Date());
        const result = await runScmJob(ctx, { sendNew: periodicSend || trigger === 'demand' });
        lineErrors = result.lineErrors;
        const inFlight = result.pending.batches > 0 || result.pending.posting > 0;
        if (inFlight) {
          this.quietFollowUps = result.progressed || result.pending.batches > 0 ? 0 : this.quietFollowUps + 1;
          // Journals waiting for SCM's posting job: come back soon, less often while nothing moves.
          const interval = s.transactions.fnoSyncFrequencyMinutes * this.timingValue.minuteMs;
          followUpMs = Math.min(
            interval,
            this.timingValue.followUpMs * 2 ** Math.min(this.quietFollowUps, 20),
          );
        } else {
          this.quietFollowUps = 0;
        }
      }
      // With nothing to send the job never talked to its service: a cheap check keeps the
      // online/offline indicator true while the store is idle.
      const probeError = contacted ? null : await this.probe(service, clients);
      const finishedAt = iso();
      const outcome = lineErrors > 0 ? 'partial' : 'ok';
      const message =
        lineErrors > 0
          ? `${lineErrors} line(s) need attention: see their last error.`
          : probeError
            ? `Nothing to send; ${probeError}`
            : null;
      this.store.history.finishRun(runId, finishedAt, outcome, message, ctx.counts);
      memory.lastSuccessAt = finishedAt;
      memory.lastError = null;
      memory.lastErrorKind = null;
      memory.offline = false;
      this.changed();
      return {
        summary: this.store.history.run(runId)!,
        failed: false,
        ...(followUpMs !== undefined && { followUpMs }),
      };
    } catch (error) {
      const c = classify(error);
      if (c.offline) this.reached(job === 'iv' ? 'iv' : 'scm', false);
      if (c.status === null && c.service === null) this.deps.log(`Sync: the ${job} run failed`, error);
      this.store.history.finishRun(runId, iso(), 'failed', c.message, ctx.counts);
      memory.lastError = c.message;
      memory.lastErrorKind = c.kind;
      memory.offline = c.offline;
      this.changed();
      return {
        summary: this.store.history.run(runId)!,
        failed: true,
        ...(c.retryAfterMs !== undefined && { retryAfterMs: c.retryAfterMs }),
      };
    }
  }

  // ------------------------------------------------------------------ initialize

  initialize(): Promise<InitializeResult> {
    if (this.initializing) return this.initializing;
    this.initializing = initialize({
      store: this.store,
      settings: this.deps.settings,
      clients: () => this.clients(),
      reached: (service, reachable) => this.reached(service, reachable),
    })
      .then((result) => {
        const failed = result.checks.filter((c) => !c.ok);
        this.lastInitializeMessage =
          failed.length > 0 ? failed.map((c) => `${c.label}: ${c.message}`).join(' ') : null;
        this.pushStatus();
        return result;
      })
      .finally(() => {
        this.initializing = null;
      });
    return this.initializing;
  }

  /** `--config` start: initialize as soon as the settings allow, retrying with backoff until it holds. */
  private scheduleInitialize(delayMs: number): void {
    if (!this.autoInitialize || this.stopping) return;
    if (this.initTimer) clearTimeout(this.initTimer);
    this.initTimer = setTimeout(() => {
      this.initTimer = null;
      const s = this.deps.settings.read();
      if (s.isFeatureInitialized || this.stopping) return;
      // Incomplete settings: wait for the change that completes them.
      if (!this.deps.settings.connection()) return;
      void this.initialize().then((result) => {
        if (result.initialized) {
          this.initFailures = 0;
          return;
        }
        this.initFailures++;
        this.scheduleInitialize(backoffDelay(this.initFailures, this.timingValue));
      });
    }, delayMs);
    this.initTimer.unref();
  }

  // ------------------------------------------------------------------ troubleshooting

  /**
   * FnOCreateError → FnOSent in a new journal file marked "read back first", so a line SCM
   * created after all is never sent twice; FnOPostError → FnOCreated, to follow the posting
   * again. Anything else is refused with the reason.
   */
  retry(aggregatedLineIds: readonly string[]): BulkActionResult {
    const refused: BulkActionResult['refused'] = [];
    const at = iso();
    const changed = this.store.transaction(() => {
      const rows = this.store.aggregatedStatuses(aggregatedLineIds);
      const resend: AggregatedLineRow[] = [];
      const reposting: string[] = [];
      for (const id of new Set(aggregatedLineIds)) {
        const row = rows.get(id);
        if (!row) {
          refused.push({ aggregatedLineId: id, message: 'No aggregated line with this ID.' });
        } else if (row.status === 'FnOCreateError') {
          resend.push(row);
        } else if (row.status === 'FnOPostError') {
          reposting.push(id);
        } else {
          refused.push({ aggregatedLineId: id, message: retryRefusal(row.status) });
        }
      }
      // Read back before sending: SCM may have imported some of them after all.
      let { moved } = cutBatches(this.store, resend, cutLimits(this.deps.settings.read()), at, 1);
      // Back to waiting for SCM's posting job, with a fresh overdue window from now.
      moved += this.store.status.moveAggregated(
        reposting.map((id) => ({ id })),
        'FnOCreated',
        at,
        { last_error: null, last_error_kind: null, posting_since: at },
      ).moved.length;
      return moved;
    });
    if (changed > 0) {
      this.changed();
      if (this.active()) void this.scheduler.requestPending('fno', 'demand');
    }
    return { changed, refused };
  }

  /** Sets lines aside for good (Created, FnOCreateError, FnOPostError → DoNotSync) with the clerk's reason. */
  markDoNotSync(aggregatedLineIds: readonly string[], reason: string): BulkActionResult {
    const unique = [...new Set(aggregatedLineIds)];
    const result = this.store.transaction(() =>
      this.store.status.moveAggregated(
        unique.map((id) => ({ id })),
        'DoNotSync',
        iso(),
        { status_reason: reason },
      ),
    );
    if (result.moved.length > 0) this.changed();
    return {
      changed: result.moved.length,
      refused: result.refused.map((r) => ({
        aggregatedLineId: r.id,
        message:
          r.from === null
            ? 'No aggregated line with this ID.'
            : `This line is ${r.from}: only Created, FnOCreateError and FnOPostError lines can be marked DoNotSync.`,
      })),
    };
  }
}

function retryRefusal(status: AggregatedStatus): string {
  switch (status) {
    case 'FnOPosted':
      return 'This line is already posted in SCM: there is nothing to retry. A correction is a new, opposite line.';
    case 'DoNotSync':
      return 'This line was set aside (DoNotSync): it is not sent to SCM.';
    case 'FnOSent':
    case 'Created':
      return `This line is ${status}: it is on its way to SCM already.`;
    case 'FnOCreated':
      return 'This line is created in SCM: the sync follows its posting by itself.';
    default:
      return `Only FnOCreateError and FnOPostError lines can be retried; this line is ${status}.`;
  }
}
