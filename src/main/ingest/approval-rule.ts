/**
 * Whether a line needs a manager before it is stored, judged in the pipeline (never only on a
 * screen): a clerk's line at or beyond the store's unit threshold, or its value at the line's
 * cost price beyond the value threshold (a line without a cost price is judged by units only:
 * Store Ledger keeps no item costs of its own), or a reason code marked "approval always". A
 * manager's own line passes; so does a line a manager approved (an override, or a held line
 * approved). A store system's line passes unless the store says its systems are held too (a
 * till cannot wait for a manager); then it is judged whatever its key's role.
 */
import type { AdjustmentLine } from '../../shared/adjustment';
import { type AuthorKind, type LineAuthor, type Role, roleAtLeast } from '../../shared/people';
import type { ReasonCode } from '../../shared/reasons';
import type { Settings } from '../../shared/settings';

/** Who enters the lines, for the approval rule; absent on internal paths (seeding, the sync). */
export interface ApprovalRequest {
  role: Role;
  kind: AuthorKind;
  /** The manager who approved this request's lines (an override, or a held line approved). */
  approvedBy?: LineAuthor;
  /** Lines that need a manager wait in the approval list instead of being refused. */
  park?: boolean;
}

export interface ApprovalPolicy {
  settings: Settings['approvals'];
  request: ApprovalRequest;
}

const words = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** Why this line waits for a manager, in words, or null when it may be stored. */
export function needsApproval(
  line: AdjustmentLine,
  reason: ReasonCode | null,
  policy: ApprovalPolicy | null,
): string | null {
  if (!policy || policy.request.approvedBy) return null;
  const { role, kind } = policy.request;
  // A key is no person who could have approved: with the setting on, every system's line is
  // judged (whatever the key's role); without it none is.
  if (kind === 'system') {
    if (!policy.settings.holdStoreSystems) return null;
  } else if (roleAtLeast(role, 'manager')) return null;
  const why: string[] = [];
  const units = policy.settings.unitsThreshold;
  if (units !== null && Math.abs(line.quantity) >= units)
    why.push(
      `${words(line.quantity)} units is at or beyond the store's approval threshold of ${words(units)}`,
    );
  const value = policy.settings.valueThreshold;
  if (value !== null && line.costPrice !== null) {
    const worth = Math.abs(line.quantity) * line.costPrice;
    if (worth >= value)
      why.push(
        `its value of ${words(worth)} at cost is at or beyond the store's approval threshold of ${words(value)}`,
      );
  }
  if (reason?.approvalAlways) why.push(`reason ${reason.code} (${reason.words}) always needs a manager`);
  return why.length > 0 ? `${line.productId}: ${why.join('; ')}` : null;
}
