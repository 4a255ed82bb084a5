import { Button, Group, Kbd, Modal, Stack, Text } from '@mantine/core';
import { formatDateTime, formatNumber } from '../../components/format';
import { rpc } from '../../rpc/client';
import { type FormValues, keptValues } from './form-model';

/** What the form keeps for the next line, beside Post, and the key that clears it (item 13). */
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

/** What the store last knew of an item's on-hand at a warehouse: IV's figure plus lines not yet in it. */
export interface KnownOnHand {
  total: number;
  /** When IV last said (null: only local lines are known). */
  ivAt: string | null;
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

/**
 * A quantity at or beyond this PC's threshold, or an issue bigger than the last known on-hand,
 * is posted only once the clerk confirms it (item 8).
 */
export function LargeQuantityModal(props: {
  pending: FormValues | null;
  threshold: number;
  onHand: KnownOnHand | null;
  onConfirm: () => void;
  onCancel: () => void;
  /** The dialog is gone (its closing transition ended): focus may move without the dialog taking it back. */
  onClosed?: () => void;
}) {
  const { pending, onHand } = props;
  const quantity = Number(String(pending?.quantity ?? '').replace(',', '.'));
  const where = `${pending?.siteId ?? ''} / ${pending?.locationId ?? ''}`;
  return (
    // Focus goes where the page says (Product after a post, Quantity on Escape), not back to Quantity.
    <Modal
      opened={pending !== null}
      onClose={props.onCancel}
      title={onHand ? 'Issue more than the store has?' : 'Post a large quantity?'}
      centered
      returnFocus={false}
      onExitTransitionEnd={props.onClosed}
    >
      <Stack>
        {onHand ? (
          <Text size="sm" data-testid="onhand-caution">
            {pending?.productId.trim()} at {where}: the last known on-hand is{' '}
            <b>{formatNumber(onHand.total)}</b>
            {onHand.ivAt
              ? ` (Inventory Visibility at ${formatDateTime(onHand.ivAt)}, with the lines not yet in it)`
              : ' (from the lines in this ledger; Inventory Visibility has not been asked yet)'}
            , and this line takes out <b>{formatNumber(-quantity)}</b>. Is the quantity right?
          </Text>
        ) : (
          <Text size="sm">
            {pending?.productId.trim()}, quantity <b>{formatNumber(quantity)}</b>: that is{' '}
            {formatNumber(props.threshold)} or more, the limit set for this PC under Settings. Is the quantity
            right, and not a scan that landed in Quantity?
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel}>
            Back to Quantity <Kbd ml={6}>Esc</Kbd>
          </Button>
          <Button onClick={props.onConfirm} data-autofocus>
            Post {formatNumber(quantity)} <Kbd ml={6}>Enter</Kbd>
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
