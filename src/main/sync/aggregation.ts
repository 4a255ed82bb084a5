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
 * Lines per slice: each slice is one short transaction (scan or move), so a million-line
 * backlog after a long outage never keeps the API or the UI waiting.
 */
export const AGGREGATION_STEP = 5_000;

/** Aggregated lines inserted per transaction. */
const INSERT_SLICE = 5_000;

export interface AggregateOptions {
  now?: Date;
  /** Lines per slice (tests shrink it). */
  step?: number;
  /** Runs between slices: yields to the event loop. */
  between?: () => Promise<void>;
  /** Store Ledger is closing: stop after the current slice; the pending lines are finished next run. */
  stopping?: () => boolean;
}

interface Sum {
  group: AggregationGroup;
  quantity: number;
  magnitude: number;
  n: number;
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One aggregation run (domain.md §2): every line IVPosted when it starts is summed into exactly
 * one aggregated line per key, however large the backlog.
 *
 * 1. Scan the IVPosted lines in slices, summing by key in memory (reads only).
 * 2. Insert the aggregated lines *pending*, in slices: cutting journals ignores them.
 * 3. Point the detailed lines at them, a slice per transaction (IVPosted → Aggregated).
 * 4. Seal them: they may go to SCM.
 *
 * A run cut short (crash, stop) leaves pending lines; the next run first finishes those (3, 4)
 * from the ledger alone, moving only lines that were IVPosted when they were made, so nothing is
 * summed twice or left out.
 */
export async function aggregate(
  store: SyncStore,
  targets: ReadonlyMap<string, TargetTransactionStatus>,
  options: AggregateOptions = {},
): Promise<AggregationResult> {
  const now = options.now ?? new Date();
  const step = options.step ?? AGGREGATION_STEP;
  const between = options.between ?? nextTick;
  const stopping = options.stopping ?? (() => false);
  const result: AggregationResult = { aggregatedLines: 0, detailedLines: 0, doNotSync: 0 };

  result.detailedLines += await finishPending(store, step, now.toISOString(), between, stopping);
  if (stopping()) return result;

  const throughSeq = store.aggregation.ivPostedMaxSeq();
  if (throughSeq === null) return result;
  const at = now.toISOString();
  const sums = new Map<string, Sum>();
  for (let after = 0; ; ) {
    const { groups, lastSeq } = store.aggregation.groupSlice(after, throughSeq, step);
    if (lastSeq === null) break;
    for (const g of groups) {
      const sum = sums.get(g.k);
      if (sum) {
        sum.quantity += g.quantity;
        sum.magnitude += g.magnitude;
        sum.n += g.n;
      } else sums.set(g.k, { group: g, quantity: g.quantity, magnitude: g.magnitude, n: g.n });
    }
    after = lastSeq;
    await between();
    if (stopping()) return result;
  }
  if (sums.size === 0) return result;

  const rows = [...sums.values()].map((s) => {
    const g = { ...s.group, quantity: s.quantity, magnitude: s.magnitude, n: s.n };
    const target = targets.get(mappingKey(g.physical_measure));
    const reason = doNotSyncReason(g, target);
    if (reason) result.doNotSync++;
    return toAggregatedLine(g, target, reason, now, at);
  });
  for (let i = 0; i < rows.length; i += INSERT_SLICE) {
    store.redoableTransaction(() =>
      store.aggregation.insertPending(rows.slice(i, i + INSERT_SLICE), throughSeq),
    );
    await between();
  }
  result.aggregatedLines = rows.length;
  result.detailedLines += await finishPending(store, step, at, between, stopping);
  return result;
}

/** Steps 3 and 4 for whatever aggregated lines are pending (this run's, or a run cut short). */
async function finishPending(
  store: SyncStore,
  step: number,
  at: string,
  between: () => Promise<void>,
  stopping: () => boolean,
): Promise<number> {
  const pending = store.aggregation.loadPending();
  if (pending === null) return 0;
  let moved = 0;
  for (let after = 0; ; ) {
    const slice = store.redoableTransaction(() =>
      store.aggregation.moveSlice(after, pending.throughSeq, step, pending.since, at),
    );
    if (slice.lastSeq === null) break;
    moved += slice.moved;
    after = slice.lastSeq;
    await between();
    if (stopping()) return moved;
  }
  store.redoableTransaction(() => store.aggregation.seal());
  return moved;
}

function toAggregatedLine(
  g: AggregationGroup,
  target: TargetTransactionStatus | undefined,
  reason: string | null,
  now: Date,
  at: string,
): NewAggregatedLine {
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
}
