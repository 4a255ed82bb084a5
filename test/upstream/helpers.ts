import { type JournalRow, type OnHandEvent, UpstreamError } from '../../src/main/upstream';

export const event = (id: string, quantity = 1): OnHandEvent => ({
  id,
  organizationId: 'usmf',
  productId: 'D0001',
  dimensions: { siteId: '1', locationId: '13' },
  quantities: { '@iv': { adjustment: quantity } },
});

/** The UpstreamError a call rejects with; anything else fails the test. */
export async function caught(p: Promise<unknown>): Promise<UpstreamError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof UpstreamError) return err;
    throw err;
  }
  throw new Error('expected an UpstreamError');
}

/** One journal-file row of D0001 at site 1, warehouse 13; `extra` overrides columns. */
export const journalRow = (id: string, extra: JournalRow = {}): JournalRow => ({
  InventoryServiceTransactionId: id,
  dataAreaId: 'usmf',
  JournalNameId: null,
  InventoryServiceJournalExpectedStatus: 'Created',
  ItemNumber: 'D0001',
  InventorySiteId: '1',
  InventoryWarehouseId: '13',
  TransactionDate: '2024-05-01',
  InventoryQuantity: 1,
  UnitCost: null,
  InventoryServiceAdjustmentOffsetDatasource: '@iv',
  InventoryServiceAdjustmentOffsetPhysicalMeasure: 'adjustment',
  ...extra,
});
