import type { CountItem, CountWaiting } from '../../../../shared/counts';
import { formatNumber } from '../../components/format';

/** "10:02 today", "17:40 yesterday", "09:15 on 5 Dec 2026": the clerk's local time, never UTC. */
export function asOf(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return 'an unknown time';
  // As the store's other messages say it (master-data/checks.ts describeAsOf): 24-hour local time.
  const time = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  const day = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((day(now) - day(at)) / 86_400_000);
  if (days === 0) return `${time} today`;
  if (days === 1) return `${time} yesterday`;
  return `${time} on ${at.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })}`;
}

/** "D0001 red S women": the item and its variant as the shelf label reads. */
export function itemName(item: Pick<CountItem, 'productId' | 'dimensions'>): string {
  return [item.productId, ...Object.values(item.dimensions)].join(' ');
}

export function signed(n: number): string {
  return n > 0 ? `+${formatNumber(n)}` : formatNumber(n);
}

const plusPending = (pending: number) => (pending === 0 ? '' : `, pending here ${signed(pending)}`);

/** What the difference was (or will be) computed against, in words. */
export function comparedWith(item: CountItem): string {
  const a = item.applied;
  if (a)
    return a.basis === 'live'
      ? `IV ${formatNumber(a.onHand)} at Apply (${asOf(a.onHandAt)})${plusPending(a.pending)}`
      : `IV's last known ${formatNumber(a.onHand)} as of ${asOf(a.onHandAt)}, chosen at Apply${plusPending(a.pending)}`;
  if (item.iv === null || item.ivAt === null)
    return 'Not known yet: IV has not answered for it (Apply asks IV)';
  const when = item.ivLive
    ? `when counted (${asOf(item.ivAt)})`
    : `as of ${asOf(item.ivAt)}, IV's last answer`;
  return `IV ${formatNumber(item.iv)} ${when}${plusPending(item.pending)}; Apply asks IV again`;
}

/** The adjustment: posted once applied, expected before. */
export function difference(item: CountItem): string {
  if (item.applied)
    return item.applied.delta === 0 ? 'none: the shelf matched' : `${signed(item.applied.delta)} posted`;
  return item.delta === null ? '—' : `${signed(item.delta)} expected`;
}

/** Why an item waits at Apply, in the manager's words. */
export function waitingWords(w: CountWaiting): string {
  if (!w.lastKnown) return 'No figure from IV ever: remove it from the count, or apply when IV answers.';
  return `IV could not be asked. Last known on-hand ${formatNumber(w.lastKnown.onHand)} as of ${asOf(w.lastKnown.at)}${plusPending(w.lastKnown.pending)}.`;
}
