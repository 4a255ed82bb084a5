/**
 * The pipeline's judgement of one valid line before it is stored, the same for every entry path:
 * a scanned barcode is read as its item and variant; a quantity that looks like a scan is
 * refused; a large quantity is asked about (people) or cautioned (store systems); and the
 * store's copy of SCM's master data adds its cautions. Refusals name the field and the rule;
 * cautions never refuse (the copy can be older than SCM).
 */
import type { AdjustmentLine, FieldError } from '../../shared/adjustment';
import { sortDimensions } from '../../shared/dimensions';
import type { EntryWarning, LineCheck } from '../../shared/master-data';
import { isLargeQuantity, scanLikeQuantity } from '../../shared/quantity-check';
import type { EntryKnowledge } from '../master-data/knowledge';
import { type ApprovalPolicy, needsApproval } from './approval-rule';
import { applyReason, type ReasonPolicy } from './reason-rule';

export interface ReviewPolicy {
  /** A quantity at or beyond this (either sign) is large. */
  largeQuantityThreshold: number;
  /** true: a large quantity waits for a confirmation; false: it is stored with a caution. */
  asksLargeQuantity: boolean;
  /** The person confirmed the large quantities of this request. */
  confirmedLargeQuantity: boolean;
  /** The store's reason codes and whether one is required. */
  reasons: ReasonPolicy;
  /** Who enters the lines, for a manager's approval; null where no approval applies (a review). */
  approval: ApprovalPolicy | null;
}

export interface LineReview {
  /** The line as it is stored: a scanned barcode read as its item and variant. */
  line: AdjustmentLine;
  /** What the store's copy said (null without knowledge), with the code scanned when it was read. */
  check: (LineCheck & { scannedCode: string | null }) | null;
  /** Refusals, by field. */
  errors: Omit<FieldError, 'index' | 'id'>[];
  /** A question to answer before the line is stored (a large quantity), or null. */
  confirm: string | null;
  /** Why the line waits for a manager's approval, or null. */
  approval: string | null;
}

/** "1,500" in the store's words: thresholds and quantities in messages. */
const words = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 6 });

export function reviewLine(
  sent: AdjustmentLine,
  knowledge: EntryKnowledge | null,
  policy: ReviewPolicy,
): LineReview {
  const errors: LineReview['errors'] = [];
  const org = sent.organizationId;
  let line = sent;
  let scannedCode: string | null = null;
  const barcode =
    knowledge && !knowledge.isItem(org, sent.productId) ? knowledge.barcode(org, sent.productId) : null;
  if (barcode) {
    scannedCode = sent.productId;
    const dimensions = { ...sent.dimensions };
    for (const [name, value] of Object.entries(barcode.dimensions)) {
      const given = dimensions[name];
      if (given !== undefined && given.toLowerCase() !== value.toLowerCase())
        errors.push({
          field: `dimensions.${name}`,
          message: `is ${given}, but barcode ${sent.productId} is ${barcode.itemNumber} with ${name} ${value}: scan the variant counted, or leave ${name} blank`,
        });
      else dimensions[name] = value;
    }
    line = { ...sent, productId: barcode.itemNumber, dimensions: sortDimensions(dimensions) };
  }

  const scan = scanLikeQuantity(line.quantity, (code) => {
    if (!knowledge) return null;
    const known = knowledge.barcode(org, code);
    if (known) return `the barcode of ${known.itemNumber} in ${org}`;
    return knowledge.isItem(org, code) ? `item ${code} of ${org}` : null;
  });
  if (scan) errors.push({ field: 'quantity', message: scan });

  const cautions: EntryWarning[] = [];
  let confirm: string | null = null;
  const threshold = policy.largeQuantityThreshold;
  if (!scan && isLargeQuantity(line.quantity, threshold)) {
    const said = `${words(line.quantity)} is at or beyond the store's large-quantity threshold of ${words(threshold)}`;
    if (!policy.asksLargeQuantity) cautions.push({ field: 'quantity', message: said });
    else if (!policy.confirmedLargeQuantity) confirm = `${line.productId}: ${said}. Is the quantity right?`;
  }

  const reasoned = applyReason(line, policy.reasons);
  line = reasoned.line;
  errors.push(...reasoned.errors);
  const approval = errors.length === 0 ? needsApproval(line, reasoned.reason, policy.approval) : null;

  let check: LineReview['check'] = null;
  if (knowledge) {
    const copy = knowledge.check(line);
    check = {
      ...copy,
      warnings: cautions.length > 0 ? [...copy.warnings, ...cautions] : copy.warnings,
      scannedCode,
    };
  }
  return { line, check, errors, confirm, approval };
}
