import { dimensionWords } from '../../../shared/column-words';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const shortDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });
const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 });

/** An ISO timestamp in the clerk's local time; blank stays a dash. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/** Compact form for grid cells. */
export function formatShortDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : shortDateTime.format(d);
}

export function formatNumber(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : number.format(n);
}

export function orDash(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '—' : String(value);
}

/** `colorId=red, sizeId=S` without site and warehouse, which have their own columns. */
export function otherDimensions(dimensions: Record<string, string>): string {
  return Object.entries(dimensions)
    .filter(([k]) => k !== 'siteId' && k !== 'locationId')
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** "in 2 min", "3 min ago" for the job cards. */
export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  const text =
    abs < 60_000
      ? `${Math.round(abs / 1000)} s`
      : abs < 3_600_000
        ? `${Math.round(abs / 60_000)} min`
        : `${Math.round(abs / 3_600_000)} h`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

/** `Colour (colorId)` for the form's own dimensions, `Dimension batchId` for the rest (one table with the export). */
export const dimensionLabel = dimensionWords;

/** Site and warehouse first, then the rest as stored. */
export function dimensionRows(dimensions: Record<string, string>): [string, string][] {
  const order = (k: string) => (k === 'siteId' ? 0 : k === 'locationId' ? 1 : 2);
  return Object.entries(dimensions)
    .sort(([a], [b]) => order(a) - order(b))
    .map(([k, v]) => [dimensionLabel(k), v]);
}
