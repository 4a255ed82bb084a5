// Reading a journal file and checking each row the way SCM's data management does:
// every row stands or falls on its own, with an SCM-like infolog message.
import type { CatalogIndex } from './catalog';
import { CsvError, parseCsv } from './csv';
import { stripBom } from './http';
import type { JournalLine } from './types';

/** Columns of upstream.md §C.4, in the documented order. */
export const JOURNAL_COLUMNS = [
  'InventoryServiceTransactionId',
  'dataAreaId',
  'JournalNameId',
  'InventoryServiceJournalExpectedStatus',
  'ItemNumber',
  'InventorySiteId',
  'InventoryWarehouseId',
  'ProductColorId',
  'ProductSizeId',
  'ProductStyleId',
  'ProductConfigurationId',
  'ProductVersionId',
  'ItemBatchNumber',
  'ItemSerialNumber',
  'WarehouseLocationId',
  'LicensePlateNumber',
  'InventoryStatusId',
  'TransactionDate',
  'InventoryQuantity',
  'UnitCost',
  'InventoryServiceAdjustmentOffsetDatasource',
  'InventoryServiceAdjustmentOffsetPhysicalMeasure',
] as const;

export type JournalColumn = (typeof JOURNAL_COLUMNS)[number];
export type FileRow = Record<JournalColumn, string>;

const REQUIRED: readonly JournalColumn[] = [
  'InventoryServiceTransactionId',
  'ItemNumber',
  'InventoryQuantity',
];
export const ENTITY_NAME = 'InventoryServiceAdjustmentJournalEntity';

export type FileResult = { ok: true; rows: FileRow[] } | { ok: false; error: string };

/** Header names match without regard to case; an unknown or missing column rejects the whole file. */
export function readJournalFile(text: string): FileResult {
  let records: string[][];
  try {
    records = parseCsv(stripBom(text));
  } catch (err) {
    if (err instanceof CsvError) return { ok: false, error: `The file is not valid CSV. ${err.message}` };
    throw err;
  }
  const [header, ...data] = records;
  if (!header) return { ok: false, error: 'The file is empty.' };
  const byLower = new Map(JOURNAL_COLUMNS.map((c) => [c.toLowerCase(), c]));
  const columns: JournalColumn[] = [];
  for (const name of header) {
    const column = byLower.get(name.trim().toLowerCase());
    if (!column) {
      return {
        ok: false,
        error: `Column '${name}' of the source file is not mapped to any field of ${ENTITY_NAME}.`,
      };
    }
    if (columns.includes(column))
      return { ok: false, error: `Column '${name}' appears twice in the source file.` };
    columns.push(column);
  }
  for (const column of REQUIRED) {
    if (!columns.includes(column)) {
      return {
        ok: false,
        error: `The source file has no column '${column}', which ${ENTITY_NAME} requires.`,
      };
    }
  }
  if (data.length === 0) return { ok: false, error: 'The file has a header row but no data rows.' };
  const rows: FileRow[] = [];
  for (const [i, record] of data.entries()) {
    if (record.length !== columns.length) {
      return {
        ok: false,
        error: `Row ${i + 2} of the file has ${record.length} field(s); the header has ${columns.length}.`,
      };
    }
    const row = Object.fromEntries(JOURNAL_COLUMNS.map((c) => [c, ''])) as FileRow;
    columns.forEach((column, j) => {
      row[column] = (record[j] ?? '').trim();
    });
    rows.push(row);
  }
  return { ok: true, rows };
}

const writeFailed = (infolog: string) =>
  `Write failed for table row of type '${ENTITY_NAME}'. Infolog: ${infolog}`;
const notFound = (value: string, field: string, table: string) =>
  writeFailed(
    `Warning: The value '${value}' in field '${field}' is not found in the related table '${table}'.`,
  );
const mustFill = (field: string) => writeFailed(`Warning: Field '${field}' must be filled in.`);
const invalid = (value: string, field: string) =>
  writeFailed(`Warning: The value '${value}' in field '${field}' is not valid.`);
export const alreadyExists = (id: string) =>
  writeFailed(
    `Error: Cannot create a record in Inventory service adjustment journal entry (InventoryServiceAdjustmentJournalEntry). Inventory service transaction ID: ${id}. The record already exists.`,
  );

/** A checked row: a journal line still missing its journal and line numbers. */
export type CheckedLine = Omit<JournalLine, 'JournalNumber' | 'LineNumber'>;
export type RowResult = { ok: true; line: CheckedLine } | { ok: false; message: string; duplicate: boolean };

export interface RowContext {
  catalog: CatalogIndex;
  /** The enqueue call's `company` parameter, used when a row's dataAreaId is blank. */
  company: string | null;
  /** Transaction IDs already in SCM or earlier in this file, lower-cased. */
  exists(id: string): boolean;
  today: string;
}

export function checkRow(row: FileRow, ctx: RowContext): RowResult {
  const fail = (message: string, duplicate = false): RowResult => ({ ok: false, message, duplicate });
  const id = row.InventoryServiceTransactionId;
  if (id === '') return fail(mustFill('Inventory service transaction ID'));
  const orgInput = row.dataAreaId || ctx.company || '';
  if (orgInput === '') return fail(mustFill('Company'));
  const org = ctx.catalog.organization(orgInput);
  if (!org) return fail(notFound(orgInput, 'Company', 'Legal entities'));
  if (ctx.exists(id)) return fail(alreadyExists(id), true);

  let journalName = ctx.catalog.defaultJournalName(org);
  if (row.JournalNameId !== '') journalName = ctx.catalog.journalName(org, row.JournalNameId);
  if (!journalName) {
    return row.JournalNameId === ''
      ? fail(mustFill('Journal name'))
      : fail(notFound(row.JournalNameId, 'Journal name', 'Inventory journal names'));
  }
  const statusInput = row.InventoryServiceJournalExpectedStatus || 'Created';
  const expected = ['Created', 'Posted'].find((s) => s.toLowerCase() === statusInput.toLowerCase());
  if (expected !== 'Created' && expected !== 'Posted') return fail(invalid(statusInput, 'Expected status'));

  if (row.ItemNumber === '') return fail(mustFill('Item number'));
  const item = ctx.catalog.item(org, row.ItemNumber);
  if (!item) return fail(notFound(row.ItemNumber, 'Item number', 'Items'));
  if (row.InventorySiteId === '') return fail(mustFill('Site'));
  const site = ctx.catalog.site(org, row.InventorySiteId);
  if (!site) return fail(notFound(row.InventorySiteId, 'Site', 'Sites'));
  if (row.InventoryWarehouseId === '') return fail(mustFill('Warehouse'));
  const warehouse = ctx.catalog.warehouse(org, site, row.InventoryWarehouseId);
  if (!warehouse) return fail(notFound(row.InventoryWarehouseId, 'Warehouse', 'Warehouses'));

  const quantity = parseNumber(row.InventoryQuantity);
  if (quantity === undefined) return fail(invalid(row.InventoryQuantity, 'Quantity'));
  let unitCost: number | null = null;
  if (row.UnitCost !== '') {
    const cost = parseNumber(row.UnitCost);
    if (cost === undefined || cost < 0) return fail(invalid(row.UnitCost, 'Cost price'));
    unitCost = cost;
  }
  let date = ctx.today;
  if (row.TransactionDate !== '') {
    const parsed = parseDate(row.TransactionDate);
    if (!parsed) return fail(invalid(row.TransactionDate, 'Date'));
    date = parsed;
  }
  return {
    ok: true,
    line: {
      ...row,
      dataAreaId: org,
      JournalNameId: journalName,
      InventoryServiceJournalExpectedStatus: expected,
      ItemNumber: item,
      InventorySiteId: site,
      InventoryWarehouseId: warehouse,
      TransactionDate: date,
      InventoryQuantity: quantity,
      UnitCost: unitCost,
    },
  };
}

function parseNumber(text: string): number | undefined {
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** YYYY-MM-DD, optionally followed by a time; answers YYYY-MM-DD. */
function parseDate(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(text);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  const iso = d.toISOString().slice(0, 10);
  return iso === `${m[1]}-${m[2]}-${m[3]}` ? iso : undefined;
}
