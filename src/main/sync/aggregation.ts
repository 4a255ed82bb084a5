import { sortDimensions } from '../../shared/dimensions';
import { mappingKey } from '../../shared/mappings';
import type { TargetTransactionStatus } from '../../shared/status';
import type { AggregationGroup } from '../ledger/aggregation-store';
import { newRecordId } from '../ledger/ids';
import type { NewAggregatedLine } from '../ledger/schema';
import type { SyncStore } from '../ledger/sync-store';

/** A sum this close to 0, relative to the quantities summed, is 0: floating point leaves crumbs. */
export const NET_ZERO_TOLERANCE = 1e-9;

export interface AggregationResult {
  aggregatedLines: number;
  detailedLines: number;
  doNotSync: number;
}

/** 15 significant digits: drops the float crumbs of a sum (0.1 + 0.2) without touching real digits. */
export function roundQuantity(q: number): number {
  if (q === 0 || !Number.isFinite(q)) return q;
  return Number(q.toPrecision(15));
}

export function isNetZero(quantity: number, magnitude: number): boolean {
  return Math.abs(quantity) <= NET_ZERO_TOLERANCE * Math.max(1, magnitude);
}

/** Why a group does not go to SCM (domain.md §2, §4), or null when it does. */
export function doNotSyncReason(
  group: Pick<AggregationGroup, 'quantity' | 'magnitude' | 'n' | 'physical_measure'>,
  target: TargetTransactionStatus | undefined,
): string | null {
  if (isNetZero(group.quantity, group.magnitude)) {
    return `Net quantity is 0: the ${group.n} detailed line(s) of this key cancel out, so there is nothing to send to Supply Chain Management.`;
  }
  const measure = group.physical_measure;
  if (target === undefined) {
    return (
      `No Fno integration mapping for the physical measure '${measure}': a measure without a mapping row is not sent to ` +
      `Supply Chain Management. To send such lines, add a mapping row for '${measure}' with target status Created or Posted ` +
      '(Settings → Fno integration mappings); lines entered after that go to SCM.'
    );
  }
  if (target === 'None') {
    return (
      `The Fno integration mapping for the physical measure '${measure}' has target status None: nothing is created in ` +
      `Supply Chain Management. Change it to Created or Posted to send lines entered after that.`
    );
  }
  return null;
}

/**
 * One transaction writes at most this many detailed lines: a backlog of a million lines after a
 * long outage is aggregated in steps, so the API and the UI keep answering between them.
 */
export const AGGREGATION_STEP = 20_000;

/**
 * Sums the oldest IVPosted lines (up to `step`) into aggregated lines by the aggregation key,
 * in one transaction: either all of them are aggregated (and their aggregated lines exist) or
 * none is. Callers repeat it until it aggregates nothing.
 */
export function aggregate(
  store: SyncStore,
  targets: ReadonlyMap<string, TargetTransactionStatus>,
  now: Date = new Date(),
  step = AGGREGATION_STEP,
): AggregationResult {
  const at = now.toISOString();
  return store.transaction(() => {
    const maxSeq = store.aggregation.ivPostedSeqLimit(step);
    if (maxSeq === null) return { aggregatedLines: 0, detailedLines: 0, doNotSync: 0 };
    const groups = store.aggregation.groups(maxSeq);
    let doNotSync = 0;
    const rows: NewAggregatedLine[] = groups.map((g) => {
      const target = targets.get(mappingKey(g.physical_measure));
      const reason = doNotSyncReason(g, target);
      if (reason) doNotSync++;
      return {
        aggregated_line_id: newRecordId(now.getTime()),
        aggregation_key: g.k,
        organization_id: g.organization_id,
        product_id: g.product_id,
        quantity_data_source: g.quantity_data_source,
        physical_measure: g.physical_measure,
        dimensions: JSON.stringify(sortDimensions(g.dimensions as Record<string, string>)),
        site_id: g.dimensions.siteId ?? '',
        location_id: g.dimensions.locationId ?? '',
        fno_journal_name_id: g.fno_journal_name_id,
        cost_price: g.cost_price,
        trans_date: g.trans_date,
        quantity: isNetZero(g.quantity, g.magnitude) ? 0 : roundQuantity(g.quantity),
        status: reason ? 'DoNotSync' : 'Created',
        status_reason: reason,
        target_transaction_status: target ?? 'None',
        detailed_line_count: g.n,
        created_at: at,
        updated_at: at,
      };
    });
    const detailedLines = store.aggregation.write(rows, at, maxSeq);
    return { aggregatedLines: rows.length, detailedLines, doNotSync };
  });
}
