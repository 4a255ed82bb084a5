/**
 * A journal SCM's posting job passed over. No API says why a journal did not post: SCM's
 * posting job logs it in its batch job history only [GA]. What the app can see is that the job
 * ran after the journal was created and left it: SCM numbers journals from a number sequence,
 * so a journal of ours with a later number in the same organization reading IsPosted = Yes
 * means a run of the job came after ours existed (SCM's and this PC's clocks are never
 * compared). Such a journal's lines say so at once, not only once *Posting overdue after* has
 * passed, and name the line most likely holding it: SCM posts a journal whole or not at all,
 * and refuses one that would make physical on-hand negative ("Inventory on-hand cannot become
 * negative"), so an issue larger than the store's last known on-hand is the suspect.
 */

import { localDateAt } from '../../clock';
import type { SyncStore } from '../../ledger/sync-store';
import { productDimensions } from '../../onhand/service';

const ADJUSTMENT_JOURNALS = 'Inventory management › Journal entries › Items › Inventory adjustment';

/** "IVJ-000012" → prefix "IVJ-" and 12; a number without trailing digits cannot be ordered. */
function numbered(journalNumber: string): { prefix: string; n: number } | null {
  const m = /^(.*?)(\d+)$/.exec(journalNumber.trim());
  return m ? { prefix: m[1]!.toLowerCase(), n: Number(m[2]) } : null;
}

/** Whether `later` was numbered after `earlier` by the same number sequence. */
export function numberedAfter(later: string, earlier: string): boolean {
  const a = numbered(later);
  const b = numbered(earlier);
  return a !== null && b !== null && a.prefix === b.prefix && a.n > b.n;
}

/** The later of two journal numbers of one sequence (the first when they cannot be ordered). */
export function laterOf(a: string | null, b: string): string {
  return a === null || numberedAfter(b, a) ? b : a;
}

/** A line of the journal that takes out more than the store last knew it had. */
export interface Suspect {
  aggregatedLineId: string;
  words: string;
}

const when = (iso: string) =>
  localDateAt(Date.parse(iso)).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

/**
 * The journal's issues that would leave the store's last known on-hand below zero: IV's last
 * answer for the item at that warehouse and variant, plus this store's lines IV had not counted
 * then. Without a known figure an issue is named only when it is the journal's one issue.
 */
export function suspectLines(store: SyncStore, organizationId: string, journalNumber: string): Suspect[] {
  const lines = store.batches.journalLines(organizationId, journalNumber);
  const issues = lines.filter((l) => l.quantity < 0);
  const suspects: Suspect[] = [];
  for (const line of issues) {
    const dims = JSON.parse(line.dimensions) as Record<string, string>;
    const place = { siteId: dims.siteId, locationId: dims.locationId };
    const variant = JSON.stringify(productDimensions(dims));
    const known = store.onHand
      .cached(organizationId, line.product_id, place)
      .find((c) => JSON.stringify(productDimensions(c.dims)) === variant);
    const where = `${line.product_id} at site ${dims.siteId ?? '?'}, warehouse ${dims.locationId ?? '?'}`;
    if (!known) {
      if (issues.length === 1)
        suspects.push({
          aggregatedLineId: line.aggregated_line_id,
          words: `${where} is the journal's only line that takes stock out (${-line.quantity}); its on-hand in SCM may be short`,
        });
      continue;
    }
    const pending = store.onHand
      .pendingLines(organizationId, line.product_id, place, known.queriedAt)
      .filter((p) => JSON.stringify(productDimensions(p.dimensions)) === variant)
      .reduce((sum, p) => sum + p.quantity, 0);
    const total = known.ivQuantity + pending;
    if (total < 0)
      suspects.push({
        aggregatedLineId: line.aggregated_line_id,
        words: `${where} takes out ${-line.quantity}, which leaves its last known on-hand at ${total} (Inventory Visibility said ${known.ivQuantity} on ${when(known.queriedAt)}${pending !== 0 ? `, and this store entered ${pending > 0 ? '+' : ''}${pending} since` : ''})`,
      });
  }
  return suspects;
}

/** What each line of a passed-over journal says: the evidence, the suspect, what to do. */
export function passedOverMessage(
  journalNumber: string,
  company: string,
  postedLater: string,
  suspects: readonly Suspect[],
  lineId: string,
): string {
  const mine = suspects.find((s) => s.aggregatedLineId === lineId);
  const cause =
    suspects.length === 0
      ? 'No line of it could be named from here: open the posting job’s log in SCM for the reason.'
      : mine
        ? `This line is the likely cause: ${mine.words}. SCM does not post a journal that would make on-hand negative: count the item or post its receipt first.`
        : `Its likely cause is another line: ${suspects.map((s) => s.words).join('; ')}. SCM posts a journal whole, so this line waits with it.`;
  return (
    `SCM's posting job has run since journal ${journalNumber} (${company}) was created (it posted ${postedLater}) and did not post it. ` +
    `${cause} Open the journal in SCM (${ADJUSTMENT_JOURNALS}) to see SCM's own words. ` +
    'This line turns FnOPosted by itself once SCM posts the journal.'
  );
}
