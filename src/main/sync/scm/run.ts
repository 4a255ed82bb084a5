import { UpstreamError } from '../../upstream';
import { aggregate } from '../aggregation';
import { add, type JobContext } from '../context';
import { profileWait } from '../profile-check';
import { createBatches } from './cutting';
import { followPosting } from './posting';
import { STEPS } from './steps';

export interface ScmJobOptions {
  /** Aggregate and send what is new; without it only what is already in flight is followed. */
  sendNew: boolean;
}

export interface ScmJobResult {
  lineErrors: number;
  /** Packages still in flight, or journal lines still to be posted. */
  pending: { batches: number; posting: number };
  /** Some line changed status in SCM's direction during this run. */
  progressed: boolean;
}

/**
 * One step for every package in flight, up to *SCM packages in flight* packages at once: a
 * pool, each lane taking the next package as soon as its step is done (each step commits its
 * own intent and outcome). A failed call stops every lane from taking another package and ends
 * the run once the others in flight have answered, so the backoff (and Retry-After) holds for
 * every lane together.
 */
export async function advancePackages(ctx: JobContext): Promise<void> {
  const lanes = Math.max(1, ctx.settings.transactions.scmPackagesInFlight);
  const packages = ctx.store.batches.in(['Sending', 'Enqueued', 'Imported']);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async (): Promise<void> => {
    while (!failure && !ctx.stopping() && next < packages.length) {
      const batch = packages[next++]!;
      if (batch.state === 'Done') continue;
      try {
        await STEPS[batch.state](ctx, batch);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, packages.length) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
}

/**
 * The SCM job
 * (https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-sync-changes):
 * aggregate, cut packages, send them, follow them to created, and
 * follow SCM's posting job. Each step commits its intent before the upstream call and its
 * outcome right after (steps.ts).
 */
export async function runScmJob(ctx: JobContext, options: ScmJobOptions): Promise<ScmJobResult> {
  const counts = ctx.counts;
  const before = { ...counts };
  // An unchecked guess of SCM's data project sends nothing new (profile-check.ts); what is in
  // flight is still followed, then the run says what to do.
  const profileWaits = options.sendNew
    ? profileWait(ctx.store, ctx.settings.transactions.scmImportProfile)
    : null;
  if (options.sendNew && profileWaits === null) {
    const result = await aggregate(ctx.store, ctx.store.mappingTargets(), {
      now: ctx.clock.now(),
      stopping: ctx.stopping,
    });
    add(counts, 'aggregatedDetailedLines', result.detailedLines);
    add(counts, 'aggregatedLines', result.aggregatedLines);
    add(counts, 'doNotSync', result.doNotSync);
    await createBatches(ctx);
  }
  const deadline = ctx.clock.now() + ctx.timing.inRunFollowMs;
  let wait = ctx.timing.pollMs;
  let pending = ctx.store.batches.followUp();
  for (;;) {
    if (ctx.stopping()) break;
    await advancePackages(ctx);
    if (ctx.stopping()) break;
    await followPosting(ctx);
    pending = ctx.store.batches.followUp();
    // Journals waiting for SCM's posting job are SCM's to post on its own recurrence: only
    // packages still in flight are worth waiting for within this run.
    if (pending.batches === 0) break;
    if (ctx.clock.now() + wait > deadline) break;
    await ctx.clock.sleep(wait);
    wait = Math.min(wait * 2, 1000);
  }
  if (profileWaits !== null)
    throw new UpstreamError({ kind: 'config', service: 'scm', upstreamMessage: profileWaits });
  const lineErrors = (counts.createErrors ?? 0) + (counts.postErrors ?? 0);
  const progressed = ['linesSent', 'created', 'createErrors', 'posted', 'postErrors'].some(
    (k) => (counts[k] ?? 0) > (before[k] ?? 0),
  );
  return { lineErrors, pending, progressed };
}
