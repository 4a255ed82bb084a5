/**
 * IV base dimensions, as IV's configuration lists them
 * (https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-configuration).
 * Input keys match without regard to case; the
 * ledger stores the canonical casing below. Any other key is an external dimension:
 * kept on the line and sent to IV, never sent to SCM.
 */
export const BASE_DIMENSIONS = [
  'siteId',
  'locationId',
  'colorId',
  'sizeId',
  'styleId',
  'configId',
  'batchId',
  'serialId',
  'statusId',
  'wmsLocationId',
  'wmsPalletId',
  'licensePlateId',
  'versionId',
  ...Array.from({ length: 12 }, (_, i) => `inventDimension${i + 1}`),
  ...Array.from({ length: 8 }, (_, i) => `extendedDimension${i + 1}`),
] as const;

/** IV dimension → SCM journal line column, for the dimensions SCM knows. */
export const SCM_DIMENSION_COLUMNS = {
  siteId: 'InventorySiteId',
  locationId: 'InventoryWarehouseId',
  colorId: 'ProductColorId',
  sizeId: 'ProductSizeId',
  styleId: 'ProductStyleId',
  configId: 'ProductConfigurationId',
  versionId: 'ProductVersionId',
  batchId: 'ItemBatchNumber',
  serialId: 'ItemSerialNumber',
  wmsLocationId: 'WarehouseLocationId',
  licensePlateId: 'LicensePlateNumber',
  statusId: 'InventoryStatusId',
} as const;

export type ScmDimension = keyof typeof SCM_DIMENSION_COLUMNS;
export const SCM_DIMENSIONS = Object.keys(SCM_DIMENSION_COLUMNS) as ScmDimension[];

const canonicalByLower = new Map<string, string>(BASE_DIMENSIONS.map((name) => [name.toLowerCase(), name]));

/** The stored spelling of a dimension key: base dimensions get their canonical casing, others are kept as sent. */
export function canonicalDimensionName(key: string): string {
  return canonicalByLower.get(key.toLowerCase()) ?? key;
}

export function isBaseDimension(key: string): boolean {
  return canonicalByLower.has(key.toLowerCase());
}

export function isScmDimension(key: string): key is ScmDimension {
  return Object.hasOwn(SCM_DIMENSION_COLUMNS, key);
}

/** Keys sorted so that equal dimension sets serialise (and hash, and group) identically. */
export function sortDimensions(dimensions: Record<string, string>): Record<string, string> {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(dimensions).sort()) sorted[key] = dimensions[key]!;
  return sorted;
}

/** The SCM-mapped subset, under IV base names: what aggregation groups by and SCM receives. */
export function scmDimensions(dimensions: Record<string, string>): Record<string, string> {
  const mapped: Record<string, string> = {};
  for (const key of SCM_DIMENSIONS) {
    const value = dimensions[key];
    if (value !== undefined) mapped[key] = value;
  }
  return mapped;
}
