import { z } from 'zod';

/** What the store's copy of SCM's master data knows, shared by the UI, the RPC table and the API. */

export interface MasterDataOrganization {
  organizationId: string;
  /** ISO time of the last complete refresh. */
  refreshedAt: string;
  counts: { products: number; barcodes: number; sites: number; warehouses: number; journalNames: number };
  /** What could not be refreshed (e.g. an entity this SCM does not publish), in words. */
  notes: string[];
}

export interface MasterDataStatus {
  organizations: MasterDataOrganization[];
  /** The last refresh attempt, when it failed: why, in words. */
  lastError: string | null;
  refreshing: boolean;
  /** Hours between scheduled refreshes. */
  scheduleHours: number;
}

/** A caution about a line's codes, from the store's copy: never a refusal, as the copy can be stale. */
export interface EntryWarning {
  field: string;
  message: string;
}

export interface ItemLookup {
  organizationId: string;
  itemNumber: string;
  name: string | null;
  /** Product dimensions the barcode names (colorId, sizeId, ...), empty for an item number. */
  dimensions: Record<string, string>;
  matchedBy: 'barcode' | 'itemNumber';
}

export interface LookupResult {
  found: ItemLookup | null;
  warnings: EntryWarning[];
  /** When the organization's copy was refreshed; null if never. */
  asOf: string | null;
}

/** What was known about a line's codes when it was entered. */
export interface EntryCheck {
  lineRecordId: string;
  checkedAt: string;
  /** The copy's refresh time the check used; null when there was no copy for the organization. */
  masterDataAsOf: string | null;
  itemName: string | null;
  warnings: EntryWarning[];
  /** The barcode the line was entered with, when its item and variant were read from it. */
  scannedCode?: string | null;
}

/** A line's entry check before the line has its record ID. */
export type LineCheck = Omit<EntryCheck, 'lineRecordId'>;

const code = z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be blank' }).max(64, {
  error: 'must be at most 64 characters',
});

export const lookupInputSchema = z.strictObject({ organizationId: code, code });

const optionalCode = z
  .string({ error: 'must be a string' })
  .max(64, { error: 'must be at most 64 characters' });
/** Where the next lines go (Scan, Count): cautions before anything is recorded. */
export const placeInputSchema = z.strictObject({
  organizationId: code,
  siteId: optionalCode.optional(),
  locationId: optionalCode.optional(),
});

export const refreshInputSchema = z.strictObject({
  organizationIds: z.array(code).max(50, { error: 'must list at most 50 organizations' }).optional(),
});

/** One organization's master data as read from SCM, in the shape the ledger keeps it. */
export interface MasterProduct {
  itemNumber: string;
  name: string | null;
  trackingDimensionGroup: string | null;
}
export interface MasterBarcode {
  barcode: string;
  itemNumber: string;
  dimensions: Record<string, string>;
}
export interface MasterSite {
  siteId: string;
  name: string | null;
}
export interface MasterWarehouse {
  warehouseId: string;
  siteId: string | null;
  name: string | null;
}
export interface MasterJournalName {
  journalNameId: string;
  description: string | null;
}

export interface OrganizationMasterData {
  products: MasterProduct[];
  barcodes: MasterBarcode[];
  sites: MasterSite[];
  warehouses: MasterWarehouse[];
  /** null: the entity could not be read (see notes); keep what the copy had. */
  journalNames: MasterJournalName[] | null;
  notes: string[];
}
