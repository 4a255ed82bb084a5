import { z } from 'zod';
import { canonicalDimensionName, sortDimensions } from './dimensions';
import { type InputIssue, readLineInput } from './line-input';
import { notANumber } from './numbers';
import { normalizeText, textProblem } from './text';

/** Lines one bulk request may carry; past it the API answers 413. */
export const MAX_LINES_PER_REQUEST = 50_000;

/** Field limits: a value past them is refused with the field named, never cut short. */
export const LIMITS = {
  id: 128,
  code: 64,
  externalReference: 256,
  dimensionCount: 40,
  dimensionKey: 64,
  maxAbsQuantity: 1e12,
} as const;

/** Dimension names: ASCII identifiers, never a name that means something to a JS object. */
const DIMENSION_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Text under the one normalisation rule of text.ts (NFC, trimmed, no control or invisible characters). */
function text(max: number) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .overwrite(normalizeText)
    .max(max, { error: `must be at most ${max} characters` })
    .superRefine((s, ctx) => {
      const problem = textProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

function requiredText(max: number) {
  return text(max).refine((s) => s.length > 0, { error: 'must not be blank' });
}

/** Optional text where null, "" and absent all mean blank. */
function optionalText(max: number) {
  return text(max)
    .nullish()
    .transform((s) => (s == null || s === '' ? null : s));
}

export function isValidIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const DIMENSIONS_SHAPE = 'must be an object of dimension name → value strings';

/**
 * Read from the raw object, not through z.record: copying into a fresh object silently
 * drops a key named `__proto__`, and a line must never lose a dimension without a word.
 */
const dimensionsSchema = z
  .custom<Record<string, unknown>>((raw) => raw !== null && typeof raw === 'object' && !Array.isArray(raw), {
    error: DIMENSIONS_SHAPE,
  })
  .transform((raw, ctx) => {
    const keys = Object.keys(raw);
    if (keys.length > LIMITS.dimensionCount) {
      ctx.addIssue({ code: 'custom', message: `must have at most ${LIMITS.dimensionCount} dimensions` });
      return z.NEVER;
    }
    const out: Record<string, string> = {};
    for (const key of keys) {
      const value = raw[key];
      const path = [key];
      if (RESERVED_KEYS.has(key)) {
        ctx.addIssue({ code: 'custom', path, message: 'is a reserved name and cannot be a dimension' });
        continue;
      }
      if (key.length > LIMITS.dimensionKey || !DIMENSION_KEY.test(key)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `dimension name must start with a letter and use only letters, digits and _ (at most ${LIMITS.dimensionKey})`,
        });
        continue;
      }
      const name = canonicalDimensionName(key);
      if (Object.hasOwn(out, name)) {
        ctx.addIssue({ code: 'custom', path, message: `is given twice (as ${name} and ${key})` });
        continue;
      }
      if (typeof value !== 'string') {
        ctx.addIssue({ code: 'custom', path, message: 'must be a string' });
        continue;
      }
      const normalized = normalizeText(value);
      const problem = textProblem(normalized);
      if (normalized === '') ctx.addIssue({ code: 'custom', path, message: 'must not be blank' });
      else if (normalized.length > LIMITS.code)
        ctx.addIssue({ code: 'custom', path, message: `must be at most ${LIMITS.code} characters` });
      else if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
      else out[name] = normalized;
    }
    for (const required of ['siteId', 'locationId']) {
      if (!Object.hasOwn(out, required) && !keys.some((k) => k.toLowerCase() === required.toLowerCase())) {
        ctx.addIssue({ code: 'custom', path: [required], message: 'is required' });
      }
    }
    return sortDimensions(out);
  });

/** Words for a number field given something else; letters in a quantity are most often a scan. */
function numberError(issue: { input?: unknown }): string {
  if (issue.input === undefined) return 'is required';
  return typeof issue.input === 'string' ? notANumber(issue.input) : 'must be a number';
}

/**
 * One adjustment line in the shape the ledger stores (the body of the business layer's API,
 * https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-sync-changes).
 * Unknown fields are
 * refused by name; types are exactly as documented. `adjustmentLineSchema` below reads what
 * Microsoft's API also accepts (line-input.ts) into this shape first.
 */
const storedLineSchema = z.strictObject(
  {
    id: requiredText(LIMITS.id),
    organizationId: requiredText(LIMITS.code),
    productId: requiredText(LIMITS.code),
    quantityDataSource: requiredText(LIMITS.code).refine((s) => s.trim().toLowerCase() !== 'fno', {
      error: "must not be 'fno': Inventory Visibility refuses writes to SCM's own data source",
    }),
    physicalMeasure: requiredText(LIMITS.code),
    quantity: z
      .number({ error: numberError })
      .refine(Number.isFinite, { error: 'must be a finite number' })
      .refine((q) => q !== 0, { error: 'must not be zero' })
      .refine((q) => Math.abs(q) <= LIMITS.maxAbsQuantity, {
        error: `must be between -${LIMITS.maxAbsQuantity} and ${LIMITS.maxAbsQuantity}`,
      }),
    dimensions: dimensionsSchema,
    externalReferenceCategory: optionalText(LIMITS.externalReference),
    externalReferenceId: optionalText(LIMITS.externalReference),
    fnoJournalNameId: optionalText(LIMITS.code),
    costPrice: z
      .number({ error: numberError })
      .refine(Number.isFinite, { error: 'must be a finite number' })
      .refine((c) => c >= 0, { error: 'must be zero or more' })
      .refine((c) => c <= LIMITS.maxAbsQuantity, { error: `must be at most ${LIMITS.maxAbsQuantity}` })
      .nullish()
      .transform((c) => c ?? null),
    transDate: z
      .string({ error: 'must be a date string YYYY-MM-DD' })
      .nullish()
      .transform((s) => (s == null || s.trim() === '' ? null : s.trim()))
      .refine((s) => s === null || isValidIsoDate(s), { error: 'must be a real date as YYYY-MM-DD' }),
    /**
     * Why stock moved: one of the store's reason codes (checked against its list by the entry
     * pipeline). Store Ledger's own field: it never travels upstream itself; its code's journal
     * name and external reference category do, where the line leaves them empty. Last, so a line
     * without it hashes as lines did before reasons existed (ingest.ts `contentHash`).
     */
    reasonCode: optionalText(LIMITS.code),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'each line must be a JSON object') },
);

/**
 * A line from any entry path: names in any casing, blanks as absent, numeric strings and
 * date-times read as Microsoft's API reads them (line-input.ts), then the stored shape's rules.
 */
export const adjustmentLineSchema = z.preprocess((raw, ctx) => {
  const issues: InputIssue[] = [];
  const line = readLineInput(raw, issues);
  for (const issue of issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  return line;
}, storedLineSchema);

export type AdjustmentLineInput = z.input<typeof storedLineSchema>;
/** A validated line, normalised: canonical dimension names, blanks as null, `transDate` as a date. */
export type AdjustmentLine = z.output<typeof storedLineSchema>;

export interface FieldError {
  /** Index of the line in the request (bulk API), when there is one. */
  index?: number;
  id?: string;
  /** Dotted path: `quantity`, `dimensions.siteId`. */
  field: string;
  message: string;
}

/** zod issues → the API's `{field, message}` list; an unknown key is named as the field itself. */
export function fieldErrors(error: z.ZodError, extra: Partial<FieldError> = {}): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ ...extra, field: base ? `${base}.${key}` : key, message: 'is not a known field' });
      }
    } else {
      out.push({ ...extra, field: base || '(line)', message: issue.message });
    }
  }
  return out;
}
