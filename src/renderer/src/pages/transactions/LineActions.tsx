import { Anchor, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { DetailedLine } from '../../../../shared/views';
import { href, navigate } from '../../app/router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime, formatNumber } from '../../components/format';
import { ReasonModal } from '../../components/ReasonModal';
import { rpc } from '../../rpc/client';

const lineHref = (lineRecordId: string) => href('transactions', { tab: 'detailed', line: lineRecordId });

/**
 * Void (a line that never left the ledger) or Correct (a line that did, by posting its
 * reversing line), and the links between a line and its correction (issue 9 item 9).
 */
export function LineActions({ line, onChanged }: { line: DetailedLine; onChanged: () => void }) {
  const [voiding, setVoiding] = useState(false);
  const [correcting, setCorrecting] = useState(false);
  const canVoid = line.status === 'Created' && line.attempts === 0;
  const canCorrect =
    (line.status === 'IVPosted' || line.status === 'Aggregated') && !line.corrects && !line.correctedBy;
  return (
    <Stack gap={6} data-testid="line-actions">
      {line.status === 'Voided' && (
        <Text size="sm">
          Voided {formatDateTime(line.voidedAt)} by {line.voidedBy}: <b>{line.voidReason}</b>
        </Text>
      )}
      {line.corrects && (
        <Text size="sm">
          Corrects <Anchor href={lineHref(line.corrects)}>the line it reverses</Anchor>
        </Text>
      )}
      {line.correctedBy && (
        <Text size="sm">
          Corrected by <Anchor href={lineHref(line.correctedBy)}>its reversing line</Anchor>
        </Text>
      )}
      {(canVoid || canCorrect) && (
        <Group>
          {canVoid && (
            <Button size="xs" variant="default" onClick={() => setVoiding(true)}>
              Void…
            </Button>
          )}
          {canCorrect && (
            <Button size="xs" variant="default" onClick={() => setCorrecting(true)}>
              Correct…
            </Button>
          )}
        </Group>
      )}
      <VoidModal line={voiding ? line : null} onClose={() => setVoiding(false)} onDone={onChanged} />
      <CorrectModal line={correcting ? line : null} onClose={() => setCorrecting(false)} onDone={onChanged} />
    </Stack>
  );
}

function VoidModal(props: { line: DetailedLine | null; onClose: () => void; onDone: () => void }) {
  const { line } = props;
  return (
    <ReasonModal
      opened={line !== null}
      title="Void this line"
      confirmLabel="Void the line"
      confirmColor="red"
      failureTitle="Not voided"
      onClose={props.onClose}
      onConfirm={async (reason) => {
        if (!line) return;
        await rpc('lines.void', { lineRecordId: line.lineRecordId, reason });
        notifications.show({
          color: 'green',
          title: 'Line voided',
          message: 'Kept for audit; it will not be sent.',
        });
        props.onDone();
      }}
    >
      <Text size="sm">
        {line?.productId}, quantity {formatNumber(line?.quantity)}: it has not left the ledger, so it is set
        aside and never sent. It stays in the ledger with the reason.
      </Text>
    </ReasonModal>
  );
}

function CorrectModal(props: { line: DetailedLine | null; onClose: () => void; onDone: () => void }) {
  const { line } = props;
  const [failure, setFailure] = useState<unknown>(null);
  const close = () => {
    setFailure(null);
    props.onClose();
  };
  const submit = async () => {
    if (!line) return;
    try {
      const { correction } = await rpc('lines.correct', { lineRecordId: line.lineRecordId });
      notifications.show({
        color: 'green',
        title: 'Correcting line posted',
        message: `${correction.productId}, quantity ${formatNumber(correction.quantity)}`,
      });
      props.onDone();
      close();
      navigate('transactions', { tab: 'detailed', line: correction.lineRecordId });
    } catch (e) {
      setFailure(e);
    }
  };
  return (
    <Modal opened={line !== null} onClose={close} title="Correct this line">
      <Stack>
        <Text size="sm">
          This line has left the ledger. Post its reversing line: {line?.productId}, quantity{' '}
          <b>{formatNumber(line ? -line.quantity : null)}</b>, same place and references, linked to this one.
          Then post the right quantity as a new line if there is one.
        </Text>
        <ErrorAlert error={failure} title="Not posted" />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button onClick={() => void submit()} data-autofocus>
            Post the reversing line
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
