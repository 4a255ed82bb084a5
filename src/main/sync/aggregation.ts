import { sortDimensions } from '../../shared/dimensions';
import { mappingKey } from '../../shared/mappings';
import type { TargetTransactionStatus } from '../../shared/status';
import { isoAt, realNow } from '../clock';
import { backgroundTurn } from '../event-loop';
import type { AggregationGroup } from '../ledger/aggregation-key';
import type { AggregationRun, PendingAggregatedLine } from '../ledger/aggregation-store';
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

/** Why a group does not go to SCM (it nets to zero, or its measure maps to None), or null. */
export function doNotSyncReason(
  group: Pick<PendingAggregatedLine, 'quantity' | 'magnitude' | 'n' | 'physical_measure'>,
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
 * Lines in a run's first slice. Each slice is one short transaction (read, sum, move), so a
 * million-line backlog after a long outage never keeps the API or the UI waiting; the next
 * slices are sized from the last one's time to take about SLICE_MS (between MIN_STEP and MAX_STEP).
 */
export const AGGREGATION_STEP = 250;
export const SLICE_MS = 20;
const MIN_STEP = 100;
const MAX_STEP = 20_000;
/**
 * Lines moved between two waits for the checkpointer (about 50 MB of WAL): without them a
 * long run outpaces it and the WAL grows past the ledger's own size.
 */
const LINES_PER_CHECKPOINT = 100_000;

/** Aggregated lines sealed per transaction. */
const SEAL_SLICE = 2_000;

export interface AggregateOptions {
  /** The clock's reading the run stamps its lines with (the engine's clock). */
  now: number;
  /** Lines per slice, fixed (tests shrink it); without it, slices are sized by time. */
  step?: number;
  /** Runs between slices: yields to the event loop (after any request someone waits on). */
  between?: () => Promise<void>;
  /** Lines between two writes of the run's sums (aggregation-store SUMS_EVERY_LINES); tests lower it. */
  sumsEveryLines?: number;
  /** Store Ledger is closing: stop after the current slice; the pending lines are finished next run. */
  stopping?: () => boolean;
}

interface Pass {
  store: SyncStore;
  targets: ReadonlyMap<string, TargetTransactionStatus>;
  step: number;
  /** Size each slice from the last one's time (no fixed step asked for). */
  adapt: boolean;
  at: string;
  between: () => Promise<void>;
  stopping: () => boolean;
  result: AggregationResult;
}

/**
 * One aggregation run: every line queued (IVPosted) up to the newest one when it
 * starts is summed into exactly one aggregated line per key, however large the backlog. Each
 * line is read once and its own row is not rewritten:
 *
 * 1. Walk the run's queued lines in slices, one transaction each: the slice's lines are linked
 *    to their key's aggregated line (inserted *pending* when the run first meets the key:
 *    cutting journals ignores it) and leave the queue (IVPosted → Aggregated), together; the
 *    sums are kept in memory and written into the pending lines every so often.
 * 2. Write the sums, then seal the pending lines: final quantity, DoNotSync and its reason;
 *    they may go to SCM.
 *
 * A run cut short (crash, stop) leaves pending lines whose links are the truth; the next run
 * first finishes that run (its sums as last written, plus the links made after), so nothing
 * is summed twice or left out.
 */
export async function aggregate(
  store: SyncStore,
  targets: ReadonlyMap<string, TargetTransactionStatus>,
  options: AggregateOptions,
): Promise<AggregationResult> {
  const pass: Pass = {
    store,
    targets,
    step: options.step ?? AGGREGATION_STEP,
    adapt: options.step === undefined,
    at: isoAt(options.now),
    between: options.between ?? backgroundTurn,
    stopping: options.stopping ?? (() => false),
    result: { aggregatedLines: 0, detailedLines: 0, doNotSync: 0 },
  };
  const runs = store.aggregation;
  runs.begin(options.sumsEveryLines);
  try {
    const cutShort = runs.pendingRun();
    if (cutShort && !(await finish(pass, cutShort))) return pass.result;
    const throughSeq = runs.ivPostedMaxSeq();
    if (throughSeq !== null) await finish(pass, { throughSeq, since: pass.at });
    return pass.result;
  } finally {
    runs.end();
  }
}

/** Steps 1 and 2 for one run; false when it stopped before the end. */
async function finish(pass: Pass, run: AggregationRun): Promise<boolean> {
  const { store, between, stopping, result } = pass;
  const make = (g: AggregationGroup) => toAggregatedLine(g, pass.targets, run.since, pass.at);
  // Each step is a redoable write of its own (WriteOptions.redoable): a crash loses at most the
  // last steps, and the next run redoes them.
  const redoable = { redoable: true };
  let after = await store.write(() => store.aggregation.openRun(pass.at), redoable);
  let unsynced = 0;
  for (;;) {
    // The slice's real cost sizes the next one (realNow: a test's clock must not make it look free).
    const started = realNow();
    const slice = await store.write(
      () => store.aggregation.slice(run, after, pass.step, pass.at, make),
      redoable,
    );
    if (pass.adapt) pass.step = nextStep(pass.step, slice.moved, realNow() - started);
    if (slice.lastSeq === null) break;
    result.detailedLines += slice.moved;
    after = slice.lastSeq;
    store.aggregation.checkpoint();
    unsynced += slice.moved;
    if (unsynced >= LINES_PER_CHECKPOINT) {
      await store.aggregation.checkpointed();
      unsynced = 0;
    }
    await between();
    if (stopping()) {
      await store.write(() => store.aggregation.saveSums(after, pass.at), redoable);
      return false;
    }
  }
  await store.write(() => store.aggregation.saveSums(after, pass.at), redoable);
  for (let after = 0; ; ) {
    const lines = store.aggregation.pendingLines(after, SEAL_SLICE);
    if (lines.length === 0) return true;
    await store.write(() => {
      for (const line of lines) seal(pass, line);
    }, redoable);
    after = lines[lines.length - 1]!.seq;
    await between();
  }
}

/** The next slice's size: as many lines as the last slice's pace fits in SLICE_MS. */
export function nextStep(step: number, lines: number, ms: number): number {
  if (lines < step || ms <= 0) return step;
  const fits = Math.floor((lines * SLICE_MS) / ms);
  // At most doubling: one fast slice (a warm cache) does not make the next one huge.
  return Math.max(MIN_STEP, Math.min(MAX_STEP, 2 * step, fits));
}

function seal(pass: Pass, line: PendingAggregatedLine): void {
  const target = pass.targets.get(mappingKey(line.physical_measure));
  const reason = doNotSyncReason(line, target);
  const quantity = isNetZero(line.quantity, line.magnitude) ? 0 : roundQuantity(line.quantity);
  pass.store.aggregation.seal(line, quantity, target ?? 'None', reason, pass.at);
  pass.result.aggregatedLines++;
  if (reason) pass.result.doNotSync++;
}

/** A key's aggregated line as the run first inserts it: pending, nothing summed yet. */
function toAggregatedLine(
  g: AggregationGroup,
  targets: ReadonlyMap<string, TargetTransactionStatus>,
  since: string,
  at: string,
): NewAggregatedLine {
  return {
    aggregated_line_id: newRecordId(Date.parse(at)),
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
    quantity: 0,
    status: 'Created',
    status_reason: null,
    target_transaction_status: targets.get(mappingKey(g.physical_measure)) ?? 'None',
    detailed_line_count: 0,
    // Every aggregated line of a run carries the run's start: a run cut short is resumed from it.
    created_at: since,
    updated_at: at,
  };
}
