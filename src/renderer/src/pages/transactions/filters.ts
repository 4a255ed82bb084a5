import type { AggregatedStatus, LineStatus } from '../../../../shared/status';

/** The grid filters: status, product, site/warehouse, external reference, date range. */
export interface GridFilters<S extends string> {
  status: S[];
  productId: string;
  siteId: string;
  locationId: string;
  /** External reference ID (detailed) or journal number (aggregated). */
  reference: string;
  dates: [string | null, string | null];
}

export type LineFilters = GridFilters<LineStatus>;
export type AggregatedFilters = GridFilters<AggregatedStatus>;

export function emptyFilters<S extends string>(): GridFilters<S> {
  return { status: [], productId: '', siteId: '', locationId: '', reference: '', dates: [null, null] };
}

/** A picked day is the clerk's local day, sent as the UTC instants that bound it. */
export function localDayBound(day: string | null, end: boolean): string | undefined {
  if (!day) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = end ? new Date(y, m - 1, d, 23, 59, 59, 999) : new Date(y, m - 1, d, 0, 0, 0, 0);
  return date.toISOString();
}

const text = (s: string) => (s.trim() === '' ? undefined : s.trim());

/** Shared part of the list query: what both grids and both CSV exports send. */
export function baseQuery<S extends string>(f: GridFilters<S>) {
  return {
    status: f.status.length > 0 ? f.status : undefined,
    productId: text(f.productId),
    siteId: text(f.siteId),
    locationId: text(f.locationId),
    from: localDayBound(f.dates[0], false),
    to: localDayBound(f.dates[1], true),
  };
}

export function activeFilterCount<S extends string>(f: GridFilters<S>): number {
  return (
    (f.status.length > 0 ? 1 : 0) +
    [f.productId, f.siteId, f.locationId, f.reference].filter((v) => v.trim() !== '').length +
    (f.dates[0] || f.dates[1] ? 1 : 0)
  );
}
