import type { BusinessLayer } from '../../src/main/business-layer';
import { connectionOf } from '../../src/main/ledger/internal';
import type { OrganizationMasterData } from '../../src/shared/master-data';

/** The store's copy of SCM's master data for one organization, written as a refresh would. */
export async function seedMasterData(
  layer: BusinessLayer,
  organizationId: string,
  data: Partial<OrganizationMasterData> = {},
  refreshedAt = new Date().toISOString(),
): Promise<void> {
  const full: OrganizationMasterData = {
    products: [
      { itemNumber: 'D0001', name: 'Speaker cable 1', trackingDimensionGroup: null },
      { itemNumber: 'D0002', name: 'Speaker cable 2', trackingDimensionGroup: null },
      { itemNumber: '10000123', name: 'Numbered item', trackingDimensionGroup: null },
    ],
    barcodes: [
      {
        barcode: '0123456789012',
        itemNumber: 'D0001',
        dimensions: { colorId: 'red', sizeId: 'S', styleId: 'women' },
      },
      { barcode: '036000291452', itemNumber: 'D0002', dimensions: { colorId: 'blue' } },
    ],
    sites: [{ siteId: '1', name: 'Main' }],
    warehouses: [{ warehouseId: '13', siteId: '1', name: 'Store 13' }],
    journalNames: [{ journalNameId: 'IVJ', description: 'IV journal' }],
    notes: [],
    ...data,
  };
  await connectionOf(layer.ledger).bulk.run(
    layer.ledger.masterData.replacingOrganization(organizationId, full, refreshedAt),
  );
}
