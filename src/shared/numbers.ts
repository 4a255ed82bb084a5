/**
 * The one way a typed or sent number becomes a quantity, for every entry path: the API's
 * numeric strings, a spreadsheet's cells, and what a clerk types in the UI's locale. A number
 * is refused rather than guessed: letters are never stripped (a scan that lands in Quantity
 * must not become a quantity), and a separator the locale does not use is an error.
 */

/** A plain number as a machine writes it: optional sign, digits, a dot, an exponent. */
const MACHINE_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** "4", " -3.5 ", "1e3" → a finite number; anything else (including "1,5" and "") → null. */
export function parseMachineNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!MACHINE_NUMBER.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/**
 * Words for a text where a number is due. Letters with digits ("D0007", "T0001M0001") are most
 * often a barcode or item number scanned into the wrong field, and the words say so.
 */
export function notANumber(text: string): string {
  const shown = text.trim().slice(0, 24);
  return /\d/.test(shown) && /\p{L}/u.test(shown)
    ? `must be a number, not '${shown}': was that a scan? Scan items into the item field`
    : `must be a number, not '${shown}'`;
}

export interface LocaleSeparators {
  decimal: string;
  group: string;
}

const separatorCache = new Map<string, LocaleSeparators>();

/** The decimal and group separators of a locale (en-US: "." and ","; de-DE: "," and "."). */
export function separatorsOf(locale: string): LocaleSeparators {
  let found = separatorCache.get(locale);
  if (!found) {
    const parts = new Intl.NumberFormat(locale, { useGrouping: true }).formatToParts(1234567.5);
    found = {
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      group: parts.find((p) => p.type === 'group')?.value ?? ',',
    };
    separatorCache.set(locale, found);
  }
  return found;
}

export type TypedNumber =
  | {
      ok: true;
      value: number /** true when a separator made the reading worth showing back */;
      readBack: boolean;
    }
  | { ok: false; message: string };

const SPACES = /[\s\u00a0\u202f]/g;

/**
 * What a person typed, read in the UI's locale: de-DE reads "1.000" as one thousand and
 * "1,5" as 1.5; en-US reads "1,000" as one thousand and "1.5" as 1.5. Group separators must
 * stand between groups of three digits ("1.00" is refused in de-DE, not read as 100). Letters
 * are refused in words that name the likely cause: a scan landing in the field.
 */
export function parseTypedNumber(text: string, locale: string): TypedNumber {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'is required' };
  if (/\p{L}/u.test(trimmed)) return { ok: false, message: notANumber(trimmed) };
  const { decimal, group } = separatorsOf(locale);
  const compact = trimmed.replace(SPACES, group === '\u00a0' || group === '\u202f' ? group : '');
  const sign = /^[-+−]/.test(compact) ? (compact[0] === '+' ? '' : '-') : '';
  const body = sign || compact[0] === '+' ? compact.slice(1) : compact;
  const [whole = '', fraction, extra] = body.split(decimal);
  if (extra !== undefined) return { ok: false, message: `must be a number with one '${decimal}' at most` };
  const groups = whole.split(group);
  const grouped = groups.length > 1;
  const wellGrouped =
    !grouped || (/^\d{1,3}$/.test(groups[0] ?? '') && groups.slice(1).every((g) => /^\d{3}$/.test(g)));
  const other = decimal === ',' ? '.' : ',';
  if (!wellGrouped || (fraction !== undefined && !/^\d*$/.test(fraction)) || !/^\d*$/.test(groups.join(''))) {
    const hint =
      body.includes(other) && other !== group
        ? ` (in this language the decimal separator is '${decimal}')`
        : ` like 5, -3 or 2${decimal}5`;
    return { ok: false, message: `must be a number${hint}, not '${trimmed.slice(0, 24)}'` };
  }
  const digits = groups.join('');
  if (digits === '' && (fraction === undefined || fraction === ''))
    return { ok: false, message: `must be a number like 5, -3 or 2${decimal}5` };
  const value = Number(`${sign}${digits || '0'}.${fraction ?? ''}`.replace(/\.$/, ''));
  if (!Number.isFinite(value)) return { ok: false, message: 'must be a finite number' };
  return { ok: true, value, readBack: grouped || fraction !== undefined };
}

/** The number as this locale writes it, for reading a typed value back to the clerk. */
export function formatInLocale(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 6 }).format(value);
}
