/**
 * A line as Microsoft's cloud business-layer API takes it, read into the one shape the ledger
 * stores, so that a store system written for `/transaction/adjustment/bulk` posts here unchanged:
 *
 * - property names in any casing: the service is ASP.NET, whose JSON binding matches names
 *   without regard to case, and Microsoft's own IV test suite sends lower-case names
 *   (`microsoft/Inventory-Visibility-Add-in-Examples`, `ivtests/`). The same name given twice in
 *   two casings is refused, never guessed;
 * - blank optional fields and blank extra dimensions as absent: .NET models serialise
 *   `string.Empty` defaults (`"batchId": ""`);
 * - numbers sent as numeric strings (`"quantity": "4"`), as that binding accepts them;
 * - `transDate` as a date (GA article) or an ISO date-time (the preview article types it as a
 *   datetime): its date part, as written.
 *
 * Everything else stays as sent, for the schema to judge (adjustment.ts).
 */
import { parseMachineNumber } from './numbers';

export const LINE_FIELDS = [
  'id',
  'organizationId',
  'productId',
  'quantityDataSource',
  'physicalMeasure',
  'quantity',
  'dimensions',
  'externalReferenceCategory',
  'externalReferenceId',
  'fnoJournalNameId',
  'costPrice',
  'transDate',
  'reasonCode',
] as const;

const FIELD_BY_LOWER = new Map<string, string>(LINE_FIELDS.map((f) => [f.toLowerCase(), f]));
const OPTIONAL_FIELDS = [
  'externalReferenceCategory',
  'externalReferenceId',
  'fnoJournalNameId',
  'costPrice',
  'transDate',
  'reasonCode',
];
const NUMBER_FIELDS = ['quantity', 'costPrice'];
/** `2026-12-07T10:15:00`, with optional seconds, fraction and offset: the date part is what was meant. */
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?$/;

export interface InputIssue {
  path: string[];
  message: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An own property even for `__proto__` (which plain assignment would turn into a prototype): the schema refuses that name in words. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

const isBlank = (value: unknown) => value === null || (typeof value === 'string' && value.trim() === '');

/**
 * The line in canonical names with blanks removed and numeric strings read; issues for what
 * cannot be read without guessing (a name given twice). A value that is not an object is
 * returned as it is.
 */
export function readLineInput(raw: unknown, issues: InputIssue[]): unknown {
  if (!isPlainObject(raw)) return raw;
  const line: Record<string, unknown> = {};
  const sentAs = new Map<string, string>();
  for (const key of Object.keys(raw)) {
    const name = FIELD_BY_LOWER.get(key.toLowerCase()) ?? key;
    const earlier = sentAs.get(name);
    if (earlier !== undefined) {
      issues.push({ path: [key], message: `is given twice (as ${earlier} and ${key}): send it once` });
      continue;
    }
    sentAs.set(name, key);
    // Defined as an own property: a key named __proto__ must reach the schema, which refuses it.
    Object.defineProperty(line, name, {
      value: raw[key],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  for (const field of OPTIONAL_FIELDS) if (isBlank(line[field])) delete line[field];
  for (const field of NUMBER_FIELDS) {
    const value = line[field];
    if (typeof value === 'string') {
      const number = parseMachineNumber(value);
      if (number !== null) line[field] = number;
    }
  }
  if (typeof line.transDate === 'string') {
    const dateTime = ISO_DATE_TIME.exec(line.transDate.trim());
    if (dateTime) line.transDate = dateTime[1];
  }
  if (isPlainObject(line.dimensions)) {
    const dimensions = line.dimensions;
    const kept: Record<string, unknown> = {};
    for (const key of Object.keys(dimensions)) {
      if (!isBlank(dimensions[key])) setOwn(kept, key, dimensions[key]);
    }
    line.dimensions = kept;
  }
  return line;
}
