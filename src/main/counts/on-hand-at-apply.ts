/**
 * The on-hand a count is compared with, asked at Apply (as Odoo's inventory count does): IV's
 * figure then, plus this store's lines IV had not counted yet. When IV does not answer, an item
 * is never compared with an unknown figure: it gets IV's last known figure only as an offer, for
 * a manager to choose, or nothing when IV never gave one.
 */
import type { CountItem, CountView } from '../../shared/counts';
import type { OnHandRow } from '../../shared/onhand';
import type { OnHandService } from '../onhand/service';

/** IV is asked for this many products at a time: a 500-item count is not 500 calls at once. */
const CONCURRENCY = 4;

export interface Figure {
  onHand: number;
  at: string;
  pending: number;
}

export type KnownAtApply =
  | { live: true; figure: Figure }
  | { live: false; lastKnown: Figure | null; why: string };

const sameDims = (a: Record<string, string>, b: Record<string, string>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** IV's figure for each item, by item number. */
export async function onHandAtApply(
  onHand: OnHandService,
  count: CountView,
): Promise<Map<number, KnownAtApply>> {
  // One question per product: IV answers every variant of it at the warehouse at once.
  const byProduct = new Map<string, CountItem[]>();
  for (const item of count.items) {
    const key = item.productId.toLowerCase();
    byProduct.set(key, [...(byProduct.get(key) ?? []), item]);
  }
  const groups = [...byProduct.values()];
  const known = new Map<number, KnownAtApply>();
  // Once IV has not answered, the rest are read from what is known: a count of 500 products
  // offline must not wait out 500 timeouts.
  let answering = true;
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const items = groups[next++]!;
      const place = {
        organizationId: count.organizationId,
        productId: items[0]!.productId,
        siteId: count.siteId,
        locationId: count.locationId,
      };
      const answer = await onHand.get({ ...place, live: answering });
      if (answer.source !== 'live') answering = false;
      for (const item of items) {
        const row = answer.rows.find((r) => sameDims(r.dimensions, item.dimensions));
        if (answer.source === 'live' && answer.liveAt)
          known.set(item.item, {
            live: true,
            // IV answered without this variant here: it had none of it then.
            figure: { onHand: row?.iv ?? 0, at: answer.liveAt, pending: row?.pending ?? 0 },
          });
        else
          known.set(item.item, {
            live: false,
            lastKnown: lastKnown(onHand, place, item, row),
            why: answer.note ?? 'IV did not answer',
          });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, groups.length) }, worker));
  return known;
}

/**
 * The newer of IV's cached figure and what IV said when the item was counted (an answer with
 * none of it is a figure too: 0 then), with the lines IV had not counted at its time.
 */
function lastKnown(
  onHand: OnHandService,
  place: { organizationId: string; productId: string; siteId: string; locationId: string },
  item: CountItem,
  row: OnHandRow | undefined,
): Figure | null {
  const cached =
    row && row.iv !== null && row.ivAt ? { onHand: row.iv, at: row.ivAt, pending: row.pending } : null;
  const counted = item.iv !== null && item.ivAt ? { onHand: item.iv, at: item.ivAt } : null;
  if (counted && (!cached || counted.at > cached.at))
    return { ...counted, pending: onHand.pendingSince(place, item.dimensions, counted.at) };
  return cached;
}
