/**
 * A count's texts and numbers are judged by the entry pipeline's rules, never by rules of its own:
 * each counted item (and a count's start) is turned into the line it would post, a probe, and
 * the pipeline reviews it (shared/adjustment.ts: NFC and trimmed text, no control or invisible
 * characters, the field limits, dimension names; ingest/review.ts: a barcode read as its item and
 * variant, a quantity that is a scan). The probe's errors are named by the count's own fields.
 * The only things a count adds are what it is: what is on the shelf is zero or more, and it
 * counts items by variant at its own site and warehouse.
 */
import { sortDimensions } from '../../shared/dimensions';
import { normalizeText } from '../../shared/text';
import type { EntryPipeline, ReviewRequest } from '../ingest/pipeline';
import { PRODUCT_DIMENSIONS } from '../onhand/service';

export const COUNT_CATEGORY = 'Inventory counting delta';

export interface FieldIssue {
  field: string;
  message: string;
}

/** Where a count is taken: every posted line carries it. */
export interface CountPlace {
  countId: string;
  organizationId: string;
  siteId: string;
  locationId: string;
  reference: string;
}

/** One counted item as sent: texts as typed or scanned, counted null when it could not be read as a number. */
export interface CountedInput {
  productId: unknown;
  dimensions?: unknown;
  counted: number | null;
}

/** A counted item as it is stored: normalised, a barcode read as its item and variant. */
export interface CountedItem {
  /** The same item and variant has one key, whatever its spelling (case, NFC/NFD, barcode). */
  key: string;
  productId: string;
  dimensions: Record<string, string>;
  counted: number;
}

export type Judged = { item: CountedItem; errors: [] } | { item: null; errors: FieldIssue[] };

const REVIEW: ReviewRequest = { source: 'count' };
const PLACE_DIMENSIONS = new Set(['siteid', 'locationid']);
const COUNTABLE = new Set<string>(PRODUCT_DIMENSIONS);
const NOT_COUNTABLE = `cannot be counted here: a count is by item and variant (${PRODUCT_DIMENSIONS.join(', ')}) at its own site and warehouse`;

export function itemKey(productId: string, dimensions: Record<string, string>): string {
  return JSON.stringify([productId.toLowerCase(), sortDimensions(dimensions)]);
}

/** Sets a key as an own property: a key named `__proto__` must reach the pipeline, which refuses it in words. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function probeLine(place: CountPlace, input: CountedInput, errors: FieldIssue[]): Record<string, unknown> {
  const dimensions: Record<string, unknown> = {};
  const raw = input.dimensions;
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'object' || Array.isArray(raw))
      errors.push({ field: 'dimensions', message: 'must be an object of dimension name → value strings' });
    else
      for (const key of Object.keys(raw)) {
        // The count's own site and warehouse go on every line; an item cannot name another.
        if (PLACE_DIMENSIONS.has(key.toLowerCase()))
          errors.push({ field: `dimensions.${key}`, message: NOT_COUNTABLE });
        else put(dimensions, key, (raw as Record<string, unknown>)[key]);
      }
  }
  put(dimensions, 'siteId', place.siteId);
  put(dimensions, 'locationId', place.locationId);
  return {
    id: `count-${place.countId}-probe`,
    organizationId: place.organizationId,
    productId: input.productId,
    quantityDataSource: '@iv',
    physicalMeasure: 'adjustment',
    // The difference is only known at Apply: the probe carries what was counted, so its limits and
    // the scan check apply to it (zero, a valid count, stands in as 1: zero is no line's quantity).
    quantity: input.counted === null || input.counted === 0 ? 1 : input.counted,
    dimensions,
    externalReferenceCategory: COUNT_CATEGORY,
    externalReferenceId: place.reference,
  };
}

/** The pipeline's verdict on counted items, one per input, in order (one review for them all). */
export function judgeCounted(
  entry: EntryPipeline,
  place: CountPlace,
  inputs: readonly CountedInput[],
): Judged[] {
  const own: FieldIssue[][] = inputs.map(() => []);
  const probes = inputs.map((input, i) => probeLine(place, input, own[i]!));
  const reviews = entry.review(probes, REVIEW);
  return inputs.map((input, i): Judged => {
    const errors = own[i]!;
    if (input.counted !== null && input.counted < 0)
      errors.push({ field: 'counted', message: 'must be zero or more (what is on the shelf)' });
    const review = reviews[i]!;
    for (const e of review.errors) {
      if (e.field === 'quantity') {
        if (input.counted !== null && input.counted >= 0)
          errors.push({ field: 'counted', message: e.message });
      } else if (!errors.some((o) => o.field === e.field)) errors.push(e);
    }
    const line = review.line;
    if (errors.length > 0 || !line || input.counted === null) return { item: null, errors };
    const dimensions: Record<string, string> = {};
    for (const [name, value] of Object.entries(line.dimensions)) {
      if (name === 'siteId' || name === 'locationId') continue;
      if (COUNTABLE.has(name)) dimensions[name] = value;
      else errors.push({ field: `dimensions.${name}`, message: NOT_COUNTABLE });
    }
    if (errors.length > 0) return { item: null, errors };
    return {
      item: {
        key: itemKey(line.productId, dimensions),
        productId: line.productId,
        dimensions,
        counted: input.counted,
      },
      errors: [],
    };
  });
}

/** A count's start as the pipeline reads its texts: the reference, organization, site and warehouse. */
export function judgePlace(
  entry: EntryPipeline,
  input: { reference: string; organizationId: string; siteId: string; locationId: string },
): { place: Omit<CountPlace, 'countId'>; errors: [] } | { place: null; errors: FieldIssue[] } {
  const probe = probeLine({ countId: 'new', ...input }, { productId: 'COUNT', counted: 1 }, []);
  const [review] = entry.review([probe], REVIEW);
  const names: Record<string, string> = {
    externalReferenceId: 'reference',
    organizationId: 'organizationId',
    'dimensions.siteId': 'siteId',
    'dimensions.locationId': 'locationId',
  };
  const order = ['reference', 'organizationId', 'siteId', 'locationId'];
  const errors = (review?.errors ?? [])
    .filter((e) => names[e.field])
    .map((e) => ({ field: names[e.field]!, message: e.message }));
  // A count is found again by its reference: the line's optional reference is required here.
  if (normalizeText(input.reference) === '')
    errors.push({ field: 'reference', message: 'must not be blank' });
  const line = review?.line;
  if (errors.length > 0 || !line?.externalReferenceId)
    return { place: null, errors: errors.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field)) };
  return {
    place: {
      reference: line.externalReferenceId,
      organizationId: line.organizationId,
      siteId: line.dimensions.siteId!,
      locationId: line.dimensions.locationId!,
    },
    errors: [],
  };
}
