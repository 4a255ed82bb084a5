import type { AdjustmentLine } from '../../shared/adjustment';
import type { LineCheck } from '../../shared/master-data';
import type { MasterDataStore } from '../ledger/master-data';
import type { MdRefreshRow } from '../ledger/store-knowledge-schema';
import { checkLine } from './checks';

/** A barcode as the store's copy knows it: the item and the variant it names. */
export interface KnownBarcode {
  itemNumber: string;
  dimensions: Record<string, string>;
}

/**
 * What the entry pipeline asks the store's copy of SCM's master data about one request's
 * lines. A bulk names a few organizations, items and warehouses many times: each organization's
 * refresh is read once, each answer looked up once. Nothing here refuses a line: the pipeline
 * decides (ingest/review.ts).
 */
export interface EntryKnowledge {
  /** Whether the organization's copy was ever loaded: without it nothing can be looked up. */
  known(organizationId: string): boolean;
  isItem(organizationId: string, itemNumber: string): boolean;
  barcode(organizationId: string, code: string): KnownBarcode | null;
  /** The master-data check of a (resolved) line: cautions in words. */
  check(line: AdjustmentLine): LineCheck;
}

export function entryKnowledge(store: MasterDataStore, now: Date = new Date()): EntryKnowledge {
  const refreshes = new Map<string, MdRefreshRow | null>();
  const refreshOf = (org: string): MdRefreshRow | null => {
    let refresh = refreshes.get(org);
    if (refresh === undefined) {
      refresh = store.refreshOf(org) ?? null;
      refreshes.set(org, refresh);
    }
    return refresh;
  };
  const items = new Map<string, boolean>();
  const barcodes = new Map<string, KnownBarcode | null>();
  const checks = new Map<string, LineCheck>();
  let unchecked: LineCheck | undefined;
  return {
    known: (org) => refreshOf(org) !== null,
    isItem(org, itemNumber) {
      if (!refreshOf(org)) return false;
      const key = `${org}\u0000${itemNumber}`;
      let found = items.get(key);
      if (found === undefined) {
        found = store.product(org, itemNumber) !== undefined;
        items.set(key, found);
      }
      return found;
    },
    barcode(org, code) {
      if (!refreshOf(org)) return null;
      const key = `${org}\u0000${code}`;
      let found = barcodes.get(key);
      if (found === undefined) {
        const row = store.barcode(org, code);
        found = row
          ? { itemNumber: row.item_number, dimensions: JSON.parse(row.dimensions) as Record<string, string> }
          : null;
        barcodes.set(key, found);
      }
      return found;
    },
    check(line) {
      const refresh = refreshOf(line.organizationId);
      // An organization never refreshed is not checked: one answer for all its lines.
      if (!refresh) {
        unchecked ??= checkLine(store, line, now, null);
        return unchecked;
      }
      const key = JSON.stringify([
        line.organizationId.toLowerCase(),
        line.productId.toLowerCase(),
        line.dimensions.siteId,
        line.dimensions.locationId,
        line.fnoJournalNameId,
      ]);
      let check = checks.get(key);
      if (!check) {
        check = checkLine(store, line, now, refresh);
        checks.set(key, check);
      }
      return check;
    },
  };
}
