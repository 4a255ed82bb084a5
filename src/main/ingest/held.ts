/**
 * Lines parked for a manager's approval (src/main/approvals): kept as sent in `held_lines`,
 * never in the ledger, so the sync cannot send them; approving sends them through this pipeline
 * again.
 */
import type { AdjustmentLine } from '../../shared/adjustment';
import type { LineAuthor } from '../../shared/people';
import type { LineSource } from '../../shared/views';

/** A line that waits for a manager instead of being stored. */
export interface HeldResult {
  index: number;
  id: string;
  heldId: string;
  why: string;
}

/** The `held_lines` rows of the lines that wait, as this request sent them. */
export function heldRows(
  held: { result: HeldResult; line: AdjustmentLine }[],
  context: { now?: Date; source: LineSource; instantIv: boolean; author: LineAuthor },
) {
  const createdAt = (context.now ?? new Date()).toISOString();
  return held.map(({ line, result }) => ({
    held_id: result.heldId,
    line_id: line.id,
    line: JSON.stringify(line),
    source: context.source,
    instant_iv: context.instantIv ? 1 : 0,
    why: result.why,
    created_at: createdAt,
    created_by: context.author.name,
    created_by_id: context.author.id,
    author_kind: context.author.kind,
  }));
}
