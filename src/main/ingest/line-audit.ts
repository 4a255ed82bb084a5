/**
 * The audit trail's record of the lines a write creates (src/main/audit): one event per write,
 * never per line, appended in the lines' own transaction with their seq range and a digest of
 * what was entered (ledger/audit-chain.ts), so an edit of a line behind the app is found.
 */
import os from 'node:os';
import type { LineAuthor } from '../../shared/people';
import type { LineSource } from '../../shared/views';
import type { LineEventBasis } from '../audit/scope';
import type { WriteSteps } from '../ledger';
import { type AuditHead, appendAuditEvent, readAuditHead } from '../ledger/audit';
import { LinesDigest } from '../ledger/audit-chain';
import type { NewAdjustmentLine } from '../ledger/schema';

/** Lines digested between two turns of a sliced ingest. */
const DIGEST_STEP = 64;

/**
 * The event the lines are recorded by: the audited action's when the lines come from one (a
 * draft's Post, a count's Apply), else `lines.entered` by their author.
 */
export function lineEventOf(context: {
  audit?: LineEventBasis;
  author: LineAuthor;
  source: LineSource;
}): LineEventBasis {
  if (context.audit) return context.audit;
  const { author } = context;
  return {
    actor_kind: author.kind === 'before-sign-in' ? 'os-user' : author.kind,
    actor_id: author.id,
    actor_name: author.name,
    pc: os.hostname(),
    action: 'lines.entered',
    target: JSON.stringify({ source: context.source }),
    old_value: null,
    new_value: null,
    outcome: 'done',
    error_code: null,
  };
}

/** The digest of the rows about to be written, built before the transaction, a step at a time. */
export function* digesting(rows: NewAdjustmentLine[]): Generator<void, LinesDigest> {
  const digest = new LinesDigest(rows.length);
  for (let index = 0; index < rows.length; index++) {
    if (index % DIGEST_STEP === DIGEST_STEP - 1) yield;
    digest.add(rows[index]!);
  }
  return digest;
}

/**
 * Appends the event of the lines just inserted (`created`, in order), inside the write's
 * transaction. `digest` is theirs when every row of the request was created; null when some were
 * in the ledger already (a resend), and it is taken again over the created ones only.
 */
export function* recordingLines(
  created: NewAdjustmentLine[],
  digest: LinesDigest | null,
  event: LineEventBasis,
): WriteSteps<void> {
  // The lines just inserted are the last `created.length` seqs: one transaction, rowids in order.
  const head = (yield readAuditHead()).row as AuditHead;
  const last = head.last_line!;
  let lines = digest;
  if (!lines) {
    lines = new LinesDigest(created.length);
    for (const row of created) lines.add(row);
  }
  const { digest: linesDigest, marks } = lines.finish();
  yield appendAuditEvent(
    {
      ...event,
      at: created[0]!.created_at,
      lines_first: last - created.length + 1,
      lines_last: last,
      lines_count: created.length,
      lines_digest: linesDigest,
      lines_marks: marks,
    },
    head,
  );
}
