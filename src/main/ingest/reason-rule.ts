/**
 * A line's reason code, judged against the store's list like any other field: an unknown or
 * inactive code, or none where the store requires one, is refused naming `reasonCode` and the
 * rule. A known code is stored as the list spells it, and fills the journal name and external
 * reference category only where the line leaves them empty: what the line says wins, so the
 * upstream contract (docs/dynamics-contract.md) carries the reason in fields it already has.
 */
import type { AdjustmentLine, FieldError } from '../../shared/adjustment';
import type { ReasonCode } from '../../shared/reasons';

export interface ReasonPolicy {
  /** The store's codes, by upper-case code. */
  codes: ReadonlyMap<string, ReasonCode>;
  /** The store's setting: every line names a reason. */
  required: boolean;
  /**
   * false for a reversing line: it repeats the reason of a line judged when it entered, even if
   * the code was made inactive since.
   */
  judged: boolean;
}

export function reasonPolicy(list: readonly ReasonCode[], required: boolean, judged: boolean): ReasonPolicy {
  return { codes: new Map(list.map((r) => [r.code.toUpperCase(), r])), required, judged };
}

/** The line with its reason's fields filled, the code it names (or null), and refusals. */
export function applyReason(
  line: AdjustmentLine,
  policy: ReasonPolicy,
): { line: AdjustmentLine; reason: ReasonCode | null; errors: Omit<FieldError, 'index' | 'id'>[] } {
  const sent = line.reasonCode;
  if (sent === null) {
    if (policy.required && policy.judged)
      return {
        line,
        reason: null,
        errors: [
          {
            field: 'reasonCode',
            message: `is required: this store asks a reason on every line (${known(policy)})`,
          },
        ],
      };
    return { line, reason: null, errors: [] };
  }
  const reason = policy.codes.get(sent.toUpperCase());
  if (!reason)
    return {
      line,
      reason: null,
      errors: [
        {
          field: 'reasonCode',
          message: `'${sent}' is not one of this store's reason codes (${known(policy)})`,
        },
      ],
    };
  if (!reason.active && policy.judged)
    return {
      line,
      reason: null,
      errors: [
        {
          field: 'reasonCode',
          message: `'${reason.code}' (${reason.words}) is no longer used in this store: choose another (${known(policy)})`,
        },
      ],
    };
  return {
    reason,
    errors: [],
    line: {
      ...line,
      reasonCode: reason.code,
      fnoJournalNameId: line.fnoJournalNameId ?? reason.fnoJournalNameId,
      externalReferenceCategory: line.externalReferenceCategory ?? reason.externalReferenceCategory,
    },
  };
}

/** "DAMAGED, EXPIRED, …": the active codes, for a refusal that says what would do. */
function known(policy: ReasonPolicy): string {
  const active = [...policy.codes.values()].filter((r) => r.active).map((r) => r.code);
  return active.length > 0 ? `one of ${active.join(', ')}` : 'a manager adds codes under Reasons';
}
