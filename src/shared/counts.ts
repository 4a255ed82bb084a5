import { z } from 'zod';

/** Sums of quantities stored as REAL: a difference is posted to the millionth, never 1e-15 off. */
export const roundQuantity = (n: number): number => Math.round(n * 1e6) / 1e6;

/** The on-hand a count item was compared with at Apply, and the adjustment it posted. */
export interface CountApplied {
  /** 'live': IV answered at Apply; 'last_known': IV's last figure, chosen by a manager. */
  basis: 'live' | 'last_known';
  onHand: number;
  /** When IV said it. */
  onHandAt: string;
  /** The store's lines IV had not counted at that time. */
  pending: number;
  /** counted − (onHand + pending). */
  delta: number;
  /** The adjustment line posted; null when the shelf matched. */
  lineId: string | null;
}

/** A count: scanned items and what is on the shelf, a draft until applied. */
export interface CountItem {
  /** The item's number in its count (its line id is `count-{countId}-{item}`). */
  item: number;
  productId: string;
  dimensions: Record<string, string>;
  counted: number;
  countedAt: string;
  /**
   * What IV said when the item was counted (null: nothing known), and when: a preview, and a
   * last known figure should IV not answer at Apply. Apply asks IV again.
   */
  iv: number | null;
  ivAt: string | null;
  /** true: IV answered when it was counted; false: IV's last answer (or none) was shown. */
  ivLive: boolean;
  pending: number;
  /** counted − (iv + pending) as it looked when counted; null while no figure is known. */
  delta: number | null;
  /** What Apply compared it with and posted; null until applied. */
  applied: CountApplied | null;
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
  /** Who applied it (a person's name), null while open or for a count applied before sign-in. */
  appliedBy?: string | null;
  items: CountItem[];
}

/** An item Apply could not compare: IV did not answer for it. */
export interface CountWaiting {
  item: number;
  productId: string;
  dimensions: Record<string, string>;
  counted: number;
  /** IV's last known figure (a manager may choose it), or null: no figure ever, cannot be applied. */
  lastKnown: { onHand: number; at: string; pending: number } | null;
  /** In words: why it waits and what can be done. */
  reason: string;
}

export type CountApplyResult =
  | {
      applied: true;
      count: CountView;
      /** Lines created now; lines already in the ledger from an earlier apply are not counted again. */
      created: number;
      unchanged: number;
    }
  | {
      /** Nothing was posted: some items have no on-hand known at Apply (the words say which and why). */
      applied: false;
      count: CountView;
      message: string;
      waiting: CountWaiting[];
    };

/**
 * Texts are read as sent: the count's rules are the entry pipeline's (counts/item-rules.ts), so
 * these schemas only say what type each field has. A `z.record` would silently drop a
 * `__proto__` key; dimensions are passed on as they came, for the pipeline to judge.
 */
const text = z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') });
const countId = z.string().min(1).max(64);
const rawDimensions = z
  .custom<Record<string, unknown>>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), {
    error: 'must be an object of dimension name → value strings',
  })
  .optional();

export const countInputs = {
  list: z.strictObject({}),
  /** Organization left out: the store's default organization, as on Create. */
  create: z.strictObject({
    reference: text,
    organizationId: text.nullish(),
    siteId: text,
    locationId: text,
  }),
  get: z.strictObject({ countId }),
  record: z.strictObject({
    countId,
    productId: text,
    dimensions: rawDimensions,
    counted: z.custom<number>((v) => typeof v === 'number', {
      error: (issue) => (issue.input === undefined ? 'is required' : 'must be a number'),
    }),
  }),
  /** An item taken out of an open count (one IV has no figure for, counted by mistake). */
  removeItem: z.strictObject({ countId, item: z.number().int().min(1) }),
  apply: z.strictObject({
    countId,
    /** Items a manager chose to compare with IV's last known figure, should IV not answer. */
    useLastKnown: z.array(z.number().int().min(1)).max(5_000).default([]),
    /** The person answered yes to the large-quantity question for this apply. */
    confirmedLargeQuantity: z.boolean().default(false),
  }),
  /** A tab-separated block pasted from a spreadsheet: item and counted columns. */
  paste: z.strictObject({ countId, text: z.string({ error: 'must be text' }) }),
};
