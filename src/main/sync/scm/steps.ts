/**
 * The package state machine, one step per state. Each step commits its intent before the
 * upstream call and its outcome right after, so a crash anywhere leaves a state it resumes from:
 *
 *   Sending, read_back_first 0   never sent: send it
 *   Sending, read_back_first 1   may have reached SCM: read back, send only what is missing
 *   Enqueued                     poll the message [RI]; a reply without a known state is polled
 *                                for a bounded time, then the lines are read back
 *   Imported                     SCM's final word: read back; fetch GetExecutionErrors [DM] for
 *                                the lines it did not create
 */
import { nowIso, realNow } from '../../clock';
import type { JournalBatchRow, JournalBatchState } from '../../ledger/schema';
import { buildJournalPayload, isUpstreamError } from '../../upstream';
import { logAttempt } from '../attempts';
import { add, type JobContext } from '../context';
import { clip } from '../errors';
import { failedCall } from './failed-call';
import { toJournalFiles } from './journal-rows';
import {
  createdMoves,
  isFound,
  postedWithoutLines,
  readBack,
  readBackTargets,
  settlePostedWithoutLines,
} from './read-back';
import { settle } from './settle';

/** Polls without a known state before the lines are read back (also needs unknownStateGiveUpMs). */
const MAX_UNKNOWN_POLLS = 10;

export const STEPS: Record<
  Exclude<JournalBatchState, 'Done'>,
  (ctx: JobContext, b: JournalBatchRow) => Promise<void>
> = {
  Sending: send,
  Enqueued: poll,
  Imported: settle,
};

async function send(ctx: JobContext, batch: JournalBatchRow): Promise<void> {
  let lines = ctx.store.batches.lines(batch.batch_id);
  if (lines.length > 0 && batch.read_back_first) {
    // The first send may have reached SCM: never send a line SCM already has.
    const { found, started } = await readBack(ctx, lines, 'before resending');
    const moves = createdMoves(lines, found, nowIso(ctx.clock));
    // A journal posted meanwhile whose lines SCM deleted after posting: never sent again.
    const postedGone = await postedWithoutLines(
      ctx,
      batch,
      lines.filter((l) => !isFound(found, l)),
    );
    await ctx.store.write(() => {
      logAttempt(ctx, 'fno', {
        action: 'readBack',
        started,
        outcome: 'ok',
        request: `before resending package ${batch.batch_id}: read back ${lines.length} line(s)`,
        response: `${moves.length} of ${lines.length} already in SCM`,
        targets: readBackTargets(lines, found, 'not in SCM: sent again'),
      });
      ctx.store.status.moveAggregated(moves, 'FnOCreated', nowIso(ctx.clock));
      add(ctx.counts, 'posted', settlePostedWithoutLines(ctx, postedGone, nowIso(ctx.clock)).length);
    });
    add(ctx.counts, 'created', moves.length);
    add(ctx.counts, 'foundOnReadBack', moves.length + postedGone.size);
    lines = lines.filter((l) => !isFound(found, l) && !postedGone.has(l.aggregated_line_id));
  }
  if (lines.length === 0) {
    await ctx.store.write(() =>
      ctx.store.batches.update(batch.batch_id, { state: 'Done', read_back_first: 0 }, nowIso(ctx.clock)),
    );
    return;
  }

  const ids = lines.map((l) => l.aggregated_line_id);
  const t = ctx.settings.transactions;
  const profile = t.scmImportProfile;
  const journals = toJournalFiles(batch.batch_id, lines, t.fnoSyncMaxLineCount);
  const payload = buildJournalPayload(profile, journals, `Store Ledger package ${batch.batch_id}`);
  const shape = profile.kind === 'package' ? `data package of ${journals.length} journal(s)` : 'journal file';
  const request = `POST enqueue (company ${batch.organization_id}, ${shape} ${batch.batch_id}, project "${profile.projectName}"): ${lines.length} line(s), ${payload.body.length} bytes`;
  // Intent: from here until SCM's answer is committed, the outcome is unknown.
  await ctx.store.write(() => {
    ctx.store.batches.update(batch.batch_id, { read_back_first: 1, attemptsDelta: 1 }, nowIso(ctx.clock));
    ctx.store.batches.bumpAttempts(ids, nowIso(ctx.clock));
  });
  const started = realNow();
  let messageId: string;
  try {
    messageId = await ctx.scm.enqueue(batch.organization_id, batch.batch_id, payload);
    ctx.reached('scm');
  } catch (error) {
    const c = await failedCall(ctx, 'enqueue', request, started, error, ids);
    const known = isUpstreamError(error) && !error.outcomeUnknown;
    const refused = c.kind === 'data' && known;
    await ctx.store.write(() => {
      // SCM said no, or the request never left: nothing to read back before the next try.
      ctx.store.batches.update(
        batch.batch_id,
        {
          last_error: clip(c.message),
          ...(known && { read_back_first: 0 }),
          ...(refused && { state: 'Done' }),
        },
        nowIso(ctx.clock),
      );
      if (refused) {
        // The package itself was refused: none of its lines was created.
        ctx.store.status.moveAggregated(
          ids.map((id) => ({ id })),
          'FnOCreateError',
          nowIso(ctx.clock),
          { last_error: clip(`SCM refused the package: ${c.message}`), last_error_kind: 'data' },
        );
      }
    });
    if (!refused) throw error;
    add(ctx.counts, 'createErrors', ids.length);
    return;
  }
  await ctx.store.write(() => {
    ctx.store.batches.update(
      batch.batch_id,
      {
        state: 'Enqueued',
        message_id: messageId,
        job_state: 'Enqueued',
        read_back_first: 0,
        last_error: null,
      },
      nowIso(ctx.clock),
    );
    logAttempt(ctx, 'fno', {
      action: 'enqueue',
      started,
      outcome: 'ok',
      request,
      response: `queued as message ${messageId}`,
      targets: ids.map((id) => ({ id, outcome: 'ok', message: `sent in package ${batch.batch_id}` })),
    });
  });
  add(ctx.counts, 'journalsSent', journals.length);
  add(ctx.counts, 'linesSent', ids.length);
}

async function poll(ctx: JobContext, batch: JournalBatchRow): Promise<void> {
  const messageId = batch.message_id;
  if (!messageId) {
    await ctx.store.write(() =>
      ctx.store.batches.update(batch.batch_id, { state: 'Sending', read_back_first: 1 }, nowIso(ctx.clock)),
    );
    return;
  }
  const started = realNow();
  const request = `GET jobstatus of message ${messageId} (package ${batch.batch_id})`;
  let status: Awaited<ReturnType<JobContext['scm']['jobStatus']>>;
  try {
    status = await ctx.scm.jobStatus(messageId);
    ctx.reached('scm');
  } catch (error) {
    await failedCall(ctx, 'jobStatus', request, started, error, []);
    if (
      isUpstreamError(error) &&
      error.status === 404 &&
      error.upstreamMessage.toLowerCase().includes(messageId.toLowerCase())
    ) {
      // SCM no longer knows the message: find out what it created, send the rest again.
      await ctx.store.write(() =>
        ctx.store.batches.update(batch.batch_id, { state: 'Sending', read_back_first: 1 }, nowIso(ctx.clock)),
      );
      return;
    }
    throw error;
  }
  const now = nowIso(ctx.clock);
  // A job state for a message we sent is the proof Initialize could not get: the activity works.
  if (status.state !== null)
    await ctx.store.write(() =>
      ctx.store.confirmActivity(
        ctx.settings.transactions.fnoAdjustmentIntegrationActivityId ?? '',
        status.dataProject,
        now,
      ),
    );
  if (status.state === null) {
    // No state, or one outside the enum: bounded, then settled by reading back.
    const since = batch.unknown_since ?? now;
    const polls = batch.unknown_polls + 1;
    const giveUp =
      polls >= MAX_UNKNOWN_POLLS && ctx.clock.now() - Date.parse(since) >= ctx.timing.unknownStateGiveUpMs;
    const said =
      status.rawState === undefined || status.rawState === null
        ? 'no state'
        : `state ${JSON.stringify(status.rawState)}`;
    await ctx.store.write(() => {
      ctx.store.batches.update(
        batch.batch_id,
        giveUp
          ? {
              state: 'Imported',
              job_state: 'unknown',
              unknown_polls: polls,
              execution_id: status.executionId,
              execution_log: `SCM's job status gave ${said} ${polls} times since ${since}; the lines were read back to settle them.`,
            }
          : { unknown_polls: polls, unknown_since: since },
        now,
      );
      logAttempt(ctx, 'fno', {
        action: 'jobStatus',
        started,
        outcome: 'retry',
        request,
        response: giveUp
          ? `${said}: gave up polling after ${polls} replies; reading the lines back instead`
          : `${said} (reply ${polls}); asking again`,
      });
    });
    if (giveUp) await settleNow(ctx, batch.batch_id);
    return;
  }
  if (!status.final) {
    await ctx.store.write(() => {
      ctx.store.batches.update(batch.batch_id, { job_state: status.state }, now);
      logAttempt(ctx, 'fno', {
        action: 'jobStatus',
        started,
        outcome: 'ok',
        request,
        response: status.state,
      });
    });
    return;
  }
  const counts = status.details
    .map(
      (d) =>
        `${d.entityName}: ${d.targetRecords ?? '?'} imported, ${(d.stagingErrors ?? 0) + (d.targetErrors ?? 0)} error(s)`,
    )
    .join('; ');
  await ctx.store.write(() => {
    ctx.store.batches.update(
      batch.batch_id,
      {
        state: 'Imported',
        job_state: status.state,
        execution_id: status.executionId,
        execution_log: clip(status.log, 100_000) ?? '',
      },
      now,
    );
    logAttempt(ctx, 'fno', {
      action: 'jobStatus',
      started,
      outcome: 'ok',
      request,
      response: clip(
        `${status.state}${status.executionId ? ` (execution ${status.executionId})` : ''}${counts ? `; ${counts}` : ''}\n${status.log}`,
      ),
    });
  });
  await settleNow(ctx, batch.batch_id);
}

async function settleNow(ctx: JobContext, batchId: string): Promise<void> {
  const imported = ctx.store.batches.get(batchId);
  if (imported) await settle(ctx, imported);
}
