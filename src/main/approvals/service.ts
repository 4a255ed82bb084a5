/**
 * Lines waiting for a manager: the one list a manager sees, and the decision. Approving sends
 * the held line through the entry pipeline again (its author kept, the manager recorded as
 * `approvedBy`) in the same transaction that marks it approved, so it is stored exactly once:
 * a second Approve finds it decided, and a stop between the two leaves neither.
 */
import type { AdjustmentLine } from '../../shared/adjustment';
import type { HeldLineView } from '../../shared/approvals';
import type { AuthorKind } from '../../shared/people';
import { nowIso } from '../clock';
import { AppError, notFound } from '../errors';
import type { EntryPipeline, EntrySource } from '../ingest/pipeline';
import type { HeldLineRow, Ledger } from '../ledger';
import { type Actor, authorOf } from '../people/actor';

/** Decided lines shown under the waiting ones (a clerk sees why theirs was refused). */
const RECENT_DECISIONS = 50;

const ENTRY_SOURCE: Record<string, EntrySource> = { api: 'api', form: 'form', import: 'import' };

export function heldView(row: HeldLineRow): HeldLineView {
  return {
    heldId: row.held_id,
    line: JSON.parse(row.line) as AdjustmentLine,
    why: row.why,
    state: row.state,
    createdAt: row.created_at,
    createdBy: row.created_by,
    createdById: row.created_by_id,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    refusal: row.refusal,
    lineRecordId: row.line_record_id,
  };
}

export class ApprovalService {
  constructor(private readonly deps: { ledger: Ledger; entry: EntryPipeline }) {}

  list(): HeldLineView[] {
    return this.deps.ledger.held.list(RECENT_DECISIONS).map(heldView);
  }

  waiting(): number {
    return this.deps.ledger.held.countWaiting();
  }

  /** The held line, stored now as approved by this manager; a second approve answers the first. */
  approve(heldId: string, manager: Actor): HeldLineView {
    const { ledger, entry } = this.deps;
    ledger.writeNow(() => {
      const row = this.waitingRow(heldId);
      if (!row) return;
      const entered = entry.enterNow(JSON.parse(row.line), {
        source: ENTRY_SOURCE[row.source] ?? 'form',
        author: { kind: row.author_kind as AuthorKind, id: row.created_by_id, name: row.created_by },
        instantIv: row.instant_iv === 1,
        // The clerk answered the large-quantity question before the line could wait.
        confirmedLargeQuantity: true,
        approval: { role: manager.role, kind: manager.kind, approvedBy: authorOf(manager) },
      });
      const decided = ledger.held.decide(heldId, {
        state: 'approved',
        at: nowIso(ledger.clock),
        by: manager.name,
        byId: manager.id,
        lineRecordId: entered.lines[0]?.lineRecordId,
      });
      // Decided meanwhile: throwing rolls the line back with the decision.
      if (!decided)
        throw new AppError('conflict', 'This line was decided meanwhile: look at the list again.');
    });
    return heldView(ledger.held.get(heldId)!);
  }

  refuse(heldId: string, manager: Actor, reason: string): HeldLineView {
    const { ledger } = this.deps;
    ledger.writeNow(() => {
      const row = this.waitingRow(heldId);
      if (!row) return;
      ledger.held.decide(heldId, {
        state: 'refused',
        at: nowIso(ledger.clock),
        by: manager.name,
        byId: manager.id,
        refusal: reason,
      });
    });
    return heldView(ledger.held.get(heldId)!);
  }

  /** The row if it still waits; undefined when decided already (the answer is the decision); unknown: not found. */
  private waitingRow(heldId: string): HeldLineRow | undefined {
    const row = this.deps.ledger.held.get(heldId);
    if (!row) throw notFound('This waiting line');
    return row.state === 'waiting' ? row : undefined;
  }
}
