/**
 * *Post batch*: all rows or none. First a pass that posts nothing: every row judged again by the
 * pipeline (the store's copy of SCM may have changed), lines the ledger already holds set aside,
 * and the questions a person answers once for the whole draft (a re-imported file, large
 * quantities). Then the lines enter the ledger through the pipeline a slice at a time.
 */
import type { FieldError } from '../../shared/adjustment';
import type { DraftImport, DraftPostResult, RowError } from '../../shared/drafts';
import type { LineAuthor } from '../../shared/people';
import { nowIso } from '../clock';
import { AppError } from '../errors';
import { backgroundTurn } from '../event-loop';
import type { ApprovalRequest } from '../ingest/approval-rule';
import type { Entered, EntryPipeline } from '../ingest/pipeline';
import type { Ledger } from '../ledger';
import type { StoredDraftRow } from '../ledger/drafts';
import { sameLine } from './judge';

/** Lines judged or ingested per step: 2,000 a step stalled the event loop up to 266 ms. */
const POST_SLICE = 500;
const MAX_REPORTED = 1_000;

export interface PostDeps {
  ledger: Ledger;
  entry: EntryPipeline;
}

export interface Confirmed {
  largeQuantity: boolean;
  reimport: boolean;
  /** Who posts, for a manager's approval (ingest/approval-rule.ts). */
  approval?: ApprovalRequest;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
const named = (r: RowError) => `row ${r.row} of ${r.source}: ${r.field} ${r.message}`;

/**
 * The id a row posts under. A re-imported file's rows, once the person confirmed posting them
 * again, get ids derived from the draft and block too: new lines, not the earlier import's.
 * A row with its own id is always that line, never added twice.
 */
function postId(draftId: string, row: StoredDraftRow, again: Set<number>): string {
  return again.has(row.block) && row.line.id === undefined
    ? `${draftId}-${row.block}-${row.lineId}`
    : row.lineId;
}

export async function postDraft(
  deps: PostDeps,
  draftId: string,
  author: LineAuthor,
  confirmed: Confirmed,
): Promise<DraftPostResult> {
  const { ledger, entry } = deps;
  const store = ledger.drafts;
  const draft = store.get(draftId)!;
  if (draft.state === 'Posted') return { draft, created: 0, alreadyPosted: draft.rowCount };
  if (draft.rowCount === 0)
    throw new AppError('invalid_input', `Draft '${draft.name}' has no rows to post.`, [
      { field: 'draftId', message: 'has no rows' },
    ]);
  if (draft.errorCount > 0)
    refuse(draft.name, draft.errorCount, store.rows.problems(draftId, 'errors', MAX_REPORTED));

  const imports = store.imports(draftId);
  const reimported = imports.filter((i) => i.earlier !== null);
  const again = new Set(confirmed.reimport ? reimported.map((i) => i.block) : []);
  /** Rows of each re-imported file still in the draft: the question counts what would post. */
  const left = new Map(reimported.map((i) => [i.block, 0]));
  const sources = new Map(imports.map((i) => [i.block, i.sourceName]));
  const where = (r: StoredDraftRow) => ({
    block: r.block,
    source: sources.get(r.block) ?? 'draft',
    row: r.sourceRow,
  });

  // The pass that posts nothing. Rows were judged by the pipeline when added or edited (a row
  // with an error stops us above), and enterNow judges each again as it stores it; here only
  // what can have changed since is looked at: lines the ledger took meanwhile, and the
  // large-quantity question, asked once for the whole draft.
  const threshold = ledger.settings.read().entry.largeQuantityThreshold;
  const problems: RowError[] = [];
  const badRows = new Set<string>();
  let large = 0;
  await eachSlice(ledger, draftId, (rows) => {
    const lines = rows.map((r) => ({ ...r.line, id: postId(draftId, r, again) }));
    const held = store.rows.ledgerLines(lines.map((l) => l.id));
    const inLedger = rows.flatMap((_, i) => (held.has(lines[i]!.id) ? [i] : []));
    const reviewed = entry.review(
      inLedger.map((i) => lines[i]),
      { source: 'import', confirmedLargeQuantity: false },
    );
    inLedger.forEach((i, k) => {
      const line = reviewed[k]!.line;
      if (line && sameLine(line, held.get(lines[i]!.id)!)) return;
      const at = where(rows[i]!);
      badRows.add(`${at.block}-${at.row}`);
      if (problems.length < MAX_REPORTED)
        problems.push({ ...at, field: 'id', message: 'is already in the ledger with other content' });
    });
    rows.forEach((r, i) => {
      const n = left.get(r.block);
      if (n !== undefined) left.set(r.block, n + 1);
      const quantity = r.line.quantity;
      if (!held.has(lines[i]!.id) && typeof quantity === 'number' && Math.abs(quantity) >= threshold) large++;
    });
  });
  if (problems.length > 0) refuse(draft.name, badRows.size, problems);
  const questions: FieldError[] = [];
  const stillThere = reimported.filter((i) => (left.get(i.block) ?? 0) > 0);
  if (stillThere.length > 0 && !confirmed.reimport)
    questions.push({
      field: 'confirmReimport',
      message: reimportQuestion(stillThere.map((i) => ({ ...i, rowCount: left.get(i.block)! }))),
    });
  if (large > 0 && !confirmed.largeQuantity) {
    questions.push({
      field: 'confirmLargeQuantity',
      message: `${plural(large, 'row')} at or beyond ${threshold.toLocaleString('en-US')}: post them?`,
    });
  }
  if (questions.length > 0)
    throw new AppError(
      'needs_confirmation',
      `Nothing was posted yet. ${questions.map((q) => q.message).join(' ')}`,
      questions,
    );

  let created = 0;
  let alreadyPosted = 0;
  await eachSlice(ledger, draftId, (rows) => {
    const lines = rows.map((r) => ({ ...r.line, id: postId(draftId, r, again) }));
    // Lines the ledger holds (an earlier post, our own export read back) are left as they are.
    const held = store.rows.ledgerLines(lines.map((l) => l.id));
    const fresh = lines.filter((l) => !held.has(l.id));
    alreadyPosted += lines.length - fresh.length;
    if (fresh.length === 0) return;
    let entered: Entered;
    try {
      entered = entry.enterNow(fresh, {
        source: 'import',
        author,
        confirmedLargeQuantity: confirmed.largeQuantity,
        ...(confirmed.approval && { approval: confirmed.approval }),
      });
    } catch (error) {
      // Slices already ingested stay: their ids are fixed, so posting again finishes without doubles.
      if (!(error instanceof AppError)) throw error;
      const first = where(rows[0]!);
      throw new AppError(
        error.code,
        `Posting stopped at row ${first.row} of ${first.source}: ${error.message}. Rows before it are in the ledger; post again once fixed, nothing is counted twice.`,
        error.errors,
      );
    }
    created += entered.created;
    alreadyPosted += entered.lines.length - entered.created;
  });
  store.markPosted(draftId, nowIso(ledger.clock), author);
  return { draft: store.get(draftId)!, created, alreadyPosted };
}

async function eachSlice(
  ledger: Ledger,
  draftId: string,
  each: (rows: StoredDraftRow[]) => void,
): Promise<void> {
  for (let after = 0; ; ) {
    const rows = ledger.drafts.rows.slice(draftId, after, POST_SLICE);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.rowNumber;
    each(rows);
    await backgroundTurn();
  }
}

function reimportQuestion(blocks: DraftImport[]): string {
  const said = blocks
    .map((b) => `${b.sourceName} (${plural(b.rowCount, 'row')}) was ${b.earlier!.said}`)
    .join('; ');
  return `${said}: post ${blocks.length > 1 ? 'their' : 'its'} rows again, as new lines?`;
}

function refuse(name: string, rows: number, problems: RowError[]): never {
  throw new AppError(
    'invalid_input',
    `Nothing was posted: ${plural(rows, 'row')} of '${name}' need${rows === 1 ? 's' : ''} fixing first (${named(problems[0]!)}).`,
    problems
      .slice(0, MAX_REPORTED)
      .map((e) => ({ index: e.row, field: e.field, message: `${e.source}, row ${e.row}: ${e.message}` })),
  );
}

/** The ids a posted draft's first rows carry in the ledger, by file and row (the HTTP import's answer). */
export function idsAsPosted(
  ledger: Ledger,
  draftId: string,
  reimportConfirmed: boolean,
  limit: number,
): { block: number; row: number; id: string }[] {
  const again = new Set(
    reimportConfirmed ? ledger.drafts.imports(draftId).flatMap((i) => (i.earlier ? [i.block] : [])) : [],
  );
  return ledger.drafts.rows
    .slice(draftId, 0, limit)
    .map((r) => ({ block: r.block, row: r.sourceRow, id: postId(draftId, r, again) }));
}
