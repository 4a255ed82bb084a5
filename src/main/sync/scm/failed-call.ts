import { nowIso } from '../../clock';
import { logAttempt } from '../attempts';
import type { JobContext } from '../context';
import { classify, clip } from '../errors';

/**
 * Records a failed SCM call in the attempt log, and on these lines (they keep their status:
 * the call is made again), then lets the caller end the run (backoff) or carry on.
 */
export async function failedCall(
  ctx: JobContext,
  action: string,
  request: string,
  started: number,
  error: unknown,
  lineIds: readonly string[],
): Promise<ReturnType<typeof classify>> {
  const c = classify(error);
  if (c.status !== null) ctx.reached('scm');
  if (c.kind !== 'data') ctx.callFailed('scm', c.message, c.offline);
  await ctx.store.write(() => {
    logAttempt(ctx, 'fno', {
      action,
      started,
      outcome: c.kind,
      request,
      response: clip(c.message),
      targets: lineIds.map((id) => ({ id, outcome: c.kind, message: c.message })),
    });
    ctx.store.batches.lineError(lineIds, clip(c.message)!, c.kind, nowIso(ctx.clock));
  });
  return c;
}
