import { type AdjustmentLineInput, adjustmentLineSchema, fieldErrors } from '../../../../shared/adjustment';
import { canonicalDimensionName } from '../../../../shared/dimensions';
import { FORM_MEMORY_FIELDS, type FormMemory } from '../../../../shared/preferences';
import type { Suggestions } from '../../../../shared/rpc';
import { readNumber, readQuantity, uiLocale } from '../../components/locale';

export interface ExtraDimension {
  /** Stable React key for the row. */
  rowId: number;
  name: string;
  value: string;
}

/** What the entry form holds; numbers stay as typed until posting, then are read in the UI's locale. */
export interface FormValues {
  organizationId: string;
  productId: string;
  siteId: string;
  locationId: string;
  colorId: string;
  sizeId: string;
  styleId: string;
  extraDimensions: ExtraDimension[];
  quantityDataSource: string;
  physicalMeasure: string;
  quantity: string;
  instantIvSync: boolean;
  externalReferenceCategory: string;
  externalReferenceId: string;
  fnoJournalNameId: string;
  costPrice: string;
  transDate: string | null;
  /** One of the store's reason codes, or '' for none. */
  reasonCode: string;
}

/** The dimensions with a field of their own on the form; *Edit dimensions* adds the rest. */
export const FORM_DIMENSIONS = ['siteId', 'locationId', 'colorId', 'sizeId', 'styleId'] as const;

export const REFERENCE_CATEGORIES = ['Sales order', 'Inventory counting delta', 'POS transaction'];

export const DEFAULT_DATA_SOURCE = '@iv';
export const DEFAULT_MEASURE = 'adjustment';

export function emptyForm(): FormValues {
  return {
    organizationId: '',
    productId: '',
    siteId: '',
    locationId: '',
    colorId: '',
    sizeId: '',
    styleId: '',
    extraDimensions: [],
    quantityDataSource: DEFAULT_DATA_SOURCE,
    physicalMeasure: DEFAULT_MEASURE,
    quantity: '',
    instantIvSync: false,
    externalReferenceCategory: '',
    externalReferenceId: '',
    fnoJournalNameId: '',
    costPrice: '',
    transDate: null,
    reasonCode: '',
  };
}

/**
 * The form as it opens: the values this PC's clerk last posted with (preferences), else
 * sensible defaults: organization from the settings or the last line, `@iv`, `adjustment`.
 */
export function initialForm(
  suggestions: Suggestions | undefined,
  defaultOrganizationId: string | null,
  memory: FormMemory = {},
): FormValues {
  const form = emptyForm();
  const last = suggestions?.last;
  form.organizationId = last?.organizationId ?? defaultOrganizationId ?? suggestions?.organizations[0] ?? '';
  form.siteId = last?.siteId ?? '';
  form.locationId = last?.locationId ?? '';
  for (const field of FORM_MEMORY_FIELDS) if (memory[field]) form[field] = memory[field];
  return form;
}

/** What the form keeps of a posted line, for the next start of the form on this PC. */
export function formMemory(values: FormValues): FormMemory {
  return Object.fromEntries(FORM_MEMORY_FIELDS.map((f) => [f, values[f].trim()]));
}

/** Kept for the next line and not part of the usual setup: shown beside Post, so nothing carries unseen. */
export function keptValues(values: FormValues): [label: string, value: string][] {
  const kept: [string, string][] = [
    ['Site', values.siteId],
    ['Warehouse', values.locationId],
    ['Reference category', values.externalReferenceCategory],
    ['Reference', values.externalReferenceId],
    ['Journal', values.fnoJournalNameId],
    ['Trans date', values.transDate ?? ''],
    ['Reason', values.reasonCode],
    ...values.extraDimensions.map((d): [string, string] => [d.name, d.value]),
  ];
  if (values.instantIvSync) kept.push(['Instant IV', 'on']);
  return kept.filter(([label, value]) => label.trim() !== '' && value.trim() !== '');
}

/** One key (Escape) clears what the form keeps; organization, source and measure stay. */
export function clearKept(values: FormValues): FormValues {
  return {
    ...emptyForm(),
    organizationId: values.organizationId,
    quantityDataSource: values.quantityDataSource,
    physicalMeasure: values.physicalMeasure,
  };
}

/**
 * After a post: keep what the next scan most likely shares (organization, site, warehouse,
 * source, measure, references, journal, date, extra dimensions); clear what belongs to one item.
 */
export function nextForm(posted: FormValues): FormValues {
  return { ...posted, productId: '', quantity: '', colorId: '', sizeId: '', styleId: '', costPrice: '' };
}

/**
 * A typed number as the API takes it: read in the UI's locale (de-DE "1.000" is one thousand),
 * or, when it is no number in that locale, the text itself, so the schema names the field.
 */
function typedNumber(value: string, locale: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const read = readNumber(trimmed, locale);
  return read.ok ? read.value : trimmed;
}

/** The API body for what is on the form, exactly as the bulk endpoint takes it (blank optionals left out). */
export function toLine(values: FormValues, id: string, locale: string = uiLocale()): AdjustmentLineInput {
  const dimensions: Record<string, string> = {};
  for (const name of FORM_DIMENSIONS) {
    const v = values[name].trim();
    if (v !== '' || name === 'siteId' || name === 'locationId') dimensions[name] = v;
  }
  for (const row of values.extraDimensions) {
    if (row.name.trim() === '' && row.value.trim() === '') continue;
    dimensions[row.name.trim()] = row.value.trim();
  }
  const line: Record<string, unknown> = {
    id,
    organizationId: values.organizationId.trim(),
    productId: values.productId.trim(),
    quantityDataSource: values.quantityDataSource.trim(),
    physicalMeasure: values.physicalMeasure.trim(),
    quantity: typedNumber(values.quantity, locale),
    dimensions,
  };
  const optional = {
    externalReferenceCategory: values.externalReferenceCategory.trim(),
    externalReferenceId: values.externalReferenceId.trim(),
    fnoJournalNameId: values.fnoJournalNameId.trim(),
    transDate: values.transDate ?? '',
    reasonCode: values.reasonCode.trim(),
  };
  for (const [k, v] of Object.entries(optional)) if (v !== '') line[k] = v;
  const cost = typedNumber(values.costPrice, locale);
  if (cost !== undefined) line.costPrice = cost;
  return line as unknown as AdjustmentLineInput;
}

/** Form field → message. Extra dimension rows are keyed `extra:<rowId>`. */
export type FormErrors = Partial<Record<string, string>>;

/** Maps the API's field paths (`dimensions.siteId`, `line.quantity`) onto the form's fields. */
export function mapFieldErrors(errors: { field: string; message: string }[], values: FormValues): FormErrors {
  const out: FormErrors = {};
  for (const { field: raw, message } of errors) {
    const field = raw.replace(/^line\./, '');
    let key = field;
    if (field.startsWith('dimensions.')) {
      const name = field.slice('dimensions.'.length);
      if ((FORM_DIMENSIONS as readonly string[]).includes(name)) key = name;
      else {
        const row = values.extraDimensions.find(
          (r) => r.name.trim() === name || canonicalDimensionName(r.name.trim()) === name,
        );
        key = row ? `extra:${row.rowId}` : 'dimensions';
      }
    } else if (field === '(line)' || field === 'id' || field === 'line') key = 'form';
    if (!(key in out)) out[key] = message;
  }
  return out;
}

/**
 * The API's own schema, run in the window: the same rules, the same words, before anything is
 * sent. Numbers are read in the UI's locale first: letters, a separator this language does not
 * use, and a quantity with a barcode's check digit are refused in words (shared/numbers.ts,
 * shared/quantity-check.ts); the pipeline decides again when the line arrives.
 */
export function validate(values: FormValues, id: string, locale: string = uiLocale()): FormErrors {
  const errors: FormErrors = {};
  for (const row of values.extraDimensions) {
    if (row.name.trim() === '' && row.value.trim() !== '')
      errors[`extra:${row.rowId}`] = 'needs a dimension name';
  }
  const parsed = adjustmentLineSchema.safeParse(toLine(values, id, locale));
  if (!parsed.success) Object.assign(errors, mapFieldErrors(fieldErrors(parsed.error), values), errors);
  const quantity = readQuantity(values.quantity, locale);
  if (values.quantity.trim() !== '' && !quantity.ok) errors.quantity = quantity.message;
  const cost = readNumber(values.costPrice, locale);
  if (values.costPrice.trim() !== '' && !cost.ok) errors.costPrice = cost.message;
  return errors;
}

/** The order fields are visited in, to focus the first one with an error. */
export const FIELD_ORDER = [
  'organizationId',
  'productId',
  'siteId',
  'locationId',
  'colorId',
  'sizeId',
  'styleId',
  'dimensions',
  'quantityDataSource',
  'physicalMeasure',
  'quantity',
  'externalReferenceCategory',
  'externalReferenceId',
  'fnoJournalNameId',
  'costPrice',
  'transDate',
  'reasonCode',
];

export function suggestionList(values: readonly string[], extra: readonly string[] = []): string[] {
  return [...new Set([...values, ...extra].filter((v) => v.trim() !== ''))];
}

/** Whether a posted line brought a value the suggestions lack: only then are they asked again (they scan the ledger). */
export function bringsNewValue(v: FormValues, s: Suggestions | undefined): boolean {
  if (!s) return true;
  const has = (list: string[], value: string) => value.trim() === '' || list.includes(value.trim());
  return !(
    has(s.organizations, v.organizationId) &&
    has(s.dataSources, v.quantityDataSource) &&
    has(s.physicalMeasures, v.physicalMeasure) &&
    has(s.journalNames, v.fnoJournalNameId) &&
    has(s.externalReferenceCategories, v.externalReferenceCategory) &&
    s.last?.siteId === v.siteId.trim() &&
    s.last?.locationId === v.locationId.trim() &&
    s.last?.organizationId === v.organizationId.trim()
  );
}
