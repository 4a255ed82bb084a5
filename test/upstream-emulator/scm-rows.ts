// Checking each staged row the way SCM's data management does: every row stands or falls on
// its own, with an SCM-like infolog message that names the row (a line by its
// InventoryServiceTransactionId, a header by the journal number the package gave it).
import type { CatalogIndex } from './catalog';
import { EXPECTED_STATUSES } from './data-project';
import type { DataProject, ExpectedStatus, JournalLine } from './types';
import type { FieldRow } from './upload';

/** A header row that imports: SCM numbers it when the journal is created. */
export interface CheckedHeader {
  reference: string;
  dataAreaId: string;
  JournalNameId: string;
  Description: string;
  DefaultInventorySiteId: string;
  DefaultWarehouseId: string;
  InventoryServiceJournalExpectedStatus: ExpectedStatus;
}

/** A line row that imports, still missing its journal and line numbers. */
export type CheckedLine = Omit<JournalLine, 'JournalNumber' | 'LineNumber'> & { reference: string | null };

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string; duplicate: boolean };

export interface RowContext {
  project: DataProject;
  catalog: CatalogIndex;
  /** The enqueue call's `company` parameter, used when a row names no company. */
  company: string | null;
  today: string;
}

const infolog = (entity: string, row: string, text: string) =>
  `Write failed for table row of type '${entity}'. ${row}. Infolog: ${text}`;
const notFound = (value: string, field: string, table: string) =>
  `Warning: The value '${value}' in field '${field}' is not found in the related table '${table}'.`;
const mustFill = (field: string) => `Warning: Field '${field}' must be filled in.`;
const invalid = (value: string, field: string) =>
  `Warning: The value '${value}' in field '${field}' is not valid.`;

const fail = <T>(message: string, duplicate = false): Checked<T> => ({ ok: false, message, duplicate });
const field = (row: FieldRow, name: string) => row[name] ?? '';

function company(
  row: FieldRow,
  ctx: RowContext,
  fallback: string | null,
): { ok: true; org: string } | { ok: false; text: string } {
  const input = field(row, 'dataAreaId') || fallback || ctx.company || '';
  if (input === '') return { ok: false, text: mustFill('Company') };
  const org = ctx.catalog.organization(input);
  return org ? { ok: true, org } : { ok: false, text: notFound(input, 'Company', 'Legal entities') };
}

function journalName(
  row: FieldRow,
  org: string,
  ctx: RowContext,
): { ok: true; name: string } | { ok: false; text: string } {
  const input = field(row, 'JournalNameId');
  const name = input === '' ? ctx.catalog.defaultJournalName(org) : ctx.catalog.journalName(org, input);
  if (name) return { ok: true, name };
  return {
    ok: false,
    text:
      input === '' ? mustFill('Journal name') : notFound(input, 'Journal name', 'Inventory journal names'),
  };
}

/** A header row of a package; `seen` holds the references of earlier header rows (lower-cased). */
export function checkHeader(
  row: FieldRow,
  ctx: RowContext,
  seen: { has(reference: string): boolean },
): Checked<CheckedHeader> {
  const entity = ctx.project.headers?.entityName ?? 'Inventory service adjustment journal header';
  const reference = field(row, 'JournalNumber');
  const say = (text: string) =>
    fail<CheckedHeader>(infolog(entity, `Journal number: ${reference || '(blank)'}`, text));
  if (reference === '') return say(mustFill('Journal number'));
  if (seen.has(reference.toLowerCase()))
    return say(`Error: Journal number ${reference} appears more than once in the package.`);
  const org = company(row, ctx, null);
  if (!org.ok) return say(org.text);
  const name = journalName(row, org.org, ctx);
  if (!name.ok) return say(name.text);
  const statusInput = field(row, 'InventoryServiceJournalExpectedStatus');
  const status = statusInput === '' ? ctx.project.defaultExpectedStatus : expectedStatus(statusInput);
  if (!status) return say(invalid(statusInput, 'Expected status'));
  let site = field(row, 'DefaultInventorySiteId');
  let warehouse = field(row, 'DefaultWarehouseId');
  if (site !== '') {
    const found = ctx.catalog.site(org.org, site);
    if (!found) return say(notFound(site, 'Site', 'Sites'));
    site = found;
    if (warehouse !== '') {
      const w = ctx.catalog.warehouse(org.org, site, warehouse);
      if (!w) return say(notFound(warehouse, 'Warehouse', 'Warehouses'));
      warehouse = w;
    }
  }
  return {
    ok: true,
    value: {
      reference,
      dataAreaId: org.org,
      JournalNameId: name.name,
      Description: field(row, 'Description'),
      DefaultInventorySiteId: site,
      DefaultWarehouseId: warehouse,
      InventoryServiceJournalExpectedStatus: status,
    },
  };
}

/** The enum's own spelling, matched without regard to case; its numbers (0..3) are taken too. */
function expectedStatus(input: string): ExpectedStatus | undefined {
  if (/^\d$/.test(input)) return EXPECTED_STATUSES[Number(input)];
  return EXPECTED_STATUSES.find((s) => s.toLowerCase() === input.toLowerCase());
}

export interface LineContext extends RowContext {
  /** The package's imported headers by lower-cased reference; null for a single-file project. */
  headers: Map<string, CheckedHeader> | null;
  /** Whether (company, transaction ID) is already in SCM or earlier in this upload. */
  exists(org: string, id: string): boolean;
}

export const alreadyExists = (id: string) =>
  `Error: Cannot create a record in Inventory service adjustment journal entry (InventoryServiceAdjustmentJournalEntry). Inventory service transaction ID: ${id}. The record already exists.`;

/** `duplicateTransactionId: 'upsert'` meeting a line of a posted journal. */
export const postedLine = (entity: string, id: string, journalNumber: string) =>
  infolog(
    entity,
    `Inventory service transaction ID: ${id}`,
    `Error: The line is on journal ${journalNumber}, which is posted; it cannot be changed.`,
  );

export function checkLine(row: FieldRow, rowNumber: number, ctx: LineContext): Checked<CheckedLine> {
  const entity = ctx.project.lines.entityName;
  const id = field(row, 'InventoryServiceTransactionId');
  const say = (text: string, duplicate = false) =>
    fail<CheckedLine>(
      infolog(entity, id === '' ? `Row ${rowNumber}` : `Inventory service transaction ID: ${id}`, text),
      duplicate,
    );
  if (id === '') return say(mustFill('Inventory service transaction ID'));

  let header: CheckedHeader | null = null;
  let reference: string | null = null;
  if (ctx.headers) {
    reference = field(row, 'JournalNumber');
    if (reference === '') return say(mustFill('Journal number'));
    header = ctx.headers.get(reference.toLowerCase()) ?? null;
    if (!header)
      return say(
        notFound(
          reference,
          'Journal number',
          ctx.project.headers?.entityName ?? 'Inventory service adjustment journal header',
        ),
      );
  }
  const org = company(row, ctx, header?.dataAreaId ?? null);
  if (!org.ok) return say(org.text);
  if (header && header.dataAreaId !== org.org)
    return say(
      `Error: The line is in company ${org.org}; journal ${reference} is in company ${header.dataAreaId}.`,
    );
  if (ctx.exists(org.org, id)) return say(alreadyExists(id), true);

  let journalNameId = header?.JournalNameId;
  if (!journalNameId) {
    const name = journalName(row, org.org, ctx);
    if (!name.ok) return say(name.text);
    journalNameId = name.name;
  }
  const itemInput = field(row, 'ItemNumber');
  if (itemInput === '') return say(mustFill('Item number'));
  const item = ctx.catalog.item(org.org, itemInput);
  if (!item) return say(notFound(itemInput, 'Item number', 'Items'));
  const siteInput = field(row, 'InventorySiteId') || header?.DefaultInventorySiteId || '';
  if (siteInput === '') return say(mustFill('Site'));
  const site = ctx.catalog.site(org.org, siteInput);
  if (!site) return say(notFound(siteInput, 'Site', 'Sites'));
  const warehouseInput = field(row, 'InventoryWarehouseId') || header?.DefaultWarehouseId || '';
  if (warehouseInput === '') return say(mustFill('Warehouse'));
  const warehouse = ctx.catalog.warehouse(org.org, site, warehouseInput);
  if (!warehouse) return say(notFound(warehouseInput, 'Warehouse', 'Warehouses'));

  const quantity = parseNumber(field(row, 'InventoryQuantity'));
  if (quantity === undefined) return say(invalid(field(row, 'InventoryQuantity'), 'Quantity'));
  const numbers: Record<'UnitCost' | 'UnitCostQuantity' | 'CostAmount', number | null> = {
    UnitCost: null,
    UnitCostQuantity: null,
    CostAmount: null,
  };
  const labels = { UnitCost: 'Cost price', UnitCostQuantity: 'Price quantity', CostAmount: 'Cost amount' };
  for (const name of ['UnitCost', 'UnitCostQuantity', 'CostAmount'] as const) {
    const input = field(row, name);
    if (input === '') continue;
    const n = parseNumber(input);
    if (n === undefined || (name !== 'CostAmount' && n < 0)) return say(invalid(input, labels[name]));
    numbers[name] = n;
  }
  let date = ctx.today;
  const dateInput = field(row, 'TransactionDate');
  if (dateInput !== '') {
    const parsed = parseDate(dateInput);
    if (!parsed) return say(invalid(dateInput, 'Date'));
    date = parsed;
  }
  return {
    ok: true,
    value: {
      reference,
      dataAreaId: org.org,
      InventoryServiceTransactionId: id,
      JournalNameId: journalNameId,
      ItemNumber: item,
      InventorySiteId: site,
      InventoryWarehouseId: warehouse,
      ProductColorId: field(row, 'ProductColorId'),
      ProductSizeId: field(row, 'ProductSizeId'),
      ProductStyleId: field(row, 'ProductStyleId'),
      ProductConfigurationId: field(row, 'ProductConfigurationId'),
      ProductVersionId: field(row, 'ProductVersionId'),
      ItemBatchNumber: field(row, 'ItemBatchNumber'),
      ItemSerialNumber: field(row, 'ItemSerialNumber'),
      WarehouseLocationId: field(row, 'WarehouseLocationId'),
      LicensePlateNumber: field(row, 'LicensePlateNumber'),
      InventoryStatusId: field(row, 'InventoryStatusId'),
      TransactionDate: date,
      InventoryQuantity: quantity,
      ...numbers,
      InventoryServiceAdjustmentOffsetDatasource: field(row, 'InventoryServiceAdjustmentOffsetDatasource'),
      InventoryServiceAdjustmentOffsetPhysicalMeasure: field(
        row,
        'InventoryServiceAdjustmentOffsetPhysicalMeasure',
      ),
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
