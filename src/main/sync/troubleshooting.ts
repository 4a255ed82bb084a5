/** The clerk's troubleshooting actions on aggregated lines: Retry and Mark DoNotSync. */
import type { BulkActionResult } from '../../shared/rpc';
import type { AggregatedStatus } from '../../shared/status';
import type { AggregatedLineRow } from '../ledger/schema';
import type { SyncStore } from '../ledger/sync-store';
import { type CutLimits, cutBatches } from './scm';

/**
 * FnOCreateError → FnOSent in a new package marked "read back first", so a line SCM created
 * after all is never sent twice; FnOPostError → FnOCreated, waiting for SCM's posting job again
 * with a fresh overdue window. Anything else is refused with the reason. One transaction.
 */
export function retryLines(
  store: SyncStore,
  aggregatedLineIds: readonly string[],
  limits: CutLimits,
  at: string,
): BulkActionResult {
  const refused: BulkActionResult['refused'] = [];
  const changed = store.writeNow(() => {
    const rows = store.aggregatedStatuses(aggregatedLineIds);
    const resend: AggregatedLineRow[] = [];
    const reposting: string[] = [];
    for (const id of new Set(aggregatedLineIds)) {
      const row = rows.get(id);
      if (!row) refused.push({ aggregatedLineId: id, message: 'No aggregated line with this ID.' });
      else if (row.status === 'FnOCreateError') resend.push(row);
      else if (row.status === 'FnOPostError') reposting.push(id);
      else refused.push({ aggregatedLineId: id, message: retryRefusal(row.status) });
    }
    // Read back before sending: SCM may have imported some of them after all.
    let { moved } = cutBatches(store, resend, limits, at, 1);
    moved += store.status.moveAggregated(
      reposting.map((id) => ({ id })),
      'FnOCreated',
      at,
      { last_error: null, last_error_kind: null, posting_since: at },
    ).moved.length;
    return moved;
  });
  return { changed, refused };
}

/** Sets lines aside for good (Created, FnOCreateError, FnOPostError → DoNotSync) with the clerk's reason. */
export function markDoNotSync(
  store: SyncStore,
  aggregatedLineIds: readonly string[],
  reason: string,
  at: string,
): BulkActionResult {
  const unique = [...new Set(aggregatedLineIds)];
  const result = store.writeNow(() =>
    store.status.moveAggregated(
      unique.map((id) => ({ id })),
      'DoNotSync',
      at,
      { status_reason: reason },
    ),
  );
  return {
    changed: result.moved.length,
    refused: result.refused.map((r) => ({
      aggregatedLineId: r.id,
      message:
        r.from === null
          ? 'No aggregated line with this ID.'
          : `This line is ${r.from}: only Created, FnOCreateError and FnOPostError lines can be marked DoNotSync.`,
    })),
  };
}

function retryRefusal(status: AggregatedStatus): string {
  switch (status) {
    case 'FnOPosted':
      return 'This line is already posted in SCM: there is nothing to retry. A correction is a new, opposite line.';
    case 'DoNotSync':
      return 'This line was set aside (DoNotSync): it is not sent to SCM.';
    case 'FnOSent':
    case 'Created':
      return `This line is ${status}: it is on its way to SCM already.`;
    case 'FnOCreated':
      return 'This line is created in SCM: the sync follows its posting by itself.';
    default:
      return `Only FnOCreateError and FnOPostError lines can be retried; this line is ${status}.`;
  }
}
