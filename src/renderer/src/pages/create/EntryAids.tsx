import { Button, Group, Kbd, Modal, Stack, Text } from '@mantine/core';
import { formatNumber } from '../../components/format';
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

/** A quantity at or beyond this PC's threshold is posted only once the clerk confirms it (item 8). */
export function LargeQuantityModal(props: {
  pending: FormValues | null;
  threshold: number;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { pending } = props;
  const quantity = Number(String(pending?.quantity ?? '').replace(',', '.'));
  return (
    // Focus goes where the page says (Product after a post, Quantity on Escape), not back to Quantity.
    <Modal
      opened={pending !== null}
      onClose={props.onCancel}
      title="Post a large quantity?"
      centered
      returnFocus={false}
    >
      <Stack>
        <Text size="sm">
          {pending?.productId.trim()}, quantity <b>{formatNumber(quantity)}</b>: that is{' '}
          {formatNumber(props.threshold)} or more, the limit set for this PC under Settings. Is the quantity
          right, and not a scan that landed in Quantity?
        </Text>
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
