import { z } from 'zod';
import { isValidIsoDate } from './adjustment';
import { AGGREGATED_STATUSES, GA_STATUS_ALIASES, STORED_LINE_STATUSES } from './status';

export const MAX_PAGE_SIZE = 1000;

const filterText = z.string({ error: 'must be a string' }).trim().min(1).max(256).optional();

/** Accepts a date (YYYY-MM-DD) or an ISO 8601 timestamp; compared against createdAt. */
const dateBound = z
  .string({ error: 'must be a date' })
  .trim()
  .refine((s) => isValidIsoDate(s) || (/^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s))), {
    error: 'must be a date YYYY-MM-DD or an ISO 8601 timestamp',
  })
  .optional();

/** A page's size and offset, as every server-side paged list takes them. */
export const pageWindow = {
  top: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(MAX_PAGE_SIZE, { error: `must be at most ${MAX_PAGE_SIZE}` })
    .default(100),
  skip: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(0, { error: 'must be 0 or more' })
    .default(0),
};

const paging = {
  ...pageWindow,
  direction: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('asc'),
};

/**
 * A status filter: one status, or several separated by commas (query strings) or as an array
 * (RPC). `aliases` maps other accepted names (the GA article's) onto the stored ones.
 */
function statusFilter<T extends readonly [string, ...string[]]>(
  values: T,
  aliases: Readonly<Record<string, T[number]>> = {},
) {
  const byLower = new Map<string, string>(Object.entries(aliases).map(([k, v]) => [k.toLowerCase(), v]));
  const names = [...values, ...Object.keys(aliases)];
  const one = z
    .string()
    .transform((v) => byLower.get(v.toLowerCase()) ?? v)
    .pipe(z.enum(values, { error: `must be one of ${names.join(', ')}` }));
  return z
    .union([z.array(one), z.string().transform((s) => s.split(',').map((v) => v.trim()))])
    .pipe(z.array(one))
    .optional();
}

export const LINE_SORT_FIELDS = [
  'createdAt',
  'productId',
  'organizationId',
  'quantity',
  'status',
  'transDate',
  'externalReferenceId',
  'siteId',
  'locationId',
] as const;

export const linesQuerySchema = z.strictObject({
  // Voided is a stored status of its own: a clerk looking for the lines set aside asks for it.
  status: statusFilter(STORED_LINE_STATUSES),
  organizationId: filterText,
  productId: filterText,
  siteId: filterText,
  locationId: filterText,
  externalReferenceId: filterText,
  externalReferenceCategory: filterText,
  /** The store's reason code (codes compare without regard to case). */
  reasonCode: filterText,
  aggregatedLineId: filterText,
  from: dateBound,
  to: dateBound,
  orderBy: z
    .enum(LINE_SORT_FIELDS, { error: `must be one of ${LINE_SORT_FIELDS.join(', ')}` })
    .default('createdAt'),
  ...paging,
});
export type LinesQuery = z.output<typeof linesQuerySchema>;

export const AGGREGATED_SORT_FIELDS = [
  'createdAt',
  'updatedAt',
  'productId',
  'organizationId',
  'quantity',
  'status',
  'transDate',
  'journalNumber',
  'siteId',
  'locationId',
] as const;

export const aggregatedQuerySchema = z.strictObject({
  status: statusFilter(AGGREGATED_STATUSES, GA_STATUS_ALIASES),
  organizationId: filterText,
  productId: filterText,
  siteId: filterText,
  locationId: filterText,
  journalNumber: filterText,
  from: dateBound,
  to: dateBound,
  orderBy: z
    .enum(AGGREGATED_SORT_FIELDS, { error: `must be one of ${AGGREGATED_SORT_FIELDS.join(', ')}` })
    .default('createdAt'),
  ...paging,
});
export type AggregatedQuery = z.output<typeof aggregatedQuerySchema>;
