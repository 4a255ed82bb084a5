// SCM's data project behind the recurring data job: which entities it imports, from which
// files, in which format, under which column names. What *Generate configurations* really
// creates is not public (docs/dynamics-contract.md §1), so the emulator is configured with one;
// the default is the contract's shipped default. Written here, not imported from src/, so the
// emulator stays an independent reading of the contract.
import { z } from 'zod';
import type { DataProject, DataProjectEntity } from './types';

/** Fields of InventoryServiceAdjustmentJournalHeaders a file can carry (docs/dynamics-contract.md §1). */
export const HEADER_ENTITY_FIELDS = [
  'dataAreaId',
  'JournalNumber',
  'JournalNameId',
  'Description',
  'DefaultInventorySiteId',
  'DefaultWarehouseId',
  'InventoryServiceJournalExpectedStatus',
] as const;
export type HeaderEntityField = (typeof HEADER_ENTITY_FIELDS)[number];

/** Fields of InventoryServiceAdjustmentJournalEntries a file can carry: no expected status. */
export const LINE_ENTITY_FIELDS = [
  'dataAreaId',
  'JournalNumber',
  'InventoryServiceTransactionId',
  'JournalNameId',
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
  'UnitCostQuantity',
  'CostAmount',
  'InventoryServiceAdjustmentOffsetDatasource',
  'InventoryServiceAdjustmentOffsetPhysicalMeasure',
] as const;
export type LineEntityField = (typeof LINE_ENTITY_FIELDS)[number];

export const EXPECTED_STATUSES = ['None', 'Created', 'Posted', 'SkipPosting'] as const;

const REQUIRED_LINE_FIELDS: readonly LineEntityField[] = [
  'InventoryServiceTransactionId',
  'ItemNumber',
  'InventoryQuantity',
];

const text = z.string().trim().min(1, 'must not be blank').max(200);

function entitySchema(fields: readonly [string, ...string[]]) {
  return z
    .strictObject({
      entityName: text,
      fileName: text.refine((s) => !/[\\/]/.test(s), 'must be a file name without folders'),
      columns: z
        .array(z.strictObject({ field: z.enum(fields), column: text, entityField: text }))
        .min(1, 'must map at least one column'),
    })
    .superRefine((entity, ctx) => {
      const fields = new Set<string>();
      const columns = new Set<string>();
      entity.columns.forEach((c, i) => {
        if (fields.has(c.field))
          ctx.addIssue({
            code: 'custom',
            path: ['columns', i, 'field'],
            message: `${c.field} is mapped twice`,
          });
        if (columns.has(c.column.toLowerCase()))
          ctx.addIssue({
            code: 'custom',
            path: ['columns', i, 'column'],
            message: `column ${c.column} is mapped twice`,
          });
        fields.add(c.field);
        columns.add(c.column.toLowerCase());
      });
    });
}

export const dataProjectSchema = z
  .strictObject({
    projectName: text,
    kind: z.enum(['package', 'file']),
    format: z.enum(['CSV', 'CSV-Unicode']),
    headers: entitySchema(HEADER_ENTITY_FIELDS).nullable(),
    lines: entitySchema(LINE_ENTITY_FIELDS),
    defaultExpectedStatus: z.enum(EXPECTED_STATUSES),
  })
  .superRefine((p, ctx) => {
    const lineFields = new Set(p.lines.columns.map((c) => c.field));
    for (const f of REQUIRED_LINE_FIELDS)
      if (!lineFields.has(f))
        ctx.addIssue({ code: 'custom', path: ['lines', 'columns'], message: `must map ${f}` });
    if (p.kind === 'file' && p.headers !== null)
      ctx.addIssue({ code: 'custom', path: ['headers'], message: 'must be null in a single-file project' });
    if (p.kind === 'package' && p.headers) {
      if (!p.headers.columns.some((c) => c.field === 'JournalNumber'))
        ctx.addIssue({ code: 'custom', path: ['headers', 'columns'], message: 'must map JournalNumber' });
      if (!lineFields.has('JournalNumber'))
        ctx.addIssue({ code: 'custom', path: ['lines', 'columns'], message: 'must map JournalNumber' });
      if (p.headers.entityName.toLowerCase() === p.lines.entityName.toLowerCase())
        ctx.addIssue({
          code: 'custom',
          path: ['lines', 'entityName'],
          message: 'must differ from the headers entity',
        });
      if (p.headers.fileName.toLowerCase() === p.lines.fileName.toLowerCase())
        ctx.addIssue({
          code: 'custom',
          path: ['lines', 'fileName'],
          message: 'must differ from the headers file',
        });
    }
  });

export class DataProjectError extends Error {}

export function parseDataProject(input: unknown): DataProject {
  const parsed = dataProjectSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : '(project)';
  throw new DataProjectError(`Invalid data project: ${where}: ${issue?.message ?? 'invalid'}`);
}

/** Staging names the offset article gives the offset fields [OFF]; every other field is upper-cased. */
const STAGING_NAMES: Record<string, string> = {
  InventoryServiceAdjustmentOffsetDatasource: 'OFFSETDATASOURCE',
  InventoryServiceAdjustmentOffsetPhysicalMeasure: 'OFFSETPHYSICALMEASURE',
};

const upperCase = (fields: readonly string[]): DataProjectEntity['columns'] =>
  fields.map((field) => {
    const column = STAGING_NAMES[field] ?? field.toUpperCase();
    return { field, column, entityField: column };
  });

/** The contract's shipped default (docs/dynamics-contract.md §1): a package, headers + lines. */
export const DEFAULT_DATA_PROJECT: DataProject = parseDataProject({
  projectName: 'Inventory Visibility adjustment journals',
  kind: 'package',
  format: 'CSV',
  headers: {
    entityName: 'Inventory service adjustment journal header',
    fileName: 'Inventory service adjustment journal header.csv',
    columns: upperCase([
      'JournalNumber',
      'JournalNameId',
      'Description',
      'InventoryServiceJournalExpectedStatus',
    ]),
  },
  lines: {
    entityName: 'Inventory service adjustment journal entry',
    fileName: 'Inventory service adjustment journal entry.csv',
    columns: upperCase(
      LINE_ENTITY_FIELDS.filter(
        (f) => !['dataAreaId', 'JournalNameId', 'UnitCostQuantity', 'CostAmount'].includes(f),
      ),
    ),
  },
  defaultExpectedStatus: 'Created',
});
