import { z } from 'zod';

/** "IV now + still pending here", per product, warehouse and the product dimensions IV groups by. */
export interface OnHandRow {
  organizationId: string;
  productId: string;
  siteId: string;
  locationId: string;
  /** Product dimensions of this row (colorId, sizeId, …), `{}` when none. */
  dimensions: Record<string, string>;
  /** What IV said; null when IV was never asked about this row. */
  iv: number | null;
  /** When IV said it. */
  ivAt: string | null;
  /** Local lines IV had not counted at that time (not yet sent, or sent since). */
  pending: number;
  /** iv + pending (pending alone when IV never answered). */
  total: number;
}

export interface OnHandAnswer {
  rows: OnHandRow[];
  /** 'live': IV answered now; 'cached': IV could not be reached, figures are from ivAt; 'none': nothing known from IV. */
  source: 'live' | 'cached' | 'none';
  /** Why IV was not asked or did not answer, in words. */
  note: string | null;
  /** When IV's answer arrived ('live' only): a warehouse and variant IV answered nothing for had 0 then. */
  liveAt: string | null;
}

const code = z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be blank' }).max(64, {
  error: 'must be at most 64 characters',
});

export const onHandQuerySchema = z.strictObject({
  organizationId: code,
  productId: code,
  siteId: code.optional(),
  locationId: code.optional(),
  /** false: the cached figures only (never waits on IV). */
  live: z.boolean().default(true),
});
export type OnHandQuery = z.output<typeof onHandQuerySchema>;
