/** One run of a job: the checks before it, its context, its outcome in the run history. */
import type { JobName, SyncRunSummary } from '../../shared/sync-status';
import { type Clock, localDateAt, nowIso } from '../clock';
import type { SettingsService } from '../config/settings-service';
import type { SyncStore } from '../ledger/sync-store';
import type { JobContext } from './context';
import { adviceFor, classify } from './errors';
import type { IvInFlight } from './iv-in-flight';
import { runIvJob } from './iv-job';
import type { JobResult, Trigger } from './scheduler';
import { runScmJob } from './scm';
import type { JobMemory } from './status';
import type { SyncTiming } from './timing';
import type { UpstreamLinks } from './upstream-links';
import { inSyncWindow } from './window';

export interface JobRunnerDeps {
  store: SyncStore;
  settings: SettingsService;
  links: UpstreamLinks;
  timing: SyncTiming;
  clock: Clock;
  memory: Record<JobName, JobMemory>;
  /** The engine's IV calls on the wire (Void waits for them). */
  ivInFlight: IvInFlight;
  stopping: () => boolean;
  /** Something the status shows changed. */
  pushStatus: () => void;
  log: (message: string, detail?: unknown) => void;
}

export class JobRunner {
  /** SCM follow-up runs in a row that changed nothing: the follow-up slows down. */
  private quietFollowUps = 0;

  constructor(private readonly deps: JobRunnerDeps) {}

  /** A run that cannot happen now, as the summary "Sync now" shows: nothing recorded. */
  skippedSummary(job: JobName, trigger: Trigger, message: string): SyncRunSummary {
    const now = nowIso(this.deps.clock);
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

  async run(job: JobName, trigger: Trigger): Promise<JobResult> {
    const { store, links, memory } = this.deps;
    const s = this.deps.settings.read();
    if (!s.enableFeature)
      return this.skip(job, trigger, "The 'Enable feature' setting is off: nothing is synchronized.");
    if (!s.isFeatureInitialized)
      return this.skip(
        job,
        trigger,
        'Not initialized yet: complete the connection settings and run Initialize; lines wait in the ledger.',
      );
    const clients = links.clients();
    if (!clients)
      return this.skip(job, trigger, 'Connection settings are incomplete: lines wait in the ledger.');

    const service = job === 'iv' ? 'iv' : 'scm';
    let contacted = false;
    const startedAt = nowIso(this.deps.clock);
    const runId = await store.write(() => store.history.startRun(job, trigger, startedAt));
    memory[job].lastRunAt = startedAt;
    const ctx: JobContext = {
      store,
      runId,
      trigger,
      settings: s,
      timing: this.deps.timing,
      clock: this.deps.clock,
      iv: clients.iv,
      scm: clients.scm,
      counts: {},
      reached: (reachedService) => {
        if (reachedService === service) contacted = true;
        links.reached(reachedService, true);
      },
      stopping: this.deps.stopping,
      callFailed: (failedService, message, offline) => {
        if (offline) links.reached(failedService, false);
        memory[job].lastError = message;
        this.deps.pushStatus();
      },
    };
    this.deps.pushStatus();
    try {
      const { lineErrors, followUpMs } = job === 'iv' ? await this.iv(ctx) : await this.scm(ctx);
      // With nothing to send the job never talked to its service: a cheap check keeps the
      // online/offline indicator true while the store is idle.
      const probeError = contacted ? null : await links.probe(service, clients);
      const finishedAt = nowIso(this.deps.clock);
      const message =
        lineErrors > 0
          ? `${lineErrors} line(s) need attention: see their last error.`
          : probeError
            ? `Nothing to send; ${probeError}`
            : null;
      await store.write(() =>
        store.history.finishRun(runId, finishedAt, lineErrors > 0 ? 'partial' : 'ok', message, ctx.counts),
      );
      Object.assign(memory[job], {
        lastSuccessAt: finishedAt,
        lastError: null,
        lastErrorKind: null,
        offline: false,
        advice: null,
      });
      return {
        summary: store.history.run(runId)!,
        failed: false,
        ...(followUpMs !== undefined && { followUpMs }),
      };
    } catch (error) {
      const c = classify(error);
      if (c.offline) links.reached(service, false);
      if (c.status === null && c.service === null) this.deps.log(`Sync: the ${job} run failed`, error);
      await store.write(() =>
        store.history.finishRun(runId, nowIso(this.deps.clock), 'failed', c.message, ctx.counts),
      );
      Object.assign(memory[job], {
        lastError: c.message,
        lastErrorKind: c.kind,
        offline: c.offline,
        advice: adviceFor(c),
      });
      return {
        summary: store.history.run(runId)!,
        failed: true,
        ...(c.retryAfterMs !== undefined && { retryAfterMs: c.retryAfterMs }),
      };
    }
  }

  private async iv(ctx: JobContext): Promise<{ lineErrors: number; followUpMs?: number }> {
    const periodic = ctx.settings.transactions.periodicSyncToIV;
    return runIvJob(ctx, {
      includeHeldBack: ctx.trigger === 'demand',
      instantOnly: !periodic && ctx.trigger !== 'demand',
      inFlight: this.deps.ivInFlight,
    });
  }

  private async scm(ctx: JobContext): Promise<{ lineErrors: number; followUpMs?: number }> {
    const t = ctx.settings.transactions;
    // Outside the Fno sync window a periodic run sends nothing new; Sync now always does.
    const periodicSend =
      t.periodicSyncToFno && inSyncWindow(t.fnoSyncWindow, localDateAt(this.deps.clock.now()));
    const result = await runScmJob(ctx, { sendNew: periodicSend || ctx.trigger === 'demand' });
    if (result.pending.batches === 0 && result.pending.posting === 0) {
      this.quietFollowUps = 0;
      return { lineErrors: result.lineErrors };
    }
    this.quietFollowUps = result.progressed || result.pending.batches > 0 ? 0 : this.quietFollowUps + 1;
    // Journals waiting for SCM's posting job: come back soon, less often while nothing moves.
    const interval = t.fnoSyncFrequencyMinutes * this.deps.timing.minuteMs;
    const followUpMs = Math.min(
      interval,
      this.deps.timing.followUpMs * 2 ** Math.min(this.quietFollowUps, 20),
    );
    return { lineErrors: result.lineErrors, followUpMs };
  }

  /** A run asked for while the job cannot run: recorded, so "Sync now" shows why nothing happened. */
  private async skip(job: JobName, trigger: Trigger, message: string): Promise<JobResult> {
    const at = nowIso(this.deps.clock);
    const { history } = this.deps.store;
    const runId = await this.deps.store.write(() => {
      const runId = history.startRun(job, trigger, at);
      history.finishRun(runId, at, 'skipped', message, {});
      return runId;
    });
    return { summary: history.run(runId)!, failed: false };
  }
}
