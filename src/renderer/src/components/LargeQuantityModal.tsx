import { Button, Group, Kbd, Modal, Stack, Text } from '@mantine/core';
import { formatDateTime, formatNumber } from './format';

/** What the store last knew of an item's on-hand at a warehouse: IV's figure plus lines not yet in it. */
export interface KnownOnHand {
  total: number;
  /** When IV last said (null: only local lines are known). */
  ivAt: string | null;
}

/** A line waiting for the clerk's yes before it is recorded. */
export interface QuantityQuestion {
  /** The item as the clerk entered it (a barcode stays a barcode: it is what they scanned). */
  item: string;
  quantity: number;
  /** "1 / 13": site and warehouse. */
  where: string;
  /** Set when the question is an issue bigger than the last known on-hand (Create). */
  onHand: KnownOnHand | null;
  /**
   * The pipeline's own question, when it asked after the line was sent (this window's copy of
   * the threshold was older than the store's). The clerk may have typed on meanwhile, so the
   * safe answer has the focus: a scanner's Enter must not confirm a quantity nobody looked at.
   */
  asked: string | null;
}

/**
 * A quantity at or beyond the store's threshold, or an issue bigger than the last known
 * on-hand, is recorded only once the clerk says yes (Create and Scan).
 */
export function LargeQuantityModal(props: {
  question: QuantityQuestion | null;
  threshold: number;
  /** The page's word for storing a line: Create posts, Scan records. */
  verb: 'Post' | 'Record';
  /** "Back to Quantity" (the line is still in the fields) or "Don't record" (it was sent). */
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** The dialog is gone (its closing transition ended): focus may move without the dialog taking it back. */
  onClosed?: () => void;
}) {
  const { question: q } = props;
  const onHand = q?.onHand ?? null;
  const safeFirst = Boolean(q?.asked);
  return (
    // Focus goes where the page says (the next field after a yes, Quantity on Escape), not back.
    <Modal
      opened={q !== null}
      onClose={props.onCancel}
      title={onHand ? 'Issue more than the store has?' : `${props.verb} a large quantity?`}
      centered
      // Wide enough for both answers side by side, each with its key.
      size={500}
      returnFocus={false}
      onExitTransitionEnd={props.onClosed}
    >
      <Stack>
        {onHand ? (
          <Text size="sm" data-testid="onhand-caution">
            {q?.item} at {q?.where}: the last known on-hand is <b>{formatNumber(onHand.total)}</b>
            {onHand.ivAt
              ? ` (Inventory Visibility at ${formatDateTime(onHand.ivAt)}, with the lines not yet in it)`
              : ' (from the lines in this ledger; Inventory Visibility has not been asked yet)'}
            , and this line takes out <b>{formatNumber(-(q?.quantity ?? 0))}</b>. Is the quantity right?
          </Text>
        ) : q?.asked ? (
          <Text size="sm" data-testid="large-quantity-question">
            {q.asked} (at {q.where}; asked after it was sent, as the store's limit changed since this page
            opened)
          </Text>
        ) : (
          <Text size="sm" data-testid="large-quantity-question">
            {q?.item} at {q?.where}, quantity <b>{formatNumber(q?.quantity)}</b>: that is{' '}
            {formatNumber(props.threshold)} or more, the store's limit under Settings → Entry. Is the quantity
            right, and not a scan that landed in Quantity?
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel} data-autofocus={safeFirst || undefined}>
            {props.cancelLabel} <Kbd ml={6}>Esc</Kbd>
          </Button>
          <Button onClick={props.onConfirm} data-autofocus={!safeFirst || undefined}>
            {props.verb} {formatNumber(q?.quantity)}
            {!safeFirst && <Kbd ml={6}>Enter</Kbd>}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/**
 * Whether the focus was lost with the dialog (on the page's body, or still in the closing
 * dialog). Only then may its close move the focus: the clerk who answered with Enter may already
 * be scanning into the next field, and a late move would send the rest of the scan elsewhere.
 */
export function focusLostWithDialog(): boolean {
  const active = document.activeElement;
  return !active || active === document.body || active.closest('[role="dialog"]') !== null;
}
