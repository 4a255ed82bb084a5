import { hash } from 'node:crypto';
import type { AdjustmentLine, FieldError } from '../../shared/adjustment';
import type { LineCheck } from '../../shared/master-data';
import type { LineAuthor } from '../../shared/people';
import type { LineSource, WriteResult } from '../../shared/views';
import type { LineEventBasis } from '../audit/scope';
import { runAtOnce, runInSlices } from '../event-loop';
import type { Ledger, WriteSteps } from '../ledger';
import type { LinesDigest } from '../ledger/audit-chain';
import { holdLines } from '../ledger/held-lines';
import { newRecordId } from '../ledger/ids';
import { countCreated, type ExistingLine, insertLines } from '../ledger/line-writes';
import { recordEntryChecks } from '../ledger/master-data';
import type { NewAdjustmentLine } from '../ledger/schema';
import { type HeldResult, heldRows } from './held';
import { digesting, lineEventOf, recordingLines } from './line-audit';
import type { LineReview } from './review';
import { MAX_REPORTED_ERRORS, validating } from './validate';

export interface IngestContext {
  source: LineSource;
  /** Who wrote the lines: a person, a store system's key, or the computer's user (single clerk). */
  author: LineAuthor;
  /** *Instant update to IV service* / `createWithIVSync=true`. */
  instantIv: boolean;
  now?: Date;
  /**
   * The pipeline's judgement of each valid line (review.ts): the line as stored (a barcode read
   * as its item), refusals, a question to ask first, and what the store's copy of SCM's master
   * data said, recorded with each created line in the same transaction, so a line and its check
   * land together. Without it (tests seeding a ledger) lines are stored as validated.
   */
  review?: (line: AdjustmentLine) => LineReview;
  /**
   * The audit event the created lines are recorded by (src/main/audit): who, where, which action.
   * One per request, written in the lines' own transaction with their digest; without it the
   * lines' author is the actor and the action `lines.entered`.
   */
  audit?: LineEventBasis;
  /** A manager approved these lines (an override, or a held line approved): stored with them. */
  approvedBy?: LineAuthor;
  /** Lines that need a manager wait in `held_lines` (stored with the others) instead of refusing the request. */
  park?: boolean;
}

export type IngestOutcome =
  | {
      kind: 'ok';
      results: (WriteResult & { created: boolean })[];
      created: number;
      /** The lines as stored (a scanned barcode read as its item and variant). */
      lines: AdjustmentLine[];
      /** One per line when the caller passed `review`, else empty. */
      checks: LineCheck[];
      /** Lines that wait for a manager (park): not in `results`. */
      held: HeldResult[];
    }
  | { kind: 'invalid'; errors: FieldError[] }
  /** Lines to confirm before anything is stored (a large quantity), each named with its question. */
  | { kind: 'needs_confirmation'; errors: FieldError[] }
  /** Lines a manager must approve first (an override, or parked in the approval list): nothing stored. */
  | { kind: 'needs_approval'; errors: FieldError[] }
  | { kind: 'conflict'; errors: FieldError[] }
  | { kind: 'too_large'; message: string }
  | { kind: 'disabled'; message: string };

/** The store's local calendar date: what a clerk means by "today". */
export function localDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Idempotency compares the line as the caller sent it (after normalisation, before the
 * blank transDate is filled in), so a resend the next day is still the same line.
 */
export function contentHash(line: AdjustmentLine): string {
  // Not a security boundary (the ID is the key): a fast one-shot digest is enough.
  return hash('sha1', withoutNoReason(JSON.stringify(line)), 'base64url');
}

/** How a line without a reason ends in JSON: `reasonCode` is the schema's last field. */
const NO_REASON_TAIL = ',"reasonCode":null}';

/**
 * A line without a reason hashes as lines did before reasons existed, so a resend of an old
 * line is still the same line: its JSON without the empty last field (cut from the text rather
 * than rebuilt without the key: this runs for every line of a bulk).
 */
function withoutNoReason(json: string): string {
  return json.endsWith(NO_REASON_TAIL) ? `${json.slice(0, -NO_REASON_TAIL.length)}}` : json;
}

const DISABLED: IngestOutcome = {
  kind: 'disabled',
  message:
    "The 'Enable feature' setting is off, so new lines are refused. Turn it on under Settings → Inventory transactions.",
};

/**
 * Validates, dedupes by `id`, and appends: all or nothing, in one transaction.
 * A line whose `id` is already in the ledger with the same content is answered with the
 * existing line; with different content, the whole request is refused (409) naming it.
 */
/** Lines are stamped with the ledger's clock unless the caller says when they were entered. */
const stamped = (ledger: Ledger, context: IngestContext): IngestContext =>
  context.now ? context : { ...context, now: new Date(ledger.clock.now()) };

export function ingest(ledger: Ledger, body: unknown, context: IngestContext): IngestOutcome {
  if (!ledger.settings.read().enableFeature) return DISABLED;
  const at = stamped(ledger, context);
  const prepared = runAtOnce(preparing(body, at));
  if (!('rows' in prepared)) return prepared;
  return settleConflicts(() => ledger.writeSteps(writing(prepared, at)));
}

/**
 * The same ingest for the API and the form, without ever holding the event loop: the body
 * is validated and turned into rows a slice at a time, then written in one transaction by
 * the bulk writer's thread (ledger/bulk-writes.ts), so a 50,000-line request stays one
 * all-or-nothing result while other requests are answered. A small request is written
 * directly.
 */
export async function ingestInSlices(
  ledger: Ledger,
  body: unknown,
  context: IngestContext,
): Promise<IngestOutcome> {
  if (!ledger.settings.read().enableFeature) return DISABLED;
  const at = stamped(ledger, context);
  const prepared = await runInSlices(preparing(body, at));
  if (!('rows' in prepared)) return prepared;
  if (prepared.rows.length <= DIRECT_WRITE_MAX_LINES) {
    return ledger.inTurn(() => settleConflicts(() => ledger.writeSteps(writing(prepared, at))));
  }
  try {
    return await ledger.writeBulk(writing(prepared, at));
  } catch (error) {
    if (error instanceof ConflictRollback) return { kind: 'conflict', errors: error.errors };
    throw error;
  }
}

/** Up to this many lines a write takes about 10 ms: no need for the bulk writer. */
const DIRECT_WRITE_MAX_LINES = 500;

interface Prepared {
  rows: NewAdjustmentLine[];
  /** The audit digest of all rows, in order: the line event's, unless some were already there. */
  digest: LinesDigest;
  event: LineEventBasis;
  lines: AdjustmentLine[];
  checks: LineCheck[];
  held: { result: HeldResult; line: AdjustmentLine }[];
}

function* preparing(body: unknown, context: IngestContext): Generator<void, IngestOutcome | Prepared> {
  const validated = yield* validating(body);
  if ('tooLarge' in validated) return { kind: 'too_large', message: validated.tooLarge };
  if ('errors' in validated) return { kind: 'invalid', errors: validated.errors };
  const all = validated.lines;
  const reviewed = yield* reviewing(all, context);
  if ('kind' in reviewed) return reviewed;
  const { waits } = reviewed;
  let sent = all;
  let lines = reviewed.lines;
  let checks = reviewed.checks;
  let held: Prepared['held'] = [];
  if (waits.size > 0) {
    // Parked: the lines that wait are kept as sent (approving sends them through this pipeline
    // again), the others are stored now.
    const now = context.now ?? new Date();
    held = [...waits].map(([index, why]) => ({
      line: all[index]!,
      result: { index, id: all[index]!.id, heldId: `h${newRecordId(now.getTime())}`, why },
    }));
    const keep = (_: unknown, i: number) => !waits.has(i);
    sent = all.filter(keep);
    lines = lines.filter(keep);
    checks = checks.length > 0 ? checks.filter(keep) : [];
  }
  const rows = yield* building(sent, lines, context);
  const digest = yield* digesting(rows);
  return { rows, digest, event: lineEventOf(context), lines, checks, held };
}

/** Each line judged by the pipeline (review.ts), before any transaction, like the rows are built. */
function* reviewing(
  sent: AdjustmentLine[],
  context: IngestContext,
): Generator<
  void,
  IngestOutcome | { lines: AdjustmentLine[]; checks: LineCheck[]; waits: Map<number, string> }
> {
  const { review } = context;
  const waits = new Map<number, string>();
  if (!review) return { lines: sent, checks: [], waits };
  const lines: AdjustmentLine[] = new Array(sent.length);
  const checks: LineCheck[] = [];
  const errors: FieldError[] = [];
  const questions: FieldError[] = [];
  for (let index = 0; index < sent.length; index++) {
    if ((index & 63) === 63) yield;
    const { id } = sent[index]!;
    const judged = review(sent[index]!);
    lines[index] = judged.line;
    if (judged.check) checks.push(judged.check);
    for (const e of judged.errors) if (errors.length < MAX_REPORTED_ERRORS) errors.push({ index, id, ...e });
    if (judged.confirm && questions.length < MAX_REPORTED_ERRORS)
      questions.push({ index, id, field: 'quantity', message: judged.confirm });
    if (judged.approval) waits.set(index, judged.approval);
  }
  if (errors.length > 0) return { kind: 'invalid', errors };
  if (questions.length > 0) return { kind: 'needs_confirmation', errors: questions };
  if (waits.size > 0 && !context.park)
    return {
      kind: 'needs_approval',
      errors: [...waits]
        .slice(0, MAX_REPORTED_ERRORS)
        .map(([index, why]) => ({ index, id: sent[index]!.id, field: 'approval', message: why })),
    };
  return { lines, checks, waits };
}

/**
 * Rows are built (ids, hashes) before any transaction: the write lock is held only for the SQL.
 * The content hash is of the line as sent (`sent`), so a resend is the same line whatever the
 * store's copy read its barcode as since; the row stores the line as reviewed (`lines`).
 */
function* building(
  sent: AdjustmentLine[],
  lines: AdjustmentLine[],
  context: IngestContext,
): Generator<void, NewAdjustmentLine[]> {
  const now = context.now ?? new Date();
  const createdAt = now.toISOString();
  const today = localDate(now);
  const instantIv = context.instantIv ? 1 : 0;
  const rows: NewAdjustmentLine[] = new Array(lines.length);
  for (let index = 0; index < lines.length; index++) {
    if ((index & 63) === 63) yield;
    const line = lines[index]!;
    rows[index] = {
      line_record_id: newRecordId(now.getTime()),
      id: line.id,
      content_hash: contentHash(sent[index]!),
      organization_id: line.organizationId,
      product_id: line.productId,
      quantity_data_source: line.quantityDataSource,
      physical_measure: line.physicalMeasure,
      quantity: line.quantity,
      dimensions: JSON.stringify(line.dimensions),
      site_id: line.dimensions.siteId!,
      location_id: line.dimensions.locationId!,
      external_reference_category: line.externalReferenceCategory,
      external_reference_id: line.externalReferenceId,
      fno_journal_name_id: line.fnoJournalNameId,
      cost_price: line.costPrice,
      trans_date: line.transDate ?? today,
      instant_iv: instantIv,
      status: 'Created',
      source: context.source,
      created_at: createdAt,
      created_by: context.author.name,
      created_by_id: context.author.id,
      author_kind: context.author.kind,
      reason_code: line.reasonCode,
      approved_by: context.approvedBy?.name ?? null,
      approved_by_id: context.approvedBy?.id ?? null,
      iv_posted_at: null,
      last_error: null,
      last_error_kind: null,
      next_attempt_at: null,
    };
  }
  return rows;
}

/** Lines per write request: about 25 ms of the bulk writer's time, a millisecond or two here. */
const WRITE_CHUNK = 1_000;

/**
 * The write as steps (ledger/bulk-writes.ts), inside one transaction. Only ids already in the
 * ledger are skipped: they are answered with the existing line, or, if any came back with
 * other content, the whole request is refused by throwing, which rolls back what this
 * request inserted. Each created line's master-data check is recorded with it.
 */
function* writing(
  { rows, lines, checks, held, digest, event }: Prepared,
  context: IngestContext,
): WriteSteps<IngestOutcome> {
  if (held.length > 0) yield holdLines(heldRows(held, context));
  const skipped: { index: number; prior: ExistingLine }[] = [];
  for (let first = 0; first < rows.length; first += WRITE_CHUNK) {
    const report = yield insertLines(rows.slice(first, first + WRITE_CHUNK));
    for (const { index, prior } of report.skipped)
      skipped.push({ index: first + index, prior: prior as ExistingLine });
  }
  const created = rows.length - skipped.length;
  if (created > 0) yield countCreated(created);
  const results: (WriteResult & { created: boolean })[] = rows.map((row) => ({
    id: row.id,
    lineRecordId: row.line_record_id,
    status: 'Created',
    created: true,
  }));
  if (skipped.length > 0) settleSkipped(rows, results, skipped);
  if (created > 0)
    yield* recordingLines(
      skipped.length === 0 ? rows : rows.filter((_, i) => results[i]!.created),
      skipped.length === 0 ? digest : null,
      event,
    );
  if (checks.length > 0) {
    const recorded = results.flatMap((r, i) =>
      r.created ? [{ ...checks[i]!, lineRecordId: r.lineRecordId }] : [],
    );
    for (let first = 0; first < recorded.length; first += WRITE_CHUNK)
      yield recordEntryChecks(recorded.slice(first, first + WRITE_CHUNK));
  }
  return { kind: 'ok', results, created, lines, checks, held: held.map((h) => h.result) };
}

/** Ids already in the ledger: answered with the existing line, or refused (throws) when their content differs. */
function settleSkipped(
  rows: NewAdjustmentLine[],
  results: (WriteResult & { created: boolean })[],
  skipped: { index: number; prior: ExistingLine }[],
): void {
  const conflicts: FieldError[] = [];
  for (const { index, prior } of skipped) {
    const row = rows[index]!;
    if (prior.content_hash !== row.content_hash) {
      conflicts.push({
        index,
        id: row.id,
        field: 'id',
        message: `id '${row.id}' is already in the ledger with different content; a correction is a new line with a new id`,
      });
    }
    results[index] = { id: row.id, lineRecordId: prior.line_record_id, status: prior.status, created: false };
  }
  if (conflicts.length > 0) throw new ConflictRollback(conflicts);
}

function settleConflicts(write: () => IngestOutcome): IngestOutcome {
  try {
    return write();
  } catch (error) {
    if (error instanceof ConflictRollback) return { kind: 'conflict', errors: error.errors };
    throw error;
  }
}

class ConflictRollback extends Error {
  constructor(readonly errors: FieldError[]) {
    super('conflicting ids');
  }
}
