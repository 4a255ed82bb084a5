import { z } from 'zod';

/** A count: scanned items and what is on the shelf, a draft until applied. */
export interface CountItem {
  productId: string;
  dimensions: Record<string, string>;
  counted: number;
  /** The on-hand it was compared with: IV's figure (null: never known) and when IV said it. */
  iv: number | null;
  ivAt: string | null;
  /** true: IV answered at the count; false: offline, IV's last answer (or none) was used. */
  ivLive: boolean;
  pending: number;
  /** counted − (iv + pending): the line Apply posts. */
  delta: number;
  countedAt: string;
}

export interface CountView {
  countId: string;
  reference: string;
  organizationId: string;
  siteId: string;
  locationId: string;
  state: 'Open' | 'Applied';
  createdAt: string;
  appliedAt: string | null;
  items: CountItem[];
}

export interface CountApplyResult {
  count: CountView;
  /** Lines created now; lines already in the ledger from an earlier apply are not counted again. */
  created: number;
  unchanged: number;
}

const code = z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be blank' }).max(64, {
  error: 'must be at most 64 characters',
});
const countId = z.string().min(1).max(64);

export const countInputs = {
  list: z.strictObject({}),
  create: z.strictObject({
    reference: code,
    organizationId: code,
    siteId: code,
    locationId: code,
  }),
  get: z.strictObject({ countId }),
  record: z.strictObject({
    countId,
    productId: code,
    dimensions: z.record(z.string(), code).default({}),
    counted: z
      .number({ error: 'must be a number' })
      .refine(Number.isFinite, { error: 'must be a finite number' })
      .refine((n) => n >= 0, { error: 'must be zero or more (what is on the shelf)' })
      .refine((n) => n <= 1e12, { error: 'must be at most 1e12' }),
  }),
  apply: z.strictObject({ countId }),
  /** A tab-separated block pasted from a spreadsheet: item and counted columns. */
  paste: z.strictObject({
    countId,
    text: z.string({ error: 'must be text' }).max(200_000, { error: 'must be at most 200,000 characters' }),
  }),
};
