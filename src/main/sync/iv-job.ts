import { isBaseDimension } from '../../shared/dimensions';
import type { ErrorKind } from '../../shared/views';
import { isoAt, nowIso, realNow } from '../clock';
import type { DueLine } from '../ledger/iv-queue';
import { IV_BULK_MAX_EVENTS, type OnHandBulkResult, type OnHandEvent } from '../upstream';
import { kindForStatus } from '../upstream/errors';
import { mayHaveApplied } from '../upstream/failures';
import { logAttempt } from './attempts';
import { holdbackDelay } from './backoff';
import { add, type JobContext } from './context';
import { classify, clip } from './errors';
import { holdUnconfirmed } from './iv-holds';
import { IvInFlight } from './iv-in-flight';

export interface IvJobOptions {
  /** Also offer lines IV rejected before, without waiting for their hold-back (on demand). */
  includeHeldBack: boolean;
  /** Only lines asked for with *Instant update to IV* (the periodic IV setting is off). */
  instantOnly: boolean;
  /** The engine's calls on the wire, which Void waits for; a job driven alone (tests) gets its own. */
  inFlight?: IvInFlight;
}

/**
 * The on-hand change event of a line. IV takes only base dimensions unless the event names a
 * `dimensionDataSource`
 * (https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-api):
 * external dimensions go with it when one is set, and
 * otherwise stay in the ledger (Microsoft's article keeps them IV-only and off SCM's journals).
 */
export function toEvent(line: DueLine, dimensionDataSource: string | null = null): OnHandEvent {
  const all = JSON.parse(line.dimensions) as Record<string, string>;
  const dimensions =
    dimensionDataSource === null
      ? Object.fromEntries(Object.entries(all).filter(([k]) => isBaseDimension(k)))
      : all;
  return {
    id: line.line_record_id,
    organizationId: line.organization_id,
    productId: line.product_id,
    dimensions,
    ...(dimensionDataSource !== null &&
      Object.keys(all).some((k) => !isBaseDimension(k)) && { dimensionDataSource }),
    quantities: { [line.quantity_data_source]: { [line.physical_measure]: line.quantity } },
  };
}

/**
 * Sends Created lines to IV, oldest first, 512 per call, up to *Upstream calls in flight*
 * calls at once, until none is due: a week's backlog is bounded by IV, not by one call's
 * latency. IV counts an event `id` (our lineRecordId) once, so a line resent after a crash or
 * a lost answer is never counted twice: a Created line is its own intent to send. What the
 * ledger keeps per call is whether IV may have the line (`iv_sending` while the call is on the
 * wire, then `iv_maybe_applied`), which decides whether a clerk can still void it;
 * Void waits for a call in flight through `inFlight`. Each lane is a pipeline: while its call
 * is in flight it claims and builds the next 512 (the cursor moves synchronously, so no two
 * lanes take the same line), and when the call answers it sends them at once, then commits the
 * answer (one transaction per call). A call that fails as a whole with a retry or configuration
 * error stops every lane from sending again and ends the run once the calls in flight have
 * answered, so every lane backs off together (honouring Retry-After); a rejected line is held
 * back so it never blocks the others.
 */
export async function runIvJob(ctx: JobContext, options: IvJobOptions): Promise<{ lineErrors: number }> {
  const onWire = options.inFlight ?? new IvInFlight(ctx.clock);
  const lanes = Math.max(1, ctx.settings.transactions.upstreamCallsInFlight);
  const source = ctx.settings.transactions.ivDimensionDataSource;
  const dueAt = options.includeHeldBack ? null : nowIso(ctx.clock);
  let cursor = 0;
  let lineErrors = 0;
  let failure: { error: unknown } | null = null;
  const more = () => !failure && !ctx.stopping();
  const claim = (): Claimed | null => {
    if (!more()) return null;
    try {
      const lines = ctx.store.iv.due(cursor, IV_BULK_MAX_EVENTS, dueAt, options.instantOnly);
      if (lines.length === 0) return null;
      cursor = lines[lines.length - 1]!.seq;
      return { lines, events: lines.map((l) => toEvent(l, source)) };
    } catch (error) {
      // The lane still settles the call it has in flight (and closes it for Void); the run ends after.
      failure ??= { error };
      return null;
    }
  };
  // The next 512, claimed and built while calls are in flight, for whichever lane answers first.
  let ready: Claimed | null = null;
  const take = (): Claimed | null => {
    const next = ready ?? claim();
    ready = null;
    return next;
  };
  // A batch is on the wire, for Void, from the moment it leaves until its outcome is committed.
  const start = (batch: Claimed | null) => {
    if (!batch) return null;
    const wire = onWire.open(batch.lines.map((l) => l.line_record_id));
    return call(ctx, batch).then((answer) => ({ ...answer, wire }));
  };
  const lane = async (): Promise<void> => {
    let inFlight = start(take());
    while (inFlight) {
      ready ??= claim();
      const answer = await inFlight;
      // Only an answer IV took lets the next call leave before this one is committed: a failed
      // call is settled first (it may stop the run, or be split to find a line at fault).
      inFlight = answer.result && more() ? start(take()) : null;
      try {
        lineErrors += await settle(ctx, answer, source);
      } catch (error) {
        failure ??= { error };
      } finally {
        onWire.close(answer.wire);
      }
      if (!answer.result && more()) inFlight = start(take());
    }
  };
  // Settled, not all: a lane that failed must not end the run while another's call is on the wire.
  const ended = await Promise.allSettled(Array.from({ length: lanes }, lane));
  for (const end of ended) if (end.status === 'rejected') failure ??= { error: end.reason };
  if (failure) throw (failure as { error: unknown }).error;
  return { lineErrors };
}

function describeRequest(events: OnHandEvent[]): string {
  const first = events[0] ? JSON.stringify(events[0]) : '';
  const more = events.length > 1 ? ` … and ${events.length - 1} more` : '';
  return clip(`POST onhand/bulk: ${events.length} event(s): ${first}${more}`, 2000)!;
}

function describeAnswer(result: OnHandBulkResult): string {
  const rejected = result.rejected.map((r) => `${r.id}: ${r.message}`).join('; ');
  const held = result.held.length > 0 ? `, held for resend ${result.held.length} (${result.heldReason})` : '';
  const raw =
    result.held.length > 0 || result.rejected.length > 0 ? `\nanswer: ${result.raw || '(empty)'}` : '';
  return clip(
    `accepted ${result.accepted.length}, rejected ${result.rejected.length}${rejected ? ` (${rejected})` : ''}${held}${raw}`,
    2000,
  )!;
}

interface Claimed {
  lines: DueLine[];
  events: OnHandEvent[];
}

interface Answer extends Claimed {
  started: number;
  /** IV's answer, or (without it) why the call failed as a whole. */
  result?: OnHandBulkResult;
  error?: unknown;
  /** The call left (a failure before it left cannot have applied anything). */
  sent: boolean;
}

const NOTHING: OnHandBulkResult = {
  accepted: [],
  alreadyApplied: [],
  rejected: [],
  held: [],
  heldReason: null,
  raw: '',
};

/**
 * One bulk call on the wire; never rejects (the failure is part of the answer). Its lines are
 * marked as sending, committed, before it leaves, and it leaves with the lines the mark found
 * still Created: a line voided since it was claimed is not sent (the void superseded the claim),
 * and if the process dies with the call on the wire the next start knows IV may have its lines.
 */
async function call(ctx: JobContext, claimed: Claimed): Promise<Answer> {
  const started = realNow();
  let lines = claimed.lines;
  let events = claimed.events;
  let leaving: { answer: Promise<OnHandBulkResult> } | null;
  try {
    // The intent is committed and the call leaves in the same stretch.
    leaving = await ctx.store.writeThenCall(
      () => ctx.store.iv.sending(lines.map((l) => l.seq)),
      (marked) => {
        if (marked.size < lines.length) {
          const kept = lines.map((l) => marked.has(l.seq));
          lines = lines.filter((_, i) => kept[i]);
          events = events.filter((_, i) => kept[i]);
        }
        if (lines.length === 0) return null;
        add(ctx.counts, 'calls');
        add(ctx.counts, 'sent', lines.length);
        return { answer: ctx.iv.postOnHandBulk(events) };
      },
    );
  } catch (error) {
    return { lines, events, started, error, sent: false };
  }
  if (!leaving) return { lines, events, started, result: NOTHING, sent: false };
  try {
    const result = await leaving.answer;
    ctx.reached('iv');
    return { lines, events, started, result, sent: true };
  } catch (error) {
    return { lines, events, started, error, sent: true };
  }
}

/** One call, its outcome committed. Answers the number of lines rejected. */
async function send(ctx: JobContext, lines: DueLine[], source: string | null): Promise<number> {
  return settle(ctx, await call(ctx, { lines, events: lines.map((l) => toEvent(l, source)) }), source);
}

/** Commits one call's outcome in one transaction. Answers the number of lines rejected. */
async function settle(ctx: JobContext, answer: Answer, source: string | null): Promise<number> {
  const { lines, events, started, result } = answer;
  // Every line was voided between its claim and the call: nothing left, nothing to record.
  if (lines.length === 0) return 0;
  if (!result) {
    const error = answer.error;
    const c = classify(error);
    // Whether IV may have applied the lines: a timeout, a connection dropped after sending, a
    // server error. Refused connections, DNS failures and IV's own refusals never applied them.
    const maybeApplied = answer.sent && c.outcomeUnknown;
    if (c.status !== null) ctx.reached('iv');
    if (c.kind !== 'data') ctx.callFailed('iv', c.message, c.offline);
    if (c.kind === 'data' && lines.length > 1) {
      // IV refused the whole request for something in it: halve it until the line is found.
      await ctx.store.write(() =>
        logAttempt(ctx, 'iv', {
          action: 'onhand/bulk',
          started,
          outcome: 'data',
          request: describeRequest(events),
          response: clip(`${c.message} (sent again in smaller parts to find the line at fault)`),
          targets: lines.map((l) => ({ id: l.line_record_id, outcome: 'data', message: c.message })),
        }),
      );
      const mid = Math.ceil(lines.length / 2);
      return (await send(ctx, lines.slice(0, mid), source)) + (await send(ctx, lines.slice(mid), source));
    }
    await ctx.store.write(() => {
      logAttempt(ctx, 'iv', {
        action: 'onhand/bulk',
        started,
        outcome: c.kind,
        request: describeRequest(events),
        response: clip(c.message),
        targets: lines.map((l) => ({ id: l.line_record_id, outcome: c.kind, message: c.message })),
      });
      for (const line of lines) {
        const holdUntil =
          c.kind === 'data' ? isoAt(ctx.clock.now() + holdbackDelay(line.attempts + 1, ctx.timing)) : null;
        ctx.store.iv.failed(line.line_record_id, clip(c.message)!, c.kind, holdUntil, maybeApplied);
      }
    });
    if (c.kind === 'data') {
      add(ctx.counts, 'rejected');
      return 1;
    }
    throw error;
  }

  const at = nowIso(ctx.clock);
  const acceptedIds = new Set(result.accepted);
  const accepted = lines.filter((l) => acceptedIds.has(l.line_record_id)).map((l) => l.line_record_id);
  const heldMessage = `${result.heldReason ?? 'Inventory Visibility did not confirm this event'}; it will be sent again (IV counts it once).`;
  const byId = new Map(lines.map((l) => [l.line_record_id, l]));
  const capped = await ctx.store.write(() => {
    logAttempt(ctx, 'iv', {
      action: 'onhand/bulk',
      started,
      outcome: result.rejected.length > 0 ? 'data' : result.held.length > 0 ? 'retry' : 'ok',
      request: describeRequest(events),
      response: describeAnswer(result),
      targets: [
        ...accepted.map((id) => ({ id, outcome: 'ok', message: 'accepted by Inventory Visibility' })),
        ...result.rejected.map((r) => ({
          id: r.id,
          outcome: kindForStatus(r.statusCode, 'data'),
          message: r.message,
        })),
        ...result.held.map((id) => ({ id, outcome: 'retry', message: heldMessage })),
      ],
    });
    ctx.store.status.moveLines(accepted, 'IVPosted', {
      iv_posted_at: at,
      last_error: null,
      last_error_kind: null,
      next_attempt_at: null,
      iv_sending: 0,
      iv_maybe_applied: 1,
      attemptsDelta: 1,
    });
    for (const r of result.rejected) {
      const line = byId.get(r.id);
      if (!line) continue;
      const kind: ErrorKind = kindForStatus(r.statusCode, 'data');
      // Held back either way, so that a line IV keeps refusing never stalls the lines behind it.
      const delay = kind === 'retry' ? ctx.timing.minBackoffMs : holdbackDelay(line.attempts + 1, ctx.timing);
      // IV refused it by name; only a server error in its place, or IV saying it applied part
      // of it, leaves doubt.
      const maybeApplied = r.partlyApplied === true || mayHaveApplied(r.statusCode);
      ctx.store.iv.failed(r.id, clip(r.message)!, kind, isoAt(ctx.clock.now() + delay), maybeApplied);
    }
    // Not confirmed: stays Created, held back briefly so this run moves on to the next lines.
    return holdUnconfirmed(ctx, byId, result, heldMessage);
  });
  add(ctx.counts, 'held', result.held.length);
  add(ctx.counts, 'accepted', accepted.length);
  add(ctx.counts, 'rejected', result.rejected.length);
  return result.rejected.length + capped;
}
