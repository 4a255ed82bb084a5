import { Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { rpc } from '../rpc/client';
import { rpcApproved, useManagerApproval } from './ApprovalModal';
import { ReasonModal } from './ReasonModal';

/**
 * Marks aggregated lines DoNotSync; the reason is required and kept on the line. A clerk's
 * confirm asks for a manager's PIN or badge right there (main checks it); cancelled, the
 * refusal is shown and nothing changes.
 */
export function DoNotSyncModal(props: { ids: string[] | null; onClose: () => void; onDone: () => void }) {
  const { ids, onClose, onDone } = props;
  const manager = useManagerApproval();
  return (
    <>
      {manager.dialog}
      <ReasonModal
        opened={ids !== null}
        title="Mark DoNotSync"
        confirmLabel="Mark DoNotSync"
        confirmColor="dark"
        onClose={onClose}
        onConfirm={async (reason) => {
          if (!ids) return;
          const input = { aggregatedLineIds: ids, reason };
          const result = await manager.run((override) =>
            override
              ? rpcApproved('aggregated.markDoNotSync', input, override)
              : rpc('aggregated.markDoNotSync', input),
          );
          notifications.show({
            color: result.refused.length ? 'yellow' : 'green',
            title: `${result.changed} line(s) marked DoNotSync`,
            message: result.refused.map((r) => r.message).join('; ') || 'They will not be sent to SCM.',
          });
          onDone();
        }}
      >
        <Text size="sm">
          {ids?.length === 1 ? 'This aggregated line' : `These ${ids?.length} aggregated lines`} will never be
          sent to SCM. Their detailed lines stay in the ledger and in Inventory Visibility.
        </Text>
        <Text size="sm" c="dimmed">
          A line whose journal SCM already created (FnOPostError) stays in that journal in SCM: delete the
          journal line there too, or SCM's posting job may still post it.
        </Text>
      </ReasonModal>
    </>
  );
}
