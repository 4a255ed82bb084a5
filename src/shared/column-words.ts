import type { LineSource } from './views';

/**
 * The words people read for a line's fields: the grids' column titles and the XLSX export's
 * headers, one table for the renderer and main. The CSV export keeps the API's field names:
 * it is for machines.
 */
export const FIELD_WORDS = {
  createdAt: 'Created',
  updatedAt: 'Updated',
  productId: 'Product',
  itemName: 'Item name',
  organizationId: 'Org',
  siteId: 'Site',
  locationId: 'Warehouse',
  dimensions: 'Other dimensions',
  quantity: 'Quantity',
  status: 'Status',
  statusReason: 'Status reason',
  /** A detailed line's aggregated line, in SCM. */
  scmStatus: 'In SCM',
  scmJournal: 'SCM journal',
  quantityDataSource: 'Data source',
  physicalMeasure: 'Physical measure',
  /** The grids show both in one column. */
  sourceAndMeasure: 'Source / measure',
  externalReferenceId: 'External reference',
  externalReferenceCategory: 'Reference category',
  transDate: 'Trans date',
  fnoJournalNameId: 'Journal name',
  costPrice: 'Cost price',
  reasonCode: 'Reason',
  approvedBy: 'Approved by',
  detailedLineCount: 'Lines',
  journalNumber: 'Journal',
  journalLineNumber: 'Journal line',
  /** The aggregated grid shows both in one column. */
  journalAndLine: 'Journal / line',
  targetTransactionStatus: 'Journal to be',
  lineRecordId: 'Line record ID',
  id: 'Line ID',
  aggregatedLineId: 'Aggregated line ID',
  source: 'Entered from',
  createdBy: 'Created by',
  ivPostedAt: 'Posted to IV',
  aggregatedAt: 'Aggregated',
  attempts: 'Attempts',
  lastError: 'Last error',
} as const;

export type WordedField = keyof typeof FIELD_WORDS;

/** Where a line came from, in words. */
export const SOURCE_WORDS: Record<LineSource, string> = {
  api: 'Store system (API)',
  form: 'Store Ledger',
  import: 'Draft import',
};

const DIMENSION_WORDS: Record<string, string> = {
  siteId: 'Site',
  locationId: 'Warehouse',
  colorId: 'Colour',
  sizeId: 'Size',
  styleId: 'Style',
};

/** `Colour (colorId)` for the dimensions people know by name, `Dimension batchId` for the rest. */
export function dimensionWords(name: string): string {
  const label = DIMENSION_WORDS[name];
  return label ? `${label} (${name})` : `Dimension ${name}`;
}

/** The dimension a header of `dimensionWords` names, or null. */
export function dimensionOfWords(header: string): string | null {
  const match = /^(?:.+ \(([A-Za-z][A-Za-z0-9_]*)\)|Dimension ([A-Za-z][A-Za-z0-9_]*))$/.exec(header.trim());
  return match ? (match[1] ?? match[2]!) : null;
}
