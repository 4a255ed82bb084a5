import { SCM_DIMENSION_COLUMNS, SCM_DIMENSIONS } from '../../shared/dimensions';
import { newRecordId } from '../ledger/ids';
import type { AggregatedLineRow, JournalBatchRow } from '../ledger/schema';
import type { AttemptTarget } from '../ledger/sync-store';
import { buildJournalCsv, isUpstreamError, type JournalEntry, type JournalRow } from '../upstream';
import { parseRowErrors } from '../upstream/scm-client';
import { aggregate } from './aggregation';
import { add, iso, type JobContext } from './context';
import { classify, clip } from './errors';

/** Journal headers asked for per OData call (the client splits long filters further). */
const HEADER_CHUNK = 100;
/** IDs read back by ID to learn which journal(s) SCM made of a file. */
const SAMPLE_SIZE = 5;
/** Up to this many lines, a read back by ID (about one query) beats sample + whole journal. */
const BY_ID_MAX = 20;

export interface ScmJobOptions {
  /** Aggregate and send what is new; without it only what is already in flight is followed. */
  sendNew: boolean;
}

export interface ScmJobResult {
  lineErrors: number;
  /** Batches still in flight or journals still to be posted. */
  pending: { batches: number; posting: number };
  /** Some line changed status in SCM's direction during this run. */
  progressed: boolean;
}

/** One journal line of the file (upstream.md §C.4). */
export function toJournalRow(line: AggregatedLineRow): JournalRow {
  const dims = JSON.parse(line.dimensions) as Record<string, string>;
  const row: JournalRow = {
    InventoryServiceTransactionId: line.aggregated_line_id,
    dataAreaId: line.organization_id,
    // Blank = the organization's default journal name in SCM.
    JournalNameId: line.fno_journal_name_id ?? '',
    InventoryServiceJournalExpectedStatus: line.target_transaction_status === 'Posted' ? 'Posted' : 'Created',
    ItemNumber: line.product_id,
    TransactionDate: line.trans_date,
    InventoryQuantity: line.quantity,
    // Blank = SCM's own costing.
    UnitCost: line.cost_price,
    InventoryServiceAdjustmentOffsetDatasource: line.quantity_data_source,
    InventoryServiceAdjustmentOffsetPhysicalMeasure: line.physical_measure,
  };
  for (const d of SCM_DIMENSIONS) row[SCM_DIMENSION_COLUMNS[d]] = dims[d] ?? '';
  return row;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * The SCM job (domain.md §6): aggregate, cut journals, send them, follow them to created
 * and posted. Each step commits its intent before the upstream call and its outcome right
 * after, so a crash anywhere leaves a state this job resumes from:
 *
 *   batch Sending, read_back_first 0   never sent: send it
 *   batch Sending, read_back_first 1   may have reached SCM: read back, send only what is missing
 *   batch Enqueued                     poll the message
 *   batch Imported                     read the lines back, then Done
 */
export async function runScmJob(ctx: JobContext, options: ScmJobOptions): Promise<ScmJobResult> {
  const counts = ctx.counts;
  const before = { ...counts };
  if (options.sendNew) {
    const targets = ctx.store.mappingTargets();
    for (;;) {
      const result = aggregate(ctx.store, targets, new Date());
      add(counts, 'aggregatedDetailedLines', result.detailedLines);
      add(counts, 'aggregatedLines', result.aggregatedLines);
      add(counts, 'doNotSync', result.doNotSync);
      if (result.detailedLines === 0) break;
      ctx.changed();
      // Let requests in waiting run between steps of a large backlog.
      await new Promise((resolve) => setImmediate(resolve));
      if (ctx.stopping()) break;
    }
    if (createBatches(ctx) > 0) ctx.changed();
  }
  const deadline = Date.now() + ctx.timing.inRunFollowMs;
  let wait = ctx.timing.pollMs;
  let pending = ctx.store.scmFollowUp();
  for (;;) {
    if (ctx.stopping()) break;
    await advanceBatches(ctx);
    if (ctx.stopping()) break;
    await followPosting(ctx);
    pending = ctx.store.scmFollowUp();
    if (pending.batches + pending.posting === 0) break;
    if (Date.now() + wait > deadline) break;
    await sleep(wait);
    wait = Math.min(wait * 2, 1000);
  }
  const lineErrors = (counts.createErrors ?? 0) + (counts.postErrors ?? 0);
  const progressed = ['linesSent', 'created', 'createErrors', 'posted', 'postErrors'].some(
    (k) => (counts[k] ?? 0) > (before[k] ?? 0),
  );
  return { lineErrors, pending, progressed };
}

/**
 * Cuts the Created aggregated lines into journal files: one per organization, journal name
 * and expected status (SCM makes one journal per file), at most *max line count* lines each.
 * One transaction: the batches and the lines' FnOSent are the intent to send.
 */
export function createBatches(ctx: Pick<JobContext, 'store' | 'settings' | 'counts'>): number {
  const at = iso();
  return ctx.store.transaction(() => {
    const send: BatchLine[] = [];
    const none: string[] = [];
    for (const line of ctx.store.createdAggregated()) {
      if (line.target_transaction_status === 'None') none.push(line.aggregated_line_id);
      else send.push(line);
    }
    if (none.length > 0) {
      ctx.store.status.moveAggregated(
        none.map((id) => ({ id })),
        'DoNotSync',
        at,
        { status_reason: 'The mapping of this measure has target status None: nothing is created in SCM.' },
      );
    }
    const { batches } = cutBatches(ctx.store, send, ctx.settings.transactions.fnoSyncMaxLineCount, at, 0);
    add(ctx.counts, 'journalsCut', batches);
    return batches;
  });
}

type BatchLine = Pick<
  AggregatedLineRow,
  'aggregated_line_id' | 'organization_id' | 'fno_journal_name_id' | 'target_transaction_status'
>;

/**
 * Groups lines into journal files (one per company, journal name and expected status, at
 * most `max` lines each) and records each file with its lines FnOSent: the intent to send.
 * `readBackFirst` marks files whose lines may already be in SCM (a clerk's retry).
 * Runs inside the caller's transaction.
 */
export function cutBatches(
  store: JobContext['store'],
  lines: readonly BatchLine[],
  max: number,
  at: string,
  readBackFirst: 0 | 1,
): { batches: number; moved: number } {
  const groups = new Map<string, { first: BatchLine; ids: string[] }>();
  for (const line of lines) {
    const key = JSON.stringify([
      line.organization_id.toLowerCase(),
      line.fno_journal_name_id?.toLowerCase() ?? null,
      line.target_transaction_status,
    ]);
    const group = groups.get(key) ?? { first: line, ids: [] };
    group.ids.push(line.aggregated_line_id);
    groups.set(key, group);
  }
  let batches = 0;
  let moved = 0;
  for (const { first, ids: all } of groups.values()) {
    for (let i = 0; i < all.length; i += max) {
      const ids = all.slice(i, i + max);
      const batchId = newRecordId();
      store.insertBatch({
        batch_id: batchId,
        organization_id: first.organization_id,
        journal_name_id: first.fno_journal_name_id,
        target_status: first.target_transaction_status,
        line_count: ids.length,
        read_back_first: readBackFirst,
        created_at: at,
      });
      moved += store.status.moveAggregated(
        ids.map((id) => ({ id })),
        'FnOSent',
        at,
        { journal_batch_id: batchId },
      ).moved.length;
      batches++;
    }
  }
  return { batches, moved };
}

async function advanceBatches(ctx: JobContext): Promise<void> {
  for (const batch of ctx.store.batchesIn(['Sending', 'Enqueued', 'Imported'])) {
    if (ctx.stopping()) return;
    if (batch.state === 'Sending') await sendBatch(ctx, batch);
    else if (batch.state === 'Enqueued') await pollBatch(ctx, batch);
    else await readBackImported(ctx, batch);
  }
}

/** Records a failed call on its lines and in the attempt log, then lets the run end (backoff). */
function failedCall(
  ctx: JobContext,
  action: string,
  request: string,
  started: number,
  error: unknown,
  lineIds: readonly string[],
): ReturnType<typeof classify> {
  const c = classify(error);
  if (c.status !== null) ctx.reached('scm');
  ctx.store.transaction(() => {
    ctx.store.recordAttempt({
      runId: ctx.runId,
      job: 'fno',
      action,
      at: iso(),
      durationMs: Date.now() - started,
      outcome: c.kind,
      request,
      response: clip(c.message),
      targets: lineIds.map((id) => ({ id, outcome: c.kind, message: c.message })),
    });
    if (lineIds.length > 0) ctx.store.aggregatedError(lineIds, clip(c.message)!, c.kind, iso());
  });
  ctx.changed();
  return c;
}

/** A few IDs spread over the list (first and last included). */
export function sampleIds(ids: readonly string[], size = SAMPLE_SIZE): string[] {
  if (ids.length <= size) return [...ids];
  if (size <= 1) return ids.slice(0, size);
  const out = new Set<string>();
  for (let i = 0; i < size; i++) out.add(ids[Math.round((i * (ids.length - 1)) / (size - 1))]!);
  return [...out];
}

/**
 * Where SCM put these aggregated lines: the same answer as reading every ID back by ID, in
 * far fewer queries. SCM makes one journal of a file, so a few IDs read back by ID name the
 * journal(s); each is read whole (one query for up to 10,000 lines, instead of one per ~70
 * IDs); only the IDs still missing are looked up by ID: the rows SCM did not create (the
 * FnOCreateError candidates) or rows that went to a journal the sample did not name.
 * Exported for tests.
 */
export async function locateEntries(
  scm: Pick<JobContext['scm'], 'readBackEntries' | 'readBackJournal'>,
  ids: readonly string[],
): Promise<Map<string, JournalEntry>> {
  const found = new Map<string, JournalEntry>();
  const keep = (entries: readonly JournalEntry[], wanted: ReadonlySet<string>) => {
    for (const e of entries) {
      const key = e.transactionId.toLowerCase();
      if (wanted.has(key) && !found.has(key)) found.set(key, e);
    }
  };
  const wanted = new Set(ids.map((id) => id.toLowerCase()));
  if (ids.length > BY_ID_MAX) {
    const sample = sampleIds(ids);
    keep(await scm.readBackEntries(sample), wanted);
    const journals = new Map<string, { dataAreaId: string; journalNumber: string }>();
    for (const e of found.values()) {
      journals.set(JSON.stringify([e.dataAreaId.toLowerCase(), e.journalNumber.toLowerCase()]), e);
    }
    for (const j of journals.values()) keep(await scm.readBackJournal(j.dataAreaId, j.journalNumber), wanted);
  }
  const missing = ids.filter((id) => !found.has(id.toLowerCase()));
  if (missing.length > 0) keep(await scm.readBackEntries(missing), wanted);
  return found;
}

/** Reads the lines back (locateEntries); a failure ends the run. */
async function readBack(
  ctx: JobContext,
  ids: readonly string[],
  why: string,
): Promise<{ found: Map<string, JournalEntry>; started: number; durationMs: number }> {
  const started = Date.now();
  try {
    const found = await locateEntries(ctx.scm, ids);
    ctx.reached('scm');
    return { found, started, durationMs: Date.now() - started };
  } catch (error) {
    failedCall(ctx, 'readBack', `${why}: read back ${ids.length} line(s)`, started, error, []);
    throw error;
  }
}

function createdMoves(lines: readonly AggregatedLineRow[], found: Map<string, JournalEntry>) {
  const moves = [];
  for (const line of lines) {
    const e = found.get(line.aggregated_line_id.toLowerCase());
    if (!e) continue;
    moves.push({
      id: line.aggregated_line_id,
      fields: {
        journal_number: e.journalNumber,
        journal_line_number: Number.isFinite(e.lineNumber) ? e.lineNumber : null,
        last_error: null,
        last_error_kind: null,
      },
    });
  }
  return moves;
}

function readBackTargets(lines: readonly AggregatedLineRow[], found: Map<string, JournalEntry>) {
  return lines.map((l): AttemptTarget => {
    const e = found.get(l.aggregated_line_id.toLowerCase());
    return {
      id: l.aggregated_line_id,
      outcome: 'ok',
      message: e ? `found: journal ${e.journalNumber}, line ${e.lineNumber}` : 'not found in SCM',
    };
  });
}

async function sendBatch(ctx: JobContext, batch: JournalBatchRow): Promise<void> {
  let lines = ctx.store.batchLines(batch.batch_id);
  if (lines.length > 0 && batch.read_back_first) {
    // The first send may have reached SCM: never send a line SCM already has.
    const { found, durationMs } = await readBack(
      ctx,
      lines.map((l) => l.aggregated_line_id),
      'before resending',
    );
    const moves = createdMoves(lines, found);
    ctx.store.transaction(() => {
      ctx.store.recordAttempt({
        runId: ctx.runId,
        job: 'fno',
        action: 'readBack',
        at: iso(),
        durationMs,
        outcome: 'ok',
        request: `before resending journal file ${batch.batch_id}: read back ${lines.length} line(s)`,
        response: `${moves.length} of ${lines.length} already in SCM`,
        targets: readBackTargets(lines, found),
      });
      ctx.store.status.moveAggregated(moves, 'FnOCreated', iso());
    });
    add(ctx.counts, 'created', moves.length);
    add(ctx.counts, 'foundOnReadBack', moves.length);
    if (moves.length > 0) ctx.changed();
    lines = lines.filter((l) => !found.has(l.aggregated_line_id.toLowerCase()));
  }
  if (lines.length === 0) {
    ctx.store.updateBatch(batch.batch_id, { state: 'Done', read_back_first: 0 }, iso());
    return;
  }

  const ids = lines.map((l) => l.aggregated_line_id);
  const csv = buildJournalCsv(lines.map(toJournalRow));
  const request = clip(
    `POST enqueue (company ${batch.organization_id}, journal file ${batch.batch_id}): ${lines.length} line(s)\n${csv}`,
    2000,
  )!;
  // Intent: from here until SCM's answer is committed, the outcome is unknown.
  ctx.store.transaction(() => {
    ctx.store.updateBatch(batch.batch_id, { read_back_first: 1, attemptsDelta: 1 }, iso());
    ctx.store.bumpAggregatedAttempts(ids, iso());
  });
  const started = Date.now();
  let messageId: string;
  try {
    messageId = await ctx.scm.enqueue(batch.organization_id, batch.batch_id, csv);
    ctx.reached('scm');
  } catch (error) {
    const c = failedCall(ctx, 'enqueue', request, started, error, ids);
    const known = isUpstreamError(error) && !error.outcomeUnknown;
    ctx.store.transaction(() => {
      // SCM said no, or the request never left: nothing to read back before the next try.
      if (known)
        ctx.store.updateBatch(batch.batch_id, { read_back_first: 0, last_error: clip(c.message) }, iso());
      else ctx.store.updateBatch(batch.batch_id, { last_error: clip(c.message) }, iso());
      if (c.kind === 'data' && known) {
        // The file itself was refused: none of its lines was created.
        ctx.store.status.moveAggregated(
          ids.map((id) => ({ id })),
          'FnOCreateError',
          iso(),
          { last_error: clip(c.message), last_error_kind: 'data' },
        );
        ctx.store.updateBatch(batch.batch_id, { state: 'Done' }, iso());
      }
    });
    if (c.kind === 'data' && known) {
      add(ctx.counts, 'createErrors', ids.length);
      ctx.changed();
      return;
    }
    throw error;
  }
  ctx.store.transaction(() => {
    ctx.store.updateBatch(
      batch.batch_id,
      {
        state: 'Enqueued',
        message_id: messageId,
        job_state: 'Enqueued',
        read_back_first: 0,
        last_error: null,
      },
      iso(),
    );
    ctx.store.recordAttempt({
      runId: ctx.runId,
      job: 'fno',
      action: 'enqueue',
      at: iso(),
      durationMs: Date.now() - started,
      outcome: 'ok',
      request,
      response: `queued as message ${messageId}`,
      targets: ids.map((id) => ({ id, outcome: 'ok', message: `sent in journal file ${batch.batch_id}` })),
    });
  });
  add(ctx.counts, 'journalsSent');
  add(ctx.counts, 'linesSent', ids.length);
  ctx.changed();
}

async function pollBatch(ctx: JobContext, batch: JournalBatchRow): Promise<void> {
  const messageId = batch.message_id;
  if (!messageId) {
    ctx.store.updateBatch(batch.batch_id, { state: 'Sending', read_back_first: 1 }, iso());
    return;
  }
  const started = Date.now();
  const request = `GET jobstatus of message ${messageId} (journal file ${batch.batch_id})`;
  let status: Awaited<ReturnType<JobContext['scm']['jobStatus']>>;
  try {
    status = await ctx.scm.jobStatus(messageId);
    ctx.reached('scm');
  } catch (error) {
    if (
      isUpstreamError(error) &&
      error.status === 404 &&
      error.upstreamMessage.toLowerCase().includes(messageId.toLowerCase())
    ) {
      // SCM no longer knows the message: find out what it created, send the rest again.
      failedCall(ctx, 'jobStatus', request, started, error, []);
      ctx.store.updateBatch(batch.batch_id, { state: 'Sending', read_back_first: 1 }, iso());
      return;
    }
    failedCall(ctx, 'jobStatus', request, started, error, []);
    throw error;
  }
  if (!status.final) {
    ctx.store.transaction(() => {
      ctx.store.updateBatch(batch.batch_id, { job_state: status.state }, iso());
      ctx.store.recordAttempt({
        runId: ctx.runId,
        job: 'fno',
        action: 'jobStatus',
        at: iso(),
        durationMs: Date.now() - started,
        outcome: 'ok',
        request,
        response: status.state,
        targets: [],
      });
    });
    return;
  }
  ctx.store.transaction(() => {
    ctx.store.updateBatch(
      batch.batch_id,
      { state: 'Imported', job_state: status.state, execution_log: clip(status.log, 100_000) ?? '' },
      iso(),
    );
    ctx.store.recordAttempt({
      runId: ctx.runId,
      job: 'fno',
      action: 'jobStatus',
      at: iso(),
      durationMs: Date.now() - started,
      outcome: 'ok',
      request,
      response: clip(`${status.state}\n${status.log}`),
      targets: [],
    });
  });
  const imported = ctx.store.batch(batch.batch_id);
  if (imported) await readBackImported(ctx, imported);
}

/** After SCM's final word on a file: each line found is FnOCreated, each missing one FnOCreateError. */
async function readBackImported(ctx: JobContext, batch: JournalBatchRow): Promise<void> {
  const lines = ctx.store.batchLines(batch.batch_id);
  if (lines.length === 0) {
    ctx.store.updateBatch(batch.batch_id, { state: 'Done' }, iso());
    return;
  }
  const { found, durationMs } = await readBack(
    ctx,
    lines.map((l) => l.aggregated_line_id),
    'after import',
  );
  const log = batch.execution_log ?? '';
  const rowErrors = new Map<string, string>();
  for (const [id, message] of parseRowErrors(log)) rowErrors.set(id.toLowerCase(), message);
  const wholeLog = clip(
    `Supply Chain Management did not create this line (message ${batch.message_id}, ${batch.job_state}). ${log || 'The execution log is empty.'}`,
  )!;
  const created = createdMoves(lines, found);
  const failed = lines
    .filter((l) => !found.has(l.aggregated_line_id.toLowerCase()))
    .map((l) => ({
      id: l.aggregated_line_id,
      fields: {
        last_error: clip(rowErrors.get(l.aggregated_line_id.toLowerCase()) ?? wholeLog),
        last_error_kind: 'data' as const,
      },
    }));
  ctx.store.transaction(() => {
    ctx.store.recordAttempt({
      runId: ctx.runId,
      job: 'fno',
      action: 'readBack',
      at: iso(),
      durationMs,
      outcome: failed.length > 0 ? 'data' : 'ok',
      request: `after import of journal file ${batch.batch_id} (${batch.job_state}): read back ${lines.length} line(s)`,
      response: `${created.length} created, ${failed.length} not created`,
      targets: [
        ...readBackTargets(
          lines.filter((l) => found.has(l.aggregated_line_id.toLowerCase())),
          found,
        ),
        ...failed.map((f) => ({ id: f.id, outcome: 'data', message: f.fields.last_error })),
      ],
    });
    ctx.store.status.moveAggregated(created, 'FnOCreated', iso());
    ctx.store.status.moveAggregated(failed, 'FnOCreateError', iso());
    ctx.store.updateBatch(batch.batch_id, { state: 'Done' }, iso());
  });
  add(ctx.counts, 'created', created.length);
  add(ctx.counts, 'createErrors', failed.length);
  ctx.changed();
}

/**
 * Journals expected to post: Posted → FnOPosted, PostError → FnOPostError with SCM's reason.
 * Journals that failed to post are read again on every run: SCM's recurring posting job posts
 * them once the cause is fixed there, and the ledger must then say FnOPosted by itself.
 */
async function followPosting(ctx: JobContext): Promise<void> {
  const journals = ctx.store.postingJournals();
  for (let i = 0; i < journals.length; i += HEADER_CHUNK) {
    if (ctx.stopping()) return;
    const chunk = journals.slice(i, i + HEADER_CHUNK);
    const started = Date.now();
    const request = `GET journal headers ${chunk.map((j) => `${j.organization_id}/${j.journal_number}`).join(', ')}`;
    let headers: Awaited<ReturnType<JobContext['scm']['readJournalHeaders']>>;
    try {
      headers = await ctx.scm.readJournalHeaders(
        chunk.map((j) => ({ dataAreaId: j.organization_id, journalNumber: j.journal_number })),
      );
      ctx.reached('scm');
    } catch (error) {
      failedCall(ctx, 'journalHeaders', clip(request)!, started, error, []);
      throw error;
    }
    let changed = 0;
    ctx.store.transaction(() => {
      const targets: AttemptTarget[] = [];
      for (const h of headers) {
        if (h.postingStatus === 'NotPosted') continue;
        const ids = ctx.store.journalLinesAwaitingPosting(h.dataAreaId, h.journalNumber);
        if (h.postingStatus === 'Posted') {
          const r = ctx.store.status.moveAggregated(
            ids.map((id) => ({ id })),
            'FnOPosted',
            iso(),
            { last_error: null, last_error_kind: null },
          );
          add(ctx.counts, 'posted', r.moved.length);
          changed += r.moved.length;
          for (const id of r.moved)
            targets.push({ id, outcome: 'ok', message: `journal ${h.journalNumber} posted` });
        } else {
          const message =
            h.postingError ??
            `Supply Chain Management could not post journal ${h.journalNumber} and gave no reason; see the journal in SCM.`;
          const r = ctx.store.status.moveAggregated(
            ids.map((id) => ({ id })),
            'FnOPostError',
            iso(),
            { last_error: clip(message), last_error_kind: 'data' },
          );
          add(ctx.counts, 'postErrors', r.moved.length);
          changed += r.moved.length;
          for (const id of r.moved) targets.push({ id, outcome: 'data', message });
        }
      }
      ctx.store.recordAttempt({
        runId: ctx.runId,
        job: 'fno',
        action: 'journalHeaders',
        at: iso(),
        durationMs: Date.now() - started,
        outcome: 'ok',
        request: clip(request)!,
        response: clip(
          headers
            .map(
              (h) => `${h.journalNumber}: ${h.postingStatus}${h.postingError ? ` (${h.postingError})` : ''}`,
            )
            .join('; ') || 'no journal found',
        ),
        targets,
      });
    });
    if (changed > 0) ctx.changed();
  }
}
