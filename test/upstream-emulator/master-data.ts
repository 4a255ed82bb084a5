// SCM's public master-data entities, served from the catalog: what the app caches for entry.
// Entity and field names follow the SAP Cloud SDK client generated from a live F&O $metadata
// (service "d365_metadata", public on GitHub): ReleasedProductsV2 (key dataAreaId, ItemNumber;
// SearchName, ProductSearchName, TrackingDimensionGroupName), ProductBarcodesV3 (key dataAreaId,
// ItemNumber, the product dimensions, BarcodeSetupId, Barcode; ProductDescription),
// OperationalSites (key dataAreaId, SiteId; SiteName), Warehouses (key dataAreaId, WarehouseId;
// WarehouseName, OperationalSiteId). No inventory journal name entity is in that $metadata: the
// emulator serves one (JournalNameId, Description) only under the name `journalNamesEntitySet`
// says (none by default), as a tenant with a custom entity would.
import type { Row } from './odata-filter';
import type { EntitySet } from './scm-http';
import type { EmulatorState } from './state';

const set = (type: string, fields: readonly string[], rows: (s: EmulatorState) => Row[]): EntitySet => ({
  type: `Microsoft.Dynamics.DataEntities.${type}`,
  fields,
  rows,
  indexed: [],
  lookup: (s) => rows(s),
});

const dim = (dims: Record<string, string> | undefined, name: string) => dims?.[name] ?? '';

export const MASTER_DATA_ENTITY_SETS: Record<string, EntitySet> = {
  ReleasedProductsV2: set(
    'ReleasedProductV2',
    ['dataAreaId', 'ItemNumber', 'SearchName', 'ProductSearchName', 'TrackingDimensionGroupName'],
    (s) =>
      s.catalog.master.items.map((i) => ({
        dataAreaId: i.organizationId,
        ItemNumber: i.itemNumber,
        SearchName: i.name ?? i.itemNumber,
        ProductSearchName: i.name ?? i.itemNumber,
        TrackingDimensionGroupName: i.trackingDimensionGroup ?? 'None',
      })),
  ),
  ProductBarcodesV3: set(
    'ProductBarcodeV3',
    [
      'dataAreaId',
      'ItemNumber',
      'ProductConfigurationId',
      'ProductColorId',
      'ProductSizeId',
      'ProductStyleId',
      'ProductVersionId',
      'ProductQuantityUnitSymbol',
      'BarcodeSetupId',
      'Barcode',
      'ProductDescription',
    ],
    (s) =>
      s.catalog.master.barcodes.map((b) => ({
        dataAreaId: b.organizationId,
        ItemNumber: b.itemNumber,
        ProductConfigurationId: dim(b.dimensions, 'configId'),
        ProductColorId: dim(b.dimensions, 'colorId'),
        ProductSizeId: dim(b.dimensions, 'sizeId'),
        ProductStyleId: dim(b.dimensions, 'styleId'),
        ProductVersionId: dim(b.dimensions, 'versionId'),
        ProductQuantityUnitSymbol: 'ea',
        BarcodeSetupId: 'EAN13',
        Barcode: b.barcode,
        ProductDescription: '',
      })),
  ),
  OperationalSites: set('OperationalSite', ['dataAreaId', 'SiteId', 'SiteName'], (s) => {
    const seen = new Set<string>();
    const rows: Row[] = [];
    for (const w of s.catalog.master.warehouses) {
      const k = `${w.organizationId.toLowerCase()}|${w.siteId.toLowerCase()}`;
      if (seen.has(k)) continue;
      seen.add(k);
      rows.push({ dataAreaId: w.organizationId, SiteId: w.siteId, SiteName: `Site ${w.siteId}` });
    }
    return rows;
  }),
  Warehouses: set('Warehouse', ['dataAreaId', 'WarehouseId', 'WarehouseName', 'OperationalSiteId'], (s) =>
    s.catalog.master.warehouses.map((w) => ({
      dataAreaId: w.organizationId,
      WarehouseId: w.locationId,
      WarehouseName: w.name ?? `Warehouse ${w.locationId}`,
      OperationalSiteId: w.siteId,
    })),
  ),
};

/** Journal names, under whatever entity set name `journalNamesEntitySet` gives them. */
export const JOURNAL_NAMES_SET: EntitySet = set(
  'InventoryJournalName',
  ['dataAreaId', 'JournalNameId', 'Description'],
  (s) =>
    s.catalog.master.journalNames.map((j) => ({
      dataAreaId: j.organizationId,
      JournalNameId: j.journalNameId,
      Description: j.description ?? j.journalNameId,
    })),
);
