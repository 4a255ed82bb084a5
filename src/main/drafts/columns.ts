/**
 * A block's columns → what each one fills: a line field, `dimensions.<name>`, or the export's
 * `dimensions` JSON. The columns come from a header row (names matched without regard to case,
 * spaces or dots; a few spreadsheet aliases) or an explicit mapping when the block has none.
 * The app's own exports (CSV and XLSX, src/shared/csv.ts) are recognised by their
 * `lineRecordId` column and read back exactly: numbers as written, every other column a
 * dimension, the ledger's own columns left out with a note. A missing required column, or two
 * columns for one field, refuses the whole block before anything is stored.
 */
import { dimensionOfWords, FIELD_WORDS } from '../../shared/column-words';
import { LINE_COLUMNS } from '../../shared/csv';
import { BASE_DIMENSIONS, canonicalDimensionName } from '../../shared/dimensions';
import type { Cell, SourceRow } from './table';

const LINE_FIELDS: Record<string, string[]> = {
  id: ['id', 'lineid'],
  organizationId: ['organizationid', 'organization', 'org', 'company', 'dataareaid'],
  productId: ['productid', 'product', 'item', 'itemnumber', 'itemid'],
  quantity: ['quantity', 'qty'],
  quantityDataSource: ['quantitydatasource', 'datasource'],
  physicalMeasure: ['physicalmeasure', 'measure'],
  externalReferenceCategory: ['externalreferencecategory', 'referencecategory'],
  externalReferenceId: ['externalreferenceid', 'externalreference', 'reference', 'referenceid'],
  fnoJournalNameId: ['fnojournalnameid', 'journalname', 'journalnameid', 'journal'],
  costPrice: ['costprice', 'cost', 'unitcost'],
  transDate: ['transdate', 'date', 'transactiondate'],
  reasonCode: ['reasoncode', 'reason'],
};
const DIMENSION_ALIASES: Record<string, string> = {
  site: 'siteId',
  warehouse: 'locationId',
  warehouseid: 'locationId',
};
/**
 * The export's columns that are the ledger's record of a line, not the line: never read. The CSV
 * names them as the API does; the XLSX in words (shared/column-words.ts).
 */
const LEDGER_OWN = new Set(
  [
    ...[...LINE_COLUMNS.map((c) => c.header), 'scmStatus', 'journalNumber']
      .filter((h) => h !== 'dimensions' && h !== 'siteId' && h !== 'locationId')
      .filter((h) => !(h in LINE_FIELDS)),
    ...Object.entries(FIELD_WORDS)
      .filter(([field]) => !(field in LINE_FIELDS) && !['siteId', 'locationId', 'dimensions'].includes(field))
      .map(([, words]) => words),
  ].map((h) => h.toLowerCase()),
);
/** The export's JSON of all dimensions. */
export const DIMENSIONS_JSON = 'dimensions';
const DIMENSION_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;

const squash = (s: string) =>
  s
    .toLowerCase()
    .replace(/[\s._-]/g, '')
    .replace(/^dimensions?(?=.)/, '');

/** A column's target: a line field, or `dimensions.<name>`; null when it names nothing known. */
export function columnTarget(header: string): string | null {
  if (header.trim().toLowerCase() === DIMENSIONS_JSON) return DIMENSIONS_JSON;
  const key = squash(header);
  if (key === '') return null;
  for (const [field, aliases] of Object.entries(LINE_FIELDS)) if (aliases.includes(key)) return field;
  if (DIMENSION_ALIASES[key]) return `dimensions.${DIMENSION_ALIASES[key]}`;
  const dimension = BASE_DIMENSIONS.find((d) => d.toLowerCase() === key);
  if (dimension) return `dimensions.${canonicalDimensionName(dimension)}`;
  return null;
}

/** A column of our own export: the ledger's own columns are skipped, any other is a dimension. */
function exportTarget(header: string): string | null | 'ledger' {
  const name = header.trim();
  if (LEDGER_OWN.has(name.toLowerCase())) return 'ledger';
  const known = columnTarget(name);
  if (known) return known;
  // The XLSX export names a dimension in words, `Colour (colorId)` or `Dimension batchId`; an
  // older one `dimension.<name>` where it clashed with a column.
  const worded = dimensionOfWords(name);
  if (worded) return `dimensions.${canonicalDimensionName(worded)}`;
  const dimension = name.replace(/^dimension\./, '');
  return DIMENSION_KEY.test(dimension) ? `dimensions.${dimension}` : null;
}

export interface Defaults {
  organizationId: string | null;
  quantityDataSource: string;
  physicalMeasure: string;
}

export interface Mapped {
  /** Target per column (null: not read). */
  targets: (string | null)[];
  /** Index in the rows of the first data row. */
  firstDataRow: number;
  /** The app's own export: its numbers are machine numbers, whatever the UI's language. */
  ledgerExport: boolean;
  /** Columns not read, in words. */
  notes: string[];
}

export class MappingError extends Error {}

/** A, B, …, Z, AA: the spreadsheet's name of a column (0-based index). */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

const headerText = (cell: Cell | undefined): string =>
  typeof cell === 'string' ? cell : typeof cell === 'number' ? String(cell) : '';

/**
 * Reads the header row, or uses `columns`. Required: product, quantity, site and warehouse
 * (or the export's dimensions JSON), and an organization unless a default organization is set.
 */
export function mapColumns(rows: SourceRow[], columns: string[] | undefined, defaults: Defaults): Mapped {
  if (rows.length === 0) throw new MappingError('There are no rows: the block or file is empty.');
  const notes: string[] = [];
  let targets: (string | null)[];
  let headers: string[];
  let ledgerExport = false;
  let firstDataRow = 0;
  if (columns && columns.length > 0) {
    headers = columns;
    targets = columns.map((c) => (c.trim() === '' ? null : columnTarget(c)));
    const unknown = columns.filter((c, i) => c.trim() !== '' && targets[i] === null);
    if (unknown.length > 0)
      throw new MappingError(`The column mapping names unknown fields: ${unknown.join(', ')}.`);
  } else {
    const header = rows[0]!;
    headers = header.cells.map(headerText);
    // `lineRecordId` (the CSV) or `Line record ID` (the XLSX).
    ledgerExport = headers.some((h) => squash(h) === 'linerecordid');
    firstDataRow = 1;
    if (ledgerExport) {
      const own: string[] = [];
      targets = headers.map((h) => {
        const target = exportTarget(h);
        if (target === 'ledger') own.push(h.trim());
        return target === 'ledger' ? null : target;
      });
      notes.push(
        `This is a Store Ledger export: its columns ${own.join(', ')} are the ledger's record of each line and were not read. A row whose id the ledger already holds is flagged, never added twice.`,
      );
    } else {
      targets = headers.map(columnTarget);
      if (targets.every((t) => t === null))
        throw new MappingError(
          `Row ${header.row} is not a header row (no column is named productId, quantity, siteId, …): add one, or map the columns.`,
        );
    }
    const unread = headers
      .map((h, i) => ({ h: h.trim(), i }))
      .filter(
        ({ h, i }) => h !== '' && targets[i] === null && !(ledgerExport && exportTarget(h) === 'ledger'),
      );
    if (unread.length > 0)
      notes.push(
        `Column${unread.length > 1 ? 's' : ''} ${unread.map(({ h, i }) => `${columnName(i)} (${h.slice(0, 40)})`).join(', ')} ${unread.length > 1 ? 'were' : 'was'} not read: no field has that name. Dimension columns are named like colorId or sizeId.`,
      );
  }
  const firstColumn = new Map<string, number>();
  targets.forEach((t, i) => {
    if (t === null) return;
    const first = firstColumn.get(t);
    if (first !== undefined)
      throw new MappingError(
        `Columns ${columnName(first)} (${headers[first]?.trim()}) and ${columnName(i)} (${headers[i]?.trim()}) both give ${t}: keep one.`,
      );
    firstColumn.set(t, i);
  });
  const has = (t: string) =>
    firstColumn.has(t) || (t.startsWith('dimensions.') && firstColumn.has(DIMENSIONS_JSON));
  const required = ['productId', 'quantity', 'dimensions.siteId', 'dimensions.locationId'];
  if (!defaults.organizationId) required.unshift('organizationId');
  const missing = required.filter((r) => !has(r));
  if (missing.length > 0)
    throw new MappingError(
      `The block has no column for ${missing.join(', ')}: add ${missing.length > 1 ? 'them' : 'it'} to the header row, or map a column to ${missing.length > 1 ? 'them' : 'it'}.`,
    );
  return { targets, firstDataRow, ledgerExport, notes };
}
