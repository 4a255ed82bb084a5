import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { isRpcError } from '../rpc/errors';
import { ErrorAlert } from './ErrorAlert';

/**
 * A dialog that asks why (DoNotSync, Void): the reason is required, kept on the line, and
 * typed where focus lands; Enter confirms, Shift+Enter starts a new line.
 */
export function ReasonModal(props: {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  confirmColor?: string;
  failureTitle?: string;
  /** Throws an RPC error naming `reason`, or any other to show as a failure. */
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const close = () => {
    setReason('');
    setError(undefined);
    setFailure(null);
    props.onClose();
  };

  const submit = async () => {
    if (reason.trim().length < 3) return setError('must say why, in at least 3 characters');
    setBusy(true);
    try {
      await props.onConfirm(reason);
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
    <Modal opened={props.opened} onClose={close} title={props.title}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          {props.children}
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
          <ErrorAlert error={failure} title={props.failureTitle} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color={props.confirmColor} loading={busy}>
              {props.confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
