import type { AggregatedLine, DetailedLine } from './views';

type Cell = string | number | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * The one spreadsheet-safety rule, for every text cell of every export: Excel, LibreOffice
 * and Google Sheets run a cell as a formula when it starts with = + - or @ (also in their
 * full-width forms, and also after leading spaces, which they skip), and a leading tab,
 * CR or LF hides such a start or splits the cell. A leading apostrophe keeps the cell
 * text, shown as typed. Numbers are written as numbers and never need it.
 */
const FORMULA_START = /^[\t\r\n]|^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/u;

export function isFormulaLike(text: string): boolean {
  return FORMULA_START.test(text);
}

/**
 * Whether the export adds the apostrophe: to formula-like text, and to text that already starts
 * with one, so that reading it back (`csvTextOf`) removes exactly what was added. Without the
 * second case `'=x` and `=x` would both be written `'=x` and could not be told apart.
 */
function needsApostrophe(text: string): boolean {
  return text.startsWith("'") || isFormulaLike(text);
}

/** A text cell as the export writes it (before CSV quoting): the apostrophe added where needed. */
export function csvText(text: string): string {
  return needsApostrophe(text) ? `'${text}` : text;
}

/**
 * The inverse of `csvText`, for imports: the apostrophe is removed only where the export would
 * have added it (before formula-like text or another apostrophe), so `'@iv` reads back as `@iv`
 * while a value such as `'t Hof` (no formula after it) stays as it is. For every text t,
 * `csvTextOf(csvText(t)) === t`.
 */
export function csvTextOf(cell: string): string {
  return cell.startsWith("'") && needsApostrophe(cell.slice(1)) ? cell.slice(1) : cell;
}

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = csvText(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => Cell;
}

/** The detailed lines' export, named after the business layer's "Adjustment Line" entity. */
export const LINE_COLUMNS: CsvColumn<DetailedLine>[] = [
  { header: 'lineRecordId', value: (l) => l.lineRecordId },
  { header: 'id', value: (l) => l.id },
  { header: 'status', value: (l) => l.status },
  { header: 'organizationId', value: (l) => l.organizationId },
  { header: 'productId', value: (l) => l.productId },
  { header: 'siteId', value: (l) => l.dimensions.siteId },
  { header: 'locationId', value: (l) => l.dimensions.locationId },
  { header: 'dimensions', value: (l) => JSON.stringify(l.dimensions) },
  { header: 'quantityDataSource', value: (l) => l.quantityDataSource },
  { header: 'physicalMeasure', value: (l) => l.physicalMeasure },
  { header: 'quantity', value: (l) => l.quantity },
  { header: 'externalReferenceCategory', value: (l) => l.externalReferenceCategory },
  { header: 'externalReferenceId', value: (l) => l.externalReferenceId },
  { header: 'fnoJournalNameId', value: (l) => l.fnoJournalNameId },
  { header: 'costPrice', value: (l) => l.costPrice },
  { header: 'transDate', value: (l) => l.transDate },
  { header: 'reasonCode', value: (l) => l.reasonCode ?? null },
  { header: 'aggregatedLineId', value: (l) => l.aggregatedLineId },
  { header: 'source', value: (l) => l.source },
  { header: 'createdAt', value: (l) => l.createdAt },
  { header: 'createdBy', value: (l) => l.createdBy },
  { header: 'approvedBy', value: (l) => l.approvedBy ?? null },
  { header: 'ivPostedAt', value: (l) => l.ivPostedAt },
  { header: 'aggregatedAt', value: (l) => l.aggregatedAt },
  { header: 'attempts', value: (l) => l.attempts },
  { header: 'lastError', value: (l) => l.lastError },
];

/** The aggregated line's export, named after the business layer's "Aggregated Adjustment Line" entity. */
export const AGGREGATED_COLUMNS: CsvColumn<AggregatedLine>[] = [
  { header: 'aggregatedLineId', value: (a) => a.aggregatedLineId },
  { header: 'status', value: (a) => a.status },
  { header: 'statusReason', value: (a) => a.statusReason },
  { header: 'organizationId', value: (a) => a.organizationId },
  { header: 'productId', value: (a) => a.productId },
  { header: 'siteId', value: (a) => a.dimensions.siteId },
  { header: 'locationId', value: (a) => a.dimensions.locationId },
  { header: 'dimensions', value: (a) => JSON.stringify(a.dimensions) },
  { header: 'quantityDataSource', value: (a) => a.quantityDataSource },
  { header: 'physicalMeasure', value: (a) => a.physicalMeasure },
  { header: 'quantity', value: (a) => a.quantity },
  { header: 'fnoJournalNameId', value: (a) => a.fnoJournalNameId },
  { header: 'costPrice', value: (a) => a.costPrice },
  { header: 'transDate', value: (a) => a.transDate },
  { header: 'targetTransactionStatus', value: (a) => a.targetTransactionStatus },
  { header: 'journalNumber', value: (a) => a.journalNumber },
  { header: 'journalLineNumber', value: (a) => a.journalLineNumber },
  { header: 'detailedLineCount', value: (a) => a.detailedLineCount },
  { header: 'attempts', value: (a) => a.attempts },
  { header: 'lastError', value: (a) => a.lastError },
  { header: 'createdAt', value: (a) => a.createdAt },
  { header: 'updatedAt', value: (a) => a.updatedAt },
];
