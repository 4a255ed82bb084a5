import type { AdjustmentLine } from '../../shared/adjustment';
import type { EntryWarning, ItemLookup, LineCheck, LookupResult } from '../../shared/master-data';
import type { MasterDataStore } from '../ledger/master-data';
import type { MdRefreshRow } from '../ledger/store-knowledge-schema';

/**
 * "as of 09:12 today": the copy's age in the clerk's words, in the store's local time (never
 * a UTC timestamp).
 */
export function describeAsOf(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  const time = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  const day = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((day(now) - day(at)) / 86_400_000);
  if (days === 0) return `${time} today`;
  if (days === 1) return `${time} yesterday`;
  const date = at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
  return `${time} on ${date}`;
}

/**
 * What the store's copy says about one line's codes: warnings in words, never a refusal
 * (the copy can be older than SCM). An organization never refreshed is not checked.
 * `refresh` is the organization's last refresh when the caller already read it (a bulk
 * checks many lines of one organization; null: never refreshed); by default it is read here.
 */
export function checkLine(
  store: MasterDataStore,
  line: Pick<AdjustmentLine, 'organizationId' | 'productId' | 'dimensions' | 'fnoJournalNameId'>,
  now: Date = new Date(),
  refresh: MdRefreshRow | null | undefined = store.refreshOf(line.organizationId),
): LineCheck {
  const org = line.organizationId;
  const checkedAt = now.toISOString();
  if (!refresh) return { checkedAt, masterDataAsOf: null, itemName: null, warnings: [] };
  const asOf = `as of ${describeAsOf(refresh.refreshed_at, now)}`;
  const warnings: EntryWarning[] = [];
  const product = store.product(org, line.productId);
  if (!product)
    warnings.push({
      field: 'productId',
      message: `${line.productId} is not a released product in ${org} ${asOf}`,
    });
  warnings.push(...placeWarnings(store, org, line.dimensions.siteId, line.dimensions.locationId, asOf));
  const journal = line.fnoJournalNameId;
  if (journal && refresh.journal_names_known === 1 && !store.hasJournalName(org, journal))
    warnings.push({
      field: 'fnoJournalNameId',
      message: `${journal} is not an inventory journal name in ${org} ${asOf}`,
    });
  return { checkedAt, masterDataAsOf: refresh.refreshed_at, itemName: product?.name ?? null, warnings };
}

/** Cautions about a site and warehouse (either may be absent), `asOf` the copy's age in words. */
function placeWarnings(
  store: MasterDataStore,
  org: string,
  site: string | undefined,
  location: string | undefined,
  asOf: string,
): EntryWarning[] {
  const warnings: EntryWarning[] = [];
  if (site !== undefined && !store.hasSite(org, site))
    warnings.push({ field: 'dimensions.siteId', message: `Site ${site} is not a site of ${org} ${asOf}` });
  if (location !== undefined) {
    const warehouse = store.warehouse(org, location);
    if (!warehouse)
      warnings.push({
        field: 'dimensions.locationId',
        message: `Warehouse ${location} is not a warehouse of ${org} ${asOf}`,
      });
    else if (
      site !== undefined &&
      warehouse.site_id !== null &&
      warehouse.site_id.toLowerCase() !== site.toLowerCase()
    )
      warnings.push({
        field: 'dimensions.locationId',
        message: `Warehouse ${location} belongs to site ${warehouse.site_id} in ${org}, not site ${site} (${asOf})`,
      });
  }
  return warnings;
}

/**
 * Where the next lines will go, checked before any is recorded (the Scan and Count screens'
 * site and warehouse): cautions in words, none when the organization's copy was never loaded.
 */
export function checkPlace(
  store: MasterDataStore,
  place: { organizationId: string; siteId?: string; locationId?: string },
  now: Date = new Date(),
): EntryWarning[] {
  const refresh = store.refreshOf(place.organizationId);
  if (!refresh) return [];
  const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  return placeWarnings(
    store,
    place.organizationId,
    blank(place.siteId),
    blank(place.locationId),
    `as of ${describeAsOf(refresh.refreshed_at, now)}`,
  );
}

/** A scanned or typed code: a barcode first (it names the item and its dimensions), then an item number. */
export function lookupCode(
  store: MasterDataStore,
  organizationId: string,
  code: string,
  now = new Date(),
): LookupResult {
  const refresh = store.refreshOf(organizationId);
  const asOf = refresh?.refreshed_at ?? null;
  const barcode = store.barcode(organizationId, code);
  let found: ItemLookup | null = null;
  if (barcode) {
    found = {
      organizationId,
      itemNumber: barcode.item_number,
      name: store.product(organizationId, barcode.item_number)?.name ?? null,
      dimensions: JSON.parse(barcode.dimensions) as Record<string, string>,
      matchedBy: 'barcode',
    };
  } else {
    const product = store.product(organizationId, code);
    if (product)
      found = {
        organizationId,
        itemNumber: product.item_number,
        name: product.name,
        dimensions: {},
        matchedBy: 'itemNumber',
      };
  }
  const warnings: EntryWarning[] = [];
  if (!found)
    warnings.push({
      field: 'code',
      message: refresh
        ? `${code} is neither a barcode nor a released product in ${organizationId} as of ${describeAsOf(refresh.refreshed_at, now)}`
        : `${organizationId}'s item list has not been loaded from SCM yet: ${code} could not be checked`,
    });
  return { found, warnings, asOf };
}
