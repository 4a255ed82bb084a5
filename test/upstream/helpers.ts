import {
  type EnqueuePayload,
  type JournalFile,
  type OnHandEvent,
  UpstreamError,
} from '../../src/main/upstream';
import { buildJournalPayload } from '../../src/main/upstream/data-package';
import { DEFAULT_IMPORT_PROFILE } from '../../src/shared/import-profile';

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

export type LineRow = JournalFile['lines'][number];

/** One journal line of D0001 at site 1, warehouse 13; `extra` overrides fields. */
export const journalRow = (id: string, extra: LineRow = {}): LineRow => ({
  InventoryServiceTransactionId: id,
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

/**
 * A data package of the shipped default profile holding one journal of these lines, with the
 * expected status on its header (docs/dynamics-contract.md §2).
 */
export function journalPackage(
  lines: readonly LineRow[],
  header: { expected?: 'Posted' | 'Created'; journalNameId?: string } = {},
): EnqueuePayload {
  const reference = 'SL-test-1';
  return buildJournalPayload(
    DEFAULT_IMPORT_PROFILE,
    [
      {
        header: {
          JournalNumber: reference,
          JournalNameId: header.journalNameId ?? '',
          Description: 'test journal',
          InventoryServiceJournalExpectedStatus: header.expected ?? 'Created',
        },
        lines: lines.map((l) => ({ ...l, JournalNumber: reference })),
      },
    ],
    'test package',
  );
}
