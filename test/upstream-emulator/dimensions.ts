// IV dimension names and their SCM journal columns
// (https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-configuration).

const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

export const IV_BASE_DIMENSIONS: readonly string[] = [
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
  ...numbered('inventDimension', 12),
  ...numbered('extendedDimension', 8),
];

const BASE_LOWER = new Set(IV_BASE_DIMENSIONS.map((d) => d.toLowerCase()));

/** Whether IV takes this key without a dimensionDataSource. */
export const isBaseDimension = (key: string) => BASE_LOWER.has(key.toLowerCase());

/**
 * The key casing IV answers queries in, which is not the casing it documents for requests
 * (seen in Microsoft's own IV tests): clients must read keys without regard to case.
 */
const ANSWER_CASING: Record<string, string> = {
  siteId: 'siteid',
  locationId: 'locationid',
  colorId: 'ColorId',
  sizeId: 'SizeId',
  styleId: 'StyleId',
  configId: 'ConfigId',
};
export const answerKey = (name: string) => ANSWER_CASING[name] ?? name.toLowerCase();

/** SCM journal column → IV dimension name, for the dimensions SCM knows. */
export const SCM_DIMENSION_COLUMNS = [
  ['InventorySiteId', 'siteId'],
  ['InventoryWarehouseId', 'locationId'],
  ['ProductColorId', 'colorId'],
  ['ProductSizeId', 'sizeId'],
  ['ProductStyleId', 'styleId'],
  ['ProductConfigurationId', 'configId'],
  ['ProductVersionId', 'versionId'],
  ['ItemBatchNumber', 'batchId'],
  ['ItemSerialNumber', 'serialId'],
  ['WarehouseLocationId', 'wmsLocationId'],
  ['LicensePlateNumber', 'licensePlateId'],
  ['InventoryStatusId', 'statusId'],
] as const;

export type ScmDimensionColumn = (typeof SCM_DIMENSION_COLUMNS)[number][0];

/**
 * Matches dimension keys without regard to case and hands out one spelling per key:
 * the documented one for base dimensions, the first one seen (lower-first) for external ones.
 */
export class DimensionNames {
  private readonly known = new Map(IV_BASE_DIMENSIONS.map((name) => [name.toLowerCase(), name]));

  canonical(key: string): string {
    const lower = key.toLowerCase();
    const found = this.known.get(lower);
    if (found) return found;
    const name = key.charAt(0).toLowerCase() + key.slice(1);
    this.known.set(lower, name);
    return name;
  }

  /** Canonical keys, blank values dropped (a blank dimension is no dimension), keys sorted. */
  normalize(dims: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(dims)) {
      if (value === '') continue;
      const name = this.canonical(key);
      if (name in out) throw new Error(`Dimension '${key}' is given twice (keys are case-insensitive).`);
      out[name] = value;
    }
    return sortKeys(out);
  }
}

export function sortKeys(dims: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(dims).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Stable identity of a normalized dimension set. */
export function dimensionKey(dims: Record<string, string>): string {
  return JSON.stringify(Object.entries(sortKeys(dims)));
}

/** The IV dimensions a journal line carries, from its non-blank SCM columns. */
export function dimensionsFromLine(line: Record<ScmDimensionColumn, string>): Record<string, string> {
  const dims: Record<string, string> = {};
  for (const [column, name] of SCM_DIMENSION_COLUMNS) {
    if (line[column] !== '') dims[name] = line[column];
  }
  return sortKeys(dims);
}
