import type { LookupResult } from '../../../../shared/master-data';
import { itemAndVariant } from '../../components/variant';

/**
 * The Product field's description: the name when the copy knows it, its caution when not. A
 * barcode says what the line will be posted as (its item and variant), since the form shows the
 * barcode as scanned while the ledger stores the item.
 */
export function itemHintText(hint: LookupResult | null): { text: string; caution: boolean } | null {
  if (!hint) return null;
  const found = hint.found;
  if (found?.matchedBy === 'barcode')
    return {
      text: `${found.name ?? found.itemNumber}: posts as ${itemAndVariant(found.itemNumber, found.dimensions)}`,
      caution: false,
    };
  if (found) return { text: found.name ?? found.itemNumber, caution: false };
  const warning = hint.warnings[0];
  return warning ? { text: warning.message, caution: true } : null;
}
