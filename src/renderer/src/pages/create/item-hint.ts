import { useEffect, useState } from 'react';
import type { LookupResult } from '../../../../shared/master-data';
import { rpc } from '../../rpc/client';

export { itemHintText } from './item-hint-text';

/** Wait this long after the last keystroke: a scanner types a whole code in a few milliseconds. */
const SETTLE_MS = 150;

/**
 * The item's name from the store's copy of SCM's master data, beside the number as it is
 * typed or scanned; or the copy's caution when it does not know the code. Never blocks entry.
 */
export function useItemHint(organizationId: string, productId: string): LookupResult | null {
  const [hint, setHint] = useState<LookupResult | null>(null);
  useEffect(() => {
    const org = organizationId.trim();
    const code = productId.trim();
    setHint(null);
    if (org === '' || code === '') return;
    let current = true;
    const timer = setTimeout(() => {
      rpc('masterData.lookup', { organizationId: org, code })
        .then((result) => {
          if (current) setHint(result);
        })
        .catch(() => undefined);
    }, SETTLE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [organizationId, productId]);
  return hint;
}
