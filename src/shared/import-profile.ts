/**
 * The SCM import profile: the shape of the data project that SCM's *Generate configurations*
 * creates (docs/dynamics-contract.md §1). That shape is not public, so it is data: a shipped
 * default built from the public entities [MD], replaceable from the project's own exported
 * package (its Manifest.xml) or the provisioning file.
 */
import { z } from 'zod';
import { hasControlChars } from './text';

/** Header fields of InventoryServiceAdjustmentJournalHeaders that a journal file can carry [MD]. */
export const HEADER_FIELDS = [
  'JournalNumber',
  'JournalNameId',
  'Description',
  'InventoryServiceJournalExpectedStatus',
  'dataAreaId',
] as const;
export type HeaderField = (typeof HEADER_FIELDS)[number];

/** Line fields of InventoryServiceAdjustmentJournalEntries that a journal file can carry [MD]. */
export const LINE_FIELDS = [
  'JournalNumber',
  'InventoryServiceTransactionId',
  'dataAreaId',
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
  'InventoryServiceAdjustmentOffsetDatasource',
  'InventoryServiceAdjustmentOffsetPhysicalMeasure',
] as const;
export type LineField = (typeof LINE_FIELDS)[number];

/** Staging names the offset article gives the two offset fields [OFF]. */
export const OFFSET_STAGING_NAMES: Partial<Record<LineField, string>> = {
  InventoryServiceAdjustmentOffsetDatasource: 'OFFSETDATASOURCE',
  InventoryServiceAdjustmentOffsetPhysicalMeasure: 'OFFSETPHYSICALMEASURE',
};

const name = (what: string, max: number) =>
  z
    .string({ error: `must be ${what}` })
    .trim()
    .min(1, { error: 'must not be blank' })
    .max(max, { error: `must be at most ${max} characters` })
    .refine((s) => !hasControlChars(s), { error: 'must not contain control characters' });

/** A file name inside the package: no folders, nothing a zip reader could take for a path. */
const fileName = name('a file name', 200).refine((s) => !/[\\/:*?"<>|]/.test(s) && s !== '.' && s !== '..', {
  error: 'must be a plain file name (no \\ / : * ? " < > |)',
});

function entitySchema<F extends string>(fields: readonly [F, ...F[]]) {
  return z
    .strictObject({
      entityName: name('the entity name of the data project', 200),
      fileName,
      columns: z
        .array(
          z.strictObject({
            field: z.enum(fields, { error: `must be one of ${fields.join(', ')}` }),
            column: name('the column name in the file', 128),
            entityField: name('the staging field name', 128),
          }),
        )
        .min(1, { error: 'must map at least one column' }),
      /**
       * The entity's node of the project's exported Manifest.xml, written back as it is in every
       * package (RunBusinessLogic, RunBusinessValidation, TargetEntity, the map's flags): only a
       * profile loaded from an exported package has one.
       */
      manifestXml: z
        .string({ error: 'must be the XML of a manifest entity' })
        .max(200_000, { error: 'must be at most 200,000 characters' })
        .refine((s) => /^<(?:[A-Za-z_][\w.-]*:)?DataManagementPackageEntityData\b/.test(s), {
          error: 'must be a DataManagementPackageEntityData element',
        })
        .optional(),
      /** Columns that node maps to fields Store Ledger does not fill: written, blank, so the file matches it. */
      blankColumns: z.array(name('a column name', 128)).max(500).optional(),
    })
    .superRefine((entity, ctx) => {
      const seenField = new Set<string>();
      const seenColumn = new Set<string>();
      entity.columns.forEach((c, i) => {
        if (seenField.has(c.field))
          ctx.addIssue({
            code: 'custom',
            path: ['columns', i, 'field'],
            message: `${c.field} is mapped twice`,
          });
        const column = c.column.toLowerCase();
        if (seenColumn.has(column))
          ctx.addIssue({
            code: 'custom',
            path: ['columns', i, 'column'],
            message: `column ${c.column} is mapped twice`,
          });
        seenField.add(c.field);
        seenColumn.add(column);
      });
    });
}

const headersEntity = entitySchema(HEADER_FIELDS);
const linesEntity = entitySchema(LINE_FIELDS);

const REQUIRED_LINE_FIELDS: readonly LineField[] = [
  'InventoryServiceTransactionId',
  'ItemNumber',
  'InventoryQuantity',
];

export const importProfileSchema = z
  .strictObject({
    projectName: name('the data project name', 200),
    kind: z.enum(['package', 'file'], {
      error: 'must be "package" (a data package) or "file" (one CSV file)',
    }),
    format: z.enum(['CSV', 'CSV-Unicode'], { error: 'must be "CSV" (UTF-8) or "CSV-Unicode" (UTF-16)' }),
    headers: headersEntity.nullable(),
    lines: linesEntity.optional(),
  })
  .superRefine((p, ctx) => {
    if (!p.lines) {
      ctx.addIssue({
        code: 'custom',
        path: ['lines'],
        message: 'names no lines entity: the profile must say which entity takes the journal lines',
      });
      return;
    }
    const lineFields = new Set(p.lines.columns.map((c) => c.field));
    for (const f of REQUIRED_LINE_FIELDS) {
      if (!lineFields.has(f))
        ctx.addIssue({ code: 'custom', path: ['lines', 'columns'], message: `must map ${f}` });
    }
    if (p.kind === 'file' && p.headers !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['headers'],
        message: 'must be null for a single-file profile (one file carries one entity)',
      });
    }
    if (p.kind === 'package' && p.headers) {
      const headerFields = new Set(p.headers.columns.map((c) => c.field));
      if (!headerFields.has('JournalNumber'))
        ctx.addIssue({ code: 'custom', path: ['headers', 'columns'], message: 'must map JournalNumber' });
      if (!headerFields.has('InventoryServiceJournalExpectedStatus'))
        ctx.addIssue({
          code: 'custom',
          path: ['headers', 'columns'],
          message: 'must map InventoryServiceJournalExpectedStatus',
        });
      if (!lineFields.has('JournalNumber'))
        ctx.addIssue({
          code: 'custom',
          path: ['lines', 'columns'],
          message: 'must map JournalNumber (it links each line to its journal header)',
        });
      if (p.headers.fileName.toLowerCase() === p.lines.fileName.toLowerCase())
        ctx.addIssue({
          code: 'custom',
          path: ['lines', 'fileName'],
          message: 'must differ from the headers file name',
        });
    }
  })
  .transform((p) => ({ ...p, lines: p.lines! }));

export type ImportProfile = z.output<typeof importProfileSchema>;
export type ImportEntityProfile = ImportProfile['lines'] | NonNullable<ImportProfile['headers']>;

const upper = <F extends string>(fields: readonly F[], aliases: Partial<Record<F, string>> = {}) =>
  fields.map((field) => {
    const column = aliases[field] ?? field.toUpperCase();
    return { field, column, entityField: column };
  });

/**
 * The shipped default (not public: a reasoned guess, docs/dynamics-contract.md §1): a package
 * with a headers and a lines entity, every public field under its upper-case staging name.
 */
export const DEFAULT_IMPORT_PROFILE: ImportProfile = importProfileSchema.parse({
  projectName: 'Inventory Visibility adjustment journals',
  kind: 'package',
  format: 'CSV',
  headers: {
    entityName: 'Inventory service adjustment journal header',
    fileName: 'Inventory service adjustment journal header.csv',
    columns: upper([
      'JournalNumber',
      'JournalNameId',
      'Description',
      'InventoryServiceJournalExpectedStatus',
    ]),
  },
  lines: {
    entityName: 'Inventory service adjustment journal entry',
    fileName: 'Inventory service adjustment journal entry.csv',
    columns: upper(
      LINE_FIELDS.filter((f) => f !== 'dataAreaId' && f !== 'JournalNameId'),
      OFFSET_STAGING_NAMES,
    ),
  },
});
