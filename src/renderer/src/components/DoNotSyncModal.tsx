import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { rpc } from '../rpc/client';
import { isRpcError } from '../rpc/errors';
import { ErrorAlert } from './ErrorAlert';

/** Marks aggregated lines DoNotSync; the reason is required and kept on the line. */
export function DoNotSyncModal(props: { ids: string[] | null; onClose: () => void; onDone: () => void }) {
  const { ids, onClose, onDone } = props;
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const close = () => {
    setReason('');
    setError(undefined);
    setFailure(null);
    onClose();
  };

  const submit = async () => {
    if (!ids) return;
    if (reason.trim().length < 3) return setError('must say why, in at least 3 characters');
    setBusy(true);
    try {
      const result = await rpc('aggregated.markDoNotSync', { aggregatedLineIds: ids, reason });
      notifications.show({
        color: result.refused.length ? 'yellow' : 'green',
        title: `${result.changed} line(s) marked DoNotSync`,
        message: result.refused.map((r) => r.message).join('; ') || 'They will not be sent to SCM.',
      });
      onDone();
      close();
    } catch (e) {
      const field = isRpcError(e) ? e.byField().reason : undefined;
      if (field) setError(field);
      else setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={ids !== null} onClose={close} title="Mark DoNotSync">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <Text size="sm">
            {ids?.length === 1 ? 'This aggregated line' : `These ${ids?.length} aggregated lines`} will never
            be sent to SCM. Their detailed lines stay in the ledger and in Inventory Visibility.
          </Text>
          <Text size="sm" c="dimmed">
            A line whose journal SCM already created (FnOPostError) stays in that journal in SCM: delete the
            journal line there too, or SCM's posting job may still post it.
          </Text>
          <Textarea
            label="Reason"
            description="Kept on the line, for whoever looks at it next"
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setError(undefined);
            }}
            error={error}
            // The modal's focus trap honours data-autofocus, not autoFocus: without it focus landed
            // on the close button, the typed reason went nowhere and Enter closed the dialog.
            data-autofocus
            withAsterisk
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                void submit();
              }
            }}
          />
          <ErrorAlert error={failure} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color="dark" loading={busy}>
              Mark DoNotSync
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
