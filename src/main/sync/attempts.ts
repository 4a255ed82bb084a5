import type { JobName } from '../../shared/sync-status';
import { nowIso, realNow } from '../clock';
import type { AttemptTarget, NewAttempt } from '../ledger/sync-history';
import type { JobContext } from './context';

/** One upstream call, as the attempt log keeps it: the run, the time and the duration filled in. */
export interface CallRecord {
  action: string;
  /** `realNow()` when the call started: the log keeps how long it really took. */
  started: number;
  outcome: NewAttempt['outcome'];
  request: string | null;
  response: string | null;
  targets?: readonly AttemptTarget[];
}

/** The one way a job writes its attempt log; call it inside the transaction that commits the outcome. */
export function logAttempt(
  ctx: Pick<JobContext, 'store' | 'runId' | 'clock'>,
  job: JobName,
  call: CallRecord,
): void {
  ctx.store.history.record({
    runId: ctx.runId,
    job,
    action: call.action,
    at: nowIso(ctx.clock),
    durationMs: Math.round(realNow() - call.started),
    outcome: call.outcome,
    request: call.request,
    response: call.response,
    targets: call.targets ?? [],
  });
}
