import { Kbd, Text } from '@mantine/core';
import type { KnownOnHand } from '../../components/LargeQuantityModal';
import { rpc } from '../../rpc/client';
import { type FormValues, keptValues } from './form-model';

/** What the form keeps for the next line, beside Post, and the key that clears it: nothing carries unseen. */
export function KeptValues({ values }: { values: FormValues }) {
  const kept = keptValues(values);
  if (kept.length === 0) return null;
  return (
    <Text size="sm" data-testid="kept-values" style={{ minWidth: 0 }} lineClamp={2}>
      Kept for the next line: {kept.map(([label, value]) => `${label} ${value}`).join(' · ')} · <Kbd>Esc</Kbd>{' '}
      clears
    </Text>
  );
}

/**
 * The last known on-hand of the line's item at its site and warehouse (the variants its
 * dimensions name), from the ledger's cache; null when nothing is known or the read fails.
 */
export async function lastKnownOnHand(line: {
  organizationId: string;
  productId: string;
  dimensions: Record<string, unknown>;
}): Promise<KnownOnHand | null> {
  const dims = line.dimensions as Record<string, string | undefined>;
  try {
    const answer = await rpc('onhand.get', {
      organizationId: line.organizationId,
      productId: line.productId,
      siteId: dims.siteId,
      locationId: dims.locationId,
      live: false,
    });
    const rows = answer.rows.filter((r) =>
      Object.entries(r.dimensions).every(
        ([k, v]) => line.dimensions[k] === undefined || line.dimensions[k] === v,
      ),
    );
    if (rows.length === 0) return null;
    const ivAt =
      rows
        .map((r) => r.ivAt)
        .filter((t): t is string => t !== null)
        .sort()
        .at(-1) ?? null;
    return { total: rows.reduce((sum, r) => sum + r.total, 0), ivAt };
  } catch {
    return null;
  }
}
