/**
 * Rows of cells → line objects for the shared schema. The columns come from a header row
 * (names matched without regard to case, spaces or dots; a few spreadsheet aliases) or from
 * an explicit mapping when the block has none. A missing required column refuses the whole
 * block before anything is stored.
 */
import { BASE_DIMENSIONS, canonicalDimensionName } from '../../shared/dimensions';

const LINE_FIELDS: Record<string, string[]> = {
  id: ['id', 'lineid'],
  organizationId: ['organizationid', 'organization', 'company', 'dataareaid'],
  productId: ['productid', 'product', 'item', 'itemnumber', 'itemid'],
  quantity: ['quantity', 'qty'],
  quantityDataSource: ['quantitydatasource', 'datasource'],
  physicalMeasure: ['physicalmeasure', 'measure'],
  externalReferenceCategory: ['externalreferencecategory', 'referencecategory'],
  externalReferenceId: ['externalreferenceid', 'reference', 'referenceid'],
  fnoJournalNameId: ['fnojournalnameid', 'journalname', 'journalnameid', 'journal'],
  costPrice: ['costprice', 'cost', 'unitcost'],
  transDate: ['transdate', 'date', 'transactiondate'],
};
const DIMENSION_ALIASES: Record<string, string> = {
  site: 'siteId',
  warehouse: 'locationId',
  warehouseid: 'locationId',
};
const NUMERIC = new Set(['quantity', 'costPrice']);

const squash = (s: string) =>
  s
    .toLowerCase()
    .replace(/[\s._-]/g, '')
    .replace(/^dimensions/, '');

/** A column's target: a line field, or `dimensions.<name>`; null when it names nothing known. */
export function columnTarget(header: string): string | null {
  const key = squash(header);
  if (key === '') return null;
  for (const [field, aliases] of Object.entries(LINE_FIELDS)) if (aliases.includes(key)) return field;
  if (DIMENSION_ALIASES[key]) return `dimensions.${DIMENSION_ALIASES[key]}`;
  const dimension = BASE_DIMENSIONS.find((d) => d.toLowerCase() === key);
  if (dimension) return `dimensions.${canonicalDimensionName(dimension)}`;
  return null;
}

export interface Defaults {
  organizationId: string | null;
  quantityDataSource: string;
  physicalMeasure: string;
}

export interface Mapped {
  /** Field per column (null: column ignored). */
  targets: (string | null)[];
  /** Index of the first data row in `rows`. */
  firstDataRow: number;
}

export class MappingError extends Error {}

/**
 * Reads the header row, or uses `columns`. Required: product, quantity, site and warehouse
 * columns, and an organization column unless a default organization is set.
 */
export function mapColumns(rows: string[][], columns: string[] | undefined, defaults: Defaults): Mapped {
  if (rows.length === 0) throw new MappingError('There are no rows: the block or file is empty.');
  let targets: (string | null)[];
  let firstDataRow: number;
  if (columns && columns.length > 0) {
    targets = columns.map((c) => (c.trim() === '' ? null : columnTarget(c)));
    const unknown = columns.filter((c, i) => c.trim() !== '' && targets[i] === null);
    if (unknown.length > 0)
      throw new MappingError(`The column mapping names unknown fields: ${unknown.join(', ')}.`);
    firstDataRow = 0;
  } else {
    targets = rows[0]!.map(columnTarget);
    if (targets.every((t) => t === null))
      throw new MappingError(
        'The first row is not a header row (no column is named productId, quantity, siteId, …): add one, or map the columns.',
      );
    firstDataRow = 1;
  }
  const seen = new Set<string>();
  for (const t of targets) {
    if (t === null) continue;
    if (seen.has(t)) throw new MappingError(`Two columns are mapped to ${t}: keep one.`);
    seen.add(t);
  }
  const required = ['productId', 'quantity', 'dimensions.siteId', 'dimensions.locationId'];
  if (!defaults.organizationId) required.unshift('organizationId');
  const missing = required.filter((r) => !seen.has(r));
  if (missing.length > 0)
    throw new MappingError(
      `The block has no column for ${missing.join(', ')}: add ${missing.length > 1 ? 'them' : 'it'} to the header row, or map a column to ${missing.length > 1 ? 'them' : 'it'}.`,
    );
  return { targets, firstDataRow };
}

/** One row of cells → a line object; the schema judges it. Blank cells are left out. */
export function rowToLine(
  cells: string[],
  targets: (string | null)[],
  defaults: Defaults,
): Record<string, unknown> {
  const line: Record<string, unknown> = {
    organizationId: defaults.organizationId ?? undefined,
    quantityDataSource: defaults.quantityDataSource,
    physicalMeasure: defaults.physicalMeasure,
  };
  const dimensions: Record<string, string> = {};
  targets.forEach((target, i) => {
    const raw = (cells[i] ?? '').trim();
    if (target === null || raw === '') return;
    if (target.startsWith('dimensions.')) dimensions[target.slice('dimensions.'.length)] = raw;
    else line[target] = NUMERIC.has(target) ? toNumber(raw) : raw;
  });
  line.dimensions = dimensions;
  return line;
}

/** "12", "-3.5", "1 234,5" → numbers; anything else stays text, so the schema says "must be a number". */
function toNumber(raw: string): number | string {
  const compact = raw.replace(/[\s\u00a0]/g, '');
  const normalised = /^-?\d+,\d+$/.test(compact) ? compact.replace(',', '.') : compact;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(normalised) ? Number(normalised) : raw;
}
