import { correctVerdict, type Verdict, voidVerdict, WHY } from '../../shared/line-actions';
import type { LineAuthor } from '../../shared/people';
import type { DetailedLine } from '../../shared/views';
import { nowIso } from '../clock';
import { AppError, notFound } from '../errors';
import type { ApprovalRequest } from '../ingest/approval-rule';
import type { EntryPipeline } from '../ingest/pipeline';
import type { Ledger } from '../ledger';
import type { SyncService } from '../sync/types';

function lineOrThrow(ledger: Ledger, lineRecordId: string): DetailedLine {
  const line = ledger.lines.get(lineRecordId);
  if (!line) throw notFound(`Line ${lineRecordId}`);
  return line;
}

function refuseUnless(verdict: Verdict): void {
  if (!verdict.ok) throw new AppError('conflict', verdict.why);
}

/**
 * Void: a Created line that IV cannot have counted is set aside with a
 * reason, kept for audit, never sent, however often the IV job failed to reach IV (a store
 * offline all morning can still void a typo). If the IV job is sending the line right now, the
 * void waits for that call's outcome (sync.whenIvSettled, bounded by *voidWaitMs*) and decides
 * on what the ledger says then; a line only claimed for the next call is voided and that call
 * leaves without it. A line IV has or may have is refused in words that offer Correct.
 */
export async function voidLine(
  ledger: Ledger,
  sync: SyncService,
  lineRecordId: string,
  reason: string,
  by: LineAuthor,
): Promise<DetailedLine> {
  refuseUnless(voidVerdict(lineOrThrow(ledger, lineRecordId)));
  const outcome = await sync.whenIvSettled(lineRecordId, () => {
    // Read again: the call that carried the line may have settled it meanwhile.
    const line = lineOrThrow(ledger, lineRecordId);
    refuseUnless(voidVerdict(line));
    // Marked as on the wire, yet no call of this session carries it: the last session stopped
    // with it on the wire (the engine turns that into "IV may have it" when it starts).
    if (line.ivSending) throw new AppError('conflict', WHY.maybeInIv);
    if (!ledger.lines.void(lineRecordId, reason, by, nowIso(ledger.clock)))
      throw new AppError('conflict', 'The line changed meanwhile: open it again.');
    return lineOrThrow(ledger, lineRecordId);
  });
  if (!outcome.settled)
    throw new AppError(
      'conflict',
      `Store Ledger is sending this line to Inventory Visibility right now and has had no answer for ${Math.round(outcome.waitedMs / 1000)} s. Try Void again in a minute: if IV did not take it, it is voided then; if IV may have it, you are offered Correct.`,
    );
  return outcome.value;
}

/** What Correct posts in place of the line, besides its reversing line: the same item, elsewhere or in another quantity. */
export interface Replacement {
  quantity: number;
  dimensions: Record<string, string>;
}

export interface CorrectRequest {
  /** Who corrects: the author of the reversing and the replacing lines. */
  author: LineAuthor;
  replacement?: Replacement | null;
  /** The clerk answered yes to the replacing line's large quantity. */
  confirmedLargeQuantity?: boolean;
  /** Who corrects, for a manager's approval of the replacing line (the reversal mirrors a stored line). */
  approval?: ApprovalRequest;
}

export interface Corrected {
  correction: DetailedLine;
  replacement: DetailedLine | null;
  created: boolean;
}

/** The line as the entry pipeline takes it: the original's item and references, with these quantity and dimensions. */
function bodyOf(original: DetailedLine, id: string, quantity: number, dimensions: Record<string, string>) {
  return {
    id,
    organizationId: original.organizationId,
    productId: original.productId,
    quantityDataSource: original.quantityDataSource,
    physicalMeasure: original.physicalMeasure,
    quantity,
    dimensions,
    ...(original.externalReferenceCategory && {
      externalReferenceCategory: original.externalReferenceCategory,
    }),
    ...(original.externalReferenceId && { externalReferenceId: original.externalReferenceId }),
    ...(original.fnoJournalNameId && { fnoJournalNameId: original.fnoJournalNameId }),
    ...(original.costPrice !== null && { costPrice: original.costPrice }),
    ...(original.reasonCode && { reasonCode: original.reasonCode }),
  };
}

/**
 * Correct: the reversing line (same item, place and references, the opposite
 * quantity) and, when asked, the replacing line (the same item with the place or quantity it
 * should have had), both through the entry pipeline and linked to the original, in one
 * transaction: one wrong site is fixed in one step, or not at all. Any line that is not voided
 * and not itself a reversing line can be corrected, a Created one IV may have applied
 * included: the new lines are events of their own, and IV counts each event once. Their ids
 * derive from the original, so a second click finds them instead of posting more.
 */
export function correctLine(
  ledger: Ledger,
  entry: EntryPipeline,
  lineRecordId: string,
  request: CorrectRequest,
): Corrected {
  const original = lineOrThrow(ledger, lineRecordId);
  if (original.correctedBy) {
    const existing = ledger.lines.get(original.correctedBy);
    const replacement = original.replacedBy ? (ledger.lines.get(original.replacedBy) ?? null) : null;
    if (existing) return { correction: existing, replacement, created: false };
  }
  refuseUnless(correctVerdict(original));
  const { author } = request;
  const wanted = request.replacement ?? null;
  return ledger.writeNow(() => {
    const reversal = bodyOf(
      original,
      `reversal-${original.lineRecordId}`,
      -original.quantity,
      original.dimensions,
    );
    // Not judged against the store's threshold (it mirrors a stored line), but a manager who
    // approved this correction on the spot (another person's line) is recorded on it.
    const [reversed] = entry.enterNow(reversal, {
      source: 'correction',
      author,
      ...(request.approval?.approvedBy && { approval: request.approval }),
    }).lines;
    // The replacing line is a person's new entry: a large quantity is asked about, as on Create.
    const [replaced] = wanted
      ? entry.enterNow(
          bodyOf(original, `replacement-${original.lineRecordId}`, wanted.quantity, wanted.dimensions),
          {
            source: 'form',
            author,
            confirmedLargeQuantity: request.confirmedLargeQuantity ?? false,
            ...(request.approval && { approval: request.approval }),
          },
        ).lines
      : [];
    if (
      !ledger.lines.linkCorrection(
        original.lineRecordId,
        reversed!.lineRecordId,
        replaced?.lineRecordId ?? null,
      )
    )
      throw new AppError('conflict', 'This line was corrected meanwhile: open it again.');
    return {
      correction: lineOrThrow(ledger, reversed!.lineRecordId),
      replacement: replaced ? lineOrThrow(ledger, replaced.lineRecordId) : null,
      created: reversed!.created || (replaced?.created ?? false),
    };
  });
}
