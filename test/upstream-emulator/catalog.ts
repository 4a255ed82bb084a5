// The SCM master data the emulator checks journal rows against, and its validation.
import { z } from 'zod';
import type { Catalog } from './types';

const id = z.string().trim().min(1, 'must be a non-empty string');

const catalogSchema = z.strictObject({
  organizations: z.array(id),
  items: z.array(
    z.strictObject({
      organizationId: id,
      itemNumber: id,
      name: z.string().optional(),
      trackingDimensionGroup: z.string().optional(),
    }),
  ),
  warehouses: z.array(
    z.strictObject({ organizationId: id, siteId: id, locationId: id, name: z.string().optional() }),
  ),
  journalNames: z.array(
    z.strictObject({
      organizationId: id,
      journalNameId: id,
      default: z.boolean().optional(),
      description: z.string().optional(),
      deleteLinesAfterPosting: z.boolean().optional(),
    }),
  ),
  barcodes: z
    .array(
      z.strictObject({
        organizationId: id,
        barcode: id,
        itemNumber: id,
        dimensions: z.record(z.string(), z.string()).optional(),
      }),
    )
    .optional(),
  onHand: z.array(
    z.strictObject({
      organizationId: id,
      itemNumber: id,
      dimensions: z.record(z.string(), z.string()),
      quantity: z.number(),
    }),
  ),
});

const items = (org: string, prefix: string, from: number, to: number, name: string) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    organizationId: org,
    itemNumber: `${prefix}${String(from + i).padStart(4, '0')}`,
    name: `${name} ${from + i}`,
  }));

/** Covers the example line of Microsoft's article (D0001, usmf, site 1, warehouse 13) and a second company. */
export const demoCatalog: Catalog = {
  organizations: ['usmf', 'usrt'],
  items: [
    ...items('usmf', 'D', 1, 10, 'Speaker cable'),
    ...items('usmf', 'T', 1, 3, 'Television'),
    { organizationId: 'usmf', itemNumber: 'M0001', name: 'Mid-range speaker' },
    ...items('usrt', 'D', 1, 3, 'Speaker cable'),
  ],
  barcodes: [
    {
      organizationId: 'usmf',
      barcode: '0123456789012',
      itemNumber: 'D0001',
      dimensions: { colorId: 'red', sizeId: 'S', styleId: 'women' },
    },
    { organizationId: 'usmf', barcode: '0123456789029', itemNumber: 'D0002' },
  ],
  warehouses: [
    { organizationId: 'usmf', siteId: '1', locationId: '11' },
    { organizationId: 'usmf', siteId: '1', locationId: '12' },
    { organizationId: 'usmf', siteId: '1', locationId: '13', name: 'Store front' },
    { organizationId: 'usmf', siteId: '2', locationId: '21' },
    { organizationId: 'usmf', siteId: '2', locationId: '22' },
    { organizationId: 'usrt', siteId: '1', locationId: '11' },
  ],
  journalNames: [
    { organizationId: 'usmf', journalNameId: 'IVAdj', default: true, description: 'IV adjustments' },
    { organizationId: 'usmf', journalNameId: 'IVAdj2' },
    { organizationId: 'usrt', journalNameId: 'IVAdj', default: true },
  ],
  onHand: [
    {
      organizationId: 'usmf',
      itemNumber: 'D0001',
      dimensions: { siteId: '1', locationId: '13' },
      quantity: 100,
    },
    {
      organizationId: 'usmf',
      itemNumber: 'D0002',
      dimensions: { siteId: '1', locationId: '11' },
      quantity: 50,
    },
    {
      organizationId: 'usmf',
      itemNumber: 'D0003',
      dimensions: { siteId: '1', locationId: '12', colorId: 'red', sizeId: 'S', styleId: 'women' },
      quantity: 25,
    },
    {
      organizationId: 'usrt',
      itemNumber: 'D0001',
      dimensions: { siteId: '1', locationId: '11' },
      quantity: 10,
    },
  ],
};

export class CatalogError extends Error {}

/** Validates an unknown value as a Catalog; the error message names the offending key. */
export function parseCatalog(input: unknown): Catalog {
  const parsed = catalogSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw new CatalogError(`Invalid catalog: ${problems.join('; ')}`);
  }
  const catalog = parsed.data;
  const orgs = new Set(catalog.organizations.map((o) => o.toLowerCase()));
  const lists = ['items', 'warehouses', 'journalNames', 'onHand', 'barcodes'] as const;
  for (const list of lists) {
    (catalog[list] ?? []).forEach((entry, i) => {
      if (!orgs.has(entry.organizationId.toLowerCase())) {
        throw new CatalogError(
          `Invalid catalog: ${list}[${i}].organizationId: '${entry.organizationId}' is not listed in organizations`,
        );
      }
    });
  }
  const defaults = new Set<string>();
  catalog.journalNames.forEach((name, i) => {
    const org = name.organizationId.toLowerCase();
    if (!name.default) return;
    if (defaults.has(org)) {
      throw new CatalogError(
        `Invalid catalog: journalNames[${i}].default: organization '${name.organizationId}' already has a default journal name`,
      );
    }
    defaults.add(org);
  });
  return catalog;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

const lower = (s: string) => s.toLowerCase();

/** Case-insensitive lookups, as SCM's SQL collation does; answers SCM's own spelling. */
export class CatalogIndex {
  private readonly orgs = new Map<string, string>();
  private readonly items = new Map<string, string>();
  private readonly sites = new Map<string, string>();
  private readonly warehouses = new Map<string, string>();
  private readonly journalNames = new Map<string, string>();
  private readonly defaults = new Map<string, string>();
  private readonly deletingLines = new Set<string>();
  /** The master data as SCM's OData entities list it (master-data.ts), in catalog order. */
  readonly master: Required<Pick<Catalog, 'items' | 'warehouses' | 'journalNames' | 'barcodes'>> = {
    items: [],
    warehouses: [],
    journalNames: [],
    barcodes: [],
  };

  constructor(catalog: Catalog) {
    for (const org of catalog.organizations) this.orgs.set(lower(org), org);
    for (const item of catalog.items) this.addItem(item.organizationId, item.itemNumber, item);
    for (const w of catalog.warehouses) this.addWarehouse(w.organizationId, w.siteId, w.locationId, w.name);
    for (const j of catalog.journalNames)
      this.addJournalName(
        j.organizationId,
        j.journalNameId,
        j.default,
        j.description,
        j.deleteLinesAfterPosting,
      );
    this.master.barcodes.push(...(catalog.barcodes ?? []));
  }

  addOrganization(org: string): void {
    if (!this.orgs.has(lower(org))) this.orgs.set(lower(org), org);
  }
  addItem(org: string, item: string, detail: { name?: string; trackingDimensionGroup?: string } = {}): void {
    this.addOrganization(org);
    if (!this.items.has(key(org, item)))
      this.master.items.push({ organizationId: org, itemNumber: item, ...detail });
    this.items.set(key(org, item), item);
  }
  addWarehouse(org: string, site: string, location: string, name?: string): void {
    this.addOrganization(org);
    if (!this.warehouses.has(key(org, site, location)))
      this.master.warehouses.push({ organizationId: org, siteId: site, locationId: location, name });
    this.sites.set(key(org, site), site);
    this.warehouses.set(key(org, site, location), location);
  }
  addJournalName(
    org: string,
    name: string,
    isDefault?: boolean,
    description?: string,
    deleteLinesAfterPosting?: boolean,
  ): void {
    this.addOrganization(org);
    if (deleteLinesAfterPosting) this.deletingLines.add(key(org, name));
    if (!this.journalNames.has(key(org, name)))
      this.master.journalNames.push({ organizationId: org, journalNameId: name, description });
    this.journalNames.set(key(org, name), name);
    if (isDefault) this.defaults.set(lower(org), name);
  }

  organization(org: string): string | undefined {
    return this.orgs.get(lower(org));
  }
  item(org: string, item: string): string | undefined {
    return this.items.get(key(org, item));
  }
  site(org: string, site: string): string | undefined {
    return this.sites.get(key(org, site));
  }
  warehouse(org: string, site: string, location: string): string | undefined {
    return this.warehouses.get(key(org, site, location));
  }
  journalName(org: string, name: string): string | undefined {
    return this.journalNames.get(key(org, name));
  }
  /** Whether this journal name deletes a journal's lines once it is posted. */
  deletesLinesAfterPosting(org: string, name: string): boolean {
    return this.deletingLines.has(key(org, name));
  }
  defaultJournalName(org: string): string | undefined {
    return this.defaults.get(lower(org));
  }
}

const key = (...parts: string[]) => JSON.stringify(parts.map(lower));
