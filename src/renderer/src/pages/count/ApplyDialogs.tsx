import { Button, Checkbox, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { type CountWaiting, roundQuantity } from '../../../../shared/counts';
import { formatNumber } from '../../components/format';

import { asOf, itemName, signed, waitingWords } from './count-words';

/**
 * Apply refused because IV did not answer for some items: the manager sees each of them and
 * chooses, per item, to post against IV's last known figure (as of its time); an item IV never
 * gave a figure for can only be removed from the count, or the count waits until IV answers.
 */
export function WaitingForIvDialog(props: {
  waiting: CountWaiting[] | null;
  onApply: (useLastKnown: number[]) => void;
  onRemove: (item: number) => void;
  onClose: () => void;
}) {
  const { waiting } = props;
  // The page mounts the dialog afresh for each refusal: nothing is ticked until the manager ticks it.
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const list = waiting ?? [];
  const noFigure = list.filter((w) => !w.lastKnown);
  const ready = noFigure.length === 0 && list.every((w) => chosen.has(w.item));
  return (
    <Modal
      opened={waiting !== null}
      onClose={props.onClose}
      title="Not applied: IV is not answering"
      size="lg"
      returnFocus={false}
    >
      <Stack gap="sm">
        <Text size="sm">
          A count is compared with the on-hand when it is applied, never with an unknown figure. IV could not
          be asked for {list.length === 1 ? 'this item' : `these ${list.length} items`}. Nothing was posted.
        </Text>
        {list.map((w) =>
          w.lastKnown ? (
            <Checkbox
              key={w.item}
              checked={chosen.has(w.item)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setChosen((c) => {
                  const next = new Set(c);
                  if (on) next.add(w.item);
                  else next.delete(w.item);
                  return next;
                });
              }}
              label={`${itemName(w)}: use last known on-hand ${formatNumber(w.lastKnown.onHand)} as of ${asOf(w.lastKnown.at)}`}
              description={`Counted ${formatNumber(w.counted)}: posts ${signed(roundQuantity(w.counted - (w.lastKnown.onHand + w.lastKnown.pending)))}${w.lastKnown.pending === 0 ? '' : ` (pending here ${signed(w.lastKnown.pending)} included)`}.`}
            />
          ) : (
            <Stack key={w.item} gap={4} align="flex-start">
              <Text size="sm">
                <b>{itemName(w)}</b> (counted {formatNumber(w.counted)}): {waitingWords(w)}
              </Text>
              <Button size="xs" variant="light" color="red" onClick={() => props.onRemove(w.item)}>
                Remove {itemName(w)} from the count
              </Button>
            </Stack>
          ),
        )}
        {!ready && (
          <Text size="sm" c="dimmed">
            {noFigure.length > 0
              ? 'Remove the items without a figure, or wait until IV answers.'
              : 'Tick each item to post it against its last known on-hand, or wait until IV answers.'}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Wait for IV
          </Button>
          <Button color="green" disabled={!ready} onClick={() => props.onApply([...chosen])}>
            Apply with the chosen figures
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The pipeline's large-quantity question about the count's differences, answered before anything posts. */
export function LargeDifferenceDialog(props: {
  question: string | null;
  onYes: () => void;
  onNo: () => void;
}) {
  return (
    <Modal opened={props.question !== null} onClose={props.onNo} title="Large difference" returnFocus={false}>
      <Stack gap="sm">
        <Text size="sm">{props.question}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onNo}>
            No, recount
          </Button>
          <Button color="green" onClick={props.onYes} data-autofocus>
            Yes, apply
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
