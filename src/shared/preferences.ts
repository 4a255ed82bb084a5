import { z } from 'zod';
import { patchOf } from './patch';
import { hasControlChars } from './text';

/**
 * What belongs to this PC, not to the ledger (two clerks' PCs may differ): theme, grid columns and
 * page sizes, the entry form's last values, the window. Never a secret: the schema is strict
 * and has no free-form field. Version 2 dropped the large-quantity threshold: it is the
 * store's now (settings.entry.largeQuantityThreshold), the same on every PC and for the pipeline.
 */
export const PREFERENCES_VERSION = 2;

export const THEMES = ['light', 'dark', 'auto'] as const;
export type ThemePreference = (typeof THEMES)[number];
export const GRIDS = ['detailed', 'aggregated'] as const;
export type GridName = (typeof GRIDS)[number];
export const PAGE_SIZES = [25, 50, 100] as const;

const word = z
  .string({ error: 'must be a string' })
  .max(128, { error: 'must be at most 128 characters' })
  .refine((s) => !hasControlChars(s), { error: 'must not contain control characters' });

const gridPreferences = z.strictObject({
  /** Null until the clerk picks: then narrow windows hide the grid's optional columns. */
  hiddenColumns: z.array(word).max(40, { error: 'must list at most 40 columns' }).nullable().default(null),
  pageSize: z
    .number({ error: 'must be a number' })
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n), {
      error: `must be one of ${PAGE_SIZES.join(', ')}`,
    })
    .default(50),
});

/** The values the entry form keeps for the next line; none is a secret or a quantity. */
export const FORM_MEMORY_FIELDS = [
  'organizationId',
  'siteId',
  'locationId',
  'quantityDataSource',
  'physicalMeasure',
  'externalReferenceCategory',
  'externalReferenceId',
  'fnoJournalNameId',
  'reasonCode',
] as const;
export type FormMemory = Partial<Record<(typeof FORM_MEMORY_FIELDS)[number], string>>;
const formMemory = z.strictObject(
  Object.fromEntries(FORM_MEMORY_FIELDS.map((f) => [f, word.optional()])) as Record<
    (typeof FORM_MEMORY_FIELDS)[number],
    z.ZodOptional<typeof word>
  >,
);

const scanMemory = z.strictObject({ reasonCode: word.optional() });

const windowBounds = z.strictObject({
  width: z.number().int().min(400).max(20000),
  height: z.number().int().min(300).max(20000),
  x: z.number().int().min(-20000).max(20000).optional(),
  y: z.number().int().min(-20000).max(20000).optional(),
  maximized: z.boolean().default(false),
});
export type WindowBounds = z.output<typeof windowBounds>;

export const preferencesSchema = z.strictObject({
  version: z.literal(PREFERENCES_VERSION).default(PREFERENCES_VERSION),
  theme: z.enum(THEMES, { error: `must be one of ${THEMES.join(', ')}` }).default('auto'),
  grids: z
    .strictObject({ detailed: gridPreferences.prefault({}), aggregated: gridPreferences.prefault({}) })
    .prefault({}),
  lastForm: formMemory.default({}),
  /** What Scan keeps for the next scan on this PC: the reason chosen. */
  lastScan: scanMemory.default({}),
  /** Desktop only: start Store Ledger when the user logs in (off by default). */
  startAtLogin: z.boolean({ error: 'must be true or false' }).default(false),
  /** Desktop only: kept by the shell, never set over RPC. */
  window: windowBounds.nullable().default(null),
});
export type Preferences = z.output<typeof preferencesSchema>;
export const DEFAULT_PREFERENCES: Preferences = preferencesSchema.parse({});

/** A change from the window: any subset; a grid's entry replaces only the fields it names. */
export const preferencesPatchSchema = z.strictObject({
  theme: z.enum(THEMES, { error: `must be one of ${THEMES.join(', ')}` }).optional(),
  grids: z
    .strictObject({
      detailed: patchOf(gridPreferences).optional(),
      aggregated: patchOf(gridPreferences).optional(),
    })
    .optional(),
  lastForm: formMemory.optional(),
  lastScan: scanMemory.optional(),
  startAtLogin: z.boolean({ error: 'must be true or false' }).optional(),
});
export type PreferencesPatch = z.output<typeof preferencesPatchSchema>;
