/**
 * A draft row's judgement, when it is added and whenever it is edited: the entry pipeline's
 * review (the same rules every path has: schema, barcode read as its item, scan-like quantity,
 * master-data cautions, a large quantity), plus what only a draft can know: what its cells said,
 * an id repeated in the draft, and a line the ledger already holds under the row's id.
 */
import type { AdjustmentLine } from '../../shared/adjustment';
import { localDateTime, type RowProblem } from '../../shared/drafts';
import { normalizeText } from '../../shared/text';
import type { EntryPipeline } from '../ingest/pipeline';
import type { Ledger } from '../ledger';
import type { LedgerLine } from '../ledger/draft-rows';

export interface PendingRow {
  block: number;
  sourceRow: number;
  /** The file's name or "pasted block", for words that name the row. */
  source: string;
  /** The row as read; `id` only when the file (or an edit) gave one. */
  line: Record<string, unknown>;
  /** The id when the row has none: from the file's content and row (derivedId). */
  derivedId: string;
  /** The cells' own problems (read in rows.ts). */
  errors: RowProblem[];
  cautions: RowProblem[];
}

export interface Judged {
  lineId: string;
  errors: RowProblem[];
  cautions: RowProblem[];
}

export type Where = { block: number; row: number; source: string };

export interface JudgeContext {
  draftId: string;
  /** Ids given by rows judged earlier in this block (id → row): a repeat is the later row's error. */
  seen: Map<string, Where>;
  /** An edited row is not its own repeat. */
  exceptRowNumber?: number;
}

/**
 * The id a row without one gets: the file's content hash and the row, so the same file
 * imported into two drafts gives the same lines, and the ledger takes each once.
 */
export function derivedId(contentHash: string, sourceRow: number): string {
  return `f${contentHash.slice(0, 16)}-${sourceRow}`;
}

const named = (w: Where) => `row ${w.row} of ${w.source}`;

/** The same line as the ledger's: a transDate left blank matches the date the ledger gave it. */
export function sameLine(line: AdjustmentLine, stored: LedgerLine): boolean {
  return (
    line.organizationId === stored.organization_id &&
    line.productId === stored.product_id &&
    line.quantityDataSource === stored.quantity_data_source &&
    line.physicalMeasure === stored.physical_measure &&
    line.quantity === stored.quantity &&
    JSON.stringify(line.dimensions) === stored.dimensions &&
    line.externalReferenceCategory === stored.external_reference_category &&
    line.externalReferenceId === stored.external_reference_id &&
    line.fnoJournalNameId === stored.fno_journal_name_id &&
    line.costPrice === stored.cost_price &&
    (line.reasonCode ?? '').toUpperCase() === (stored.reason_code ?? '').toUpperCase() &&
    (line.transDate === null || line.transDate === stored.trans_date)
  );
}

/** A problem of the cells replaces the pipeline's words for the same field (the cell says more). */
function covers(cellErrors: RowProblem[], field: string): boolean {
  return cellErrors.some(
    (e) => e.field === field || (e.field === 'dimensions' && field.startsWith('dimensions')),
  );
}

export function judgeRows(
  deps: { ledger: Ledger; entry: EntryPipeline },
  rows: PendingRow[],
  ctx: JudgeContext,
): Judged[] {
  const candidates = rows.map((r) => ({ ...r.line, id: r.line.id ?? r.derivedId }));
  const reviewed = deps.entry.review(candidates, {
    source: 'import',
    confirmedLargeQuantity: false,
  });
  const threshold = deps.ledger.settings.read().entry.largeQuantityThreshold;
  const judged: Judged[] = rows.map((r, i) => {
    const review = reviewed[i]!;
    const cautions = [...r.cautions, ...review.cautions];
    if (review.confirm && review.line)
      cautions.push({
        field: 'quantity',
        message: `${review.line.quantity} is at or beyond the store's large-quantity threshold of ${threshold}: Post batch asks before posting it`,
      });
    const raw = candidates[i]!.id;
    return {
      lineId: review.line?.id ?? (typeof raw === 'string' ? normalizeText(raw) : String(raw)),
      errors: [...r.errors, ...review.errors.filter((e) => !covers(r.errors, e.field))],
      cautions,
    };
  });

  // A repeated id: an id the file gave twice, or one already given by a row of this draft.
  const own = rows.flatMap((r, i) => (r.line.id !== undefined ? [i] : []));
  const inDraft = deps.ledger.drafts.rows.withIds(
    ctx.draftId,
    [...new Set(own.map((i) => judged[i]!.lineId))],
    ctx.exceptRowNumber,
  );
  for (const i of own) {
    const id = judged[i]!.lineId;
    const first = inDraft.get(id) ?? ctx.seen.get(id);
    if (first) judged[i]!.errors.push({ field: 'id', message: `repeats the id of ${named(first)}` });
    else ctx.seen.set(id, { block: rows[i]!.block, row: rows[i]!.sourceRow, source: rows[i]!.source });
  }

  // The ledger already holds the line: flagged, and posting leaves it alone (posting.ts).
  const valid = rows.flatMap((_, i) => (reviewed[i]!.line && judged[i]!.errors.length === 0 ? [i] : []));
  const inLedger = deps.ledger.drafts.rows.ledgerLines(valid.map((i) => judged[i]!.lineId));
  for (const i of valid) {
    const stored = inLedger.get(judged[i]!.lineId);
    if (!stored) continue;
    const since = localDateTime(stored.created_at);
    if (sameLine(reviewed[i]!.line!, stored))
      judged[i]!.cautions.unshift({
        field: 'id',
        message: `already in the ledger since ${since}: it is not posted again`,
      });
    else
      judged[i]!.errors.push({
        field: 'id',
        message: `'${judged[i]!.lineId}' is already in the ledger since ${since} with other content: give this row its own id, or delete it`,
      });
  }
  return judged;
}
