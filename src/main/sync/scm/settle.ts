/** SCM's final word on a package: settled by reading back; SCM's messages for what it did not create. */
import { nowIso, realNow } from '../../clock';
import type { JournalBatchRow } from '../../ledger/schema';
import type { JournalHeader } from '../../upstream';
import { logAttempt } from '../attempts';
import { add, type JobContext } from '../context';
import { clip } from '../errors';
import { failedCall } from './failed-call';
import { notCreatedMessage } from './messages';
import {
  createdMoves,
  isFound,
  postedWithoutLines,
  readBack,
  readBackTargets,
  settlePostedWithoutLines,
} from './read-back';

/**
 * SCM's final word on a package: each line found by reading back is FnOCreated, each missing
 * one FnOCreateError with SCM's messages (GetExecutionErrors), read once and kept.
 */
export async function settle(ctx: JobContext, batch: JournalBatchRow): Promise<void> {
  const lines = ctx.store.batches.lines(batch.batch_id);
  if (lines.length === 0) {
    await ctx.store.write(() =>
      ctx.store.batches.update(batch.batch_id, { state: 'Done' }, nowIso(ctx.clock)),
    );
    return;
  }
  const { found, started } = await readBack(ctx, lines, 'after import');
  // Gone from the entries entity because SCM posted their journal and deleted its lines: posted,
  // when the import created every row. After an import with failing rows a missing line may be
  // one of those, or one of the deleted: it stays "not created", and its words say to look first.
  const gone = await postedWithoutLines(
    ctx,
    batch,
    lines.filter((l) => !isFound(found, l)),
  );
  const clean = batch.job_state === 'Processed';
  const postedGone = clean ? gone : new Map<string, JournalHeader>();
  const missing = lines.filter((l) => !isFound(found, l) && !postedGone.has(l.aggregated_line_id));
  let errors: string[] = batch.execution_errors ? (JSON.parse(batch.execution_errors) as string[]) : [];
  if (missing.length > 0 && batch.execution_id && batch.execution_errors === null) {
    errors = await executionErrors(ctx, batch, batch.execution_id);
  }
  const at = nowIso(ctx.clock);
  const created = createdMoves(lines, found, at);
  const failed = missing.map((l) => {
    const maybeIn = gone.get(l.aggregated_line_id);
    const careful = maybeIn
      ? ` Careful: SCM posted journal ${maybeIn.journalNumber} of this package and deleted its lines after posting, so this line may be in it. Check journal ${maybeIn.journalNumber} in SCM before Retry: a Retry sends the line again.`
      : '';
    return {
      id: l.aggregated_line_id,
      fields: {
        last_error: clip(`${notCreatedMessage(batch, l.aggregated_line_id, errors)}${careful}`),
        last_error_kind: 'data' as const,
      },
    };
  });
  await ctx.store.write(() => {
    logAttempt(ctx, 'fno', {
      action: 'readBack',
      started,
      outcome: failed.length > 0 ? 'data' : 'ok',
      request: `after import of package ${batch.batch_id} (${batch.job_state}): read back ${lines.length} line(s)`,
      response: `${created.length} created, ${postedGone.size} in posted journals whose lines SCM deleted, ${failed.length} not created`,
      targets: [
        ...readBackTargets(lines, found, null),
        ...[...postedGone].map(([id, h]) => ({
          id,
          outcome: 'ok',
          message: `journal ${h.journalNumber} is posted and its lines were deleted after posting: settled from its header`,
        })),
        ...failed.map((f) => ({ id: f.id, outcome: 'data', message: f.fields.last_error })),
      ],
    });
    ctx.store.status.moveAggregated(created, 'FnOCreated', at);
    add(ctx.counts, 'posted', settlePostedWithoutLines(ctx, postedGone, at).length);
    ctx.store.status.moveAggregated(failed, 'FnOCreateError', at);
    ctx.store.batches.update(batch.batch_id, { state: 'Done' }, at);
  });
  add(ctx.counts, 'created', created.length);
  add(ctx.counts, 'createErrors', failed.length);
}

/**
 * GetExecutionErrors [DM], kept on the package. A retryable failure ends the run (the package
 * stays Imported); SCM refusing the call (no such action, no rights) settles without messages.
 */
async function executionErrors(
  ctx: JobContext,
  batch: JournalBatchRow,
  executionId: string,
): Promise<string[]> {
  const started = realNow();
  const request = `POST GetExecutionErrors for execution ${executionId} (package ${batch.batch_id})`;
  let errors: string[];
  try {
    errors = await ctx.scm.executionErrors(executionId);
    ctx.reached('scm');
  } catch (error) {
    const c = await failedCall(ctx, 'executionErrors', request, started, error, []);
    if (c.kind === 'retry') throw error;
    errors = [`SCM's error list could not be read (${c.message}).`];
  }
  await ctx.store.write(() => {
    ctx.store.batches.update(batch.batch_id, { execution_errors: JSON.stringify(errors) }, nowIso(ctx.clock));
    logAttempt(ctx, 'fno', {
      action: 'executionErrors',
      started,
      outcome: 'ok',
      request,
      response: clip(errors.length > 0 ? errors.join('\n') : 'no messages'),
    });
  });
  return errors;
}
