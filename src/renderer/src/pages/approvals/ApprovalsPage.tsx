import { Alert, Badge, Button, Group, Modal, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import type { HeldLineView } from '../../../../shared/approvals';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime, formatNumber } from '../../components/format';
import { itemAndVariant } from '../../components/variant';
import { rpc } from '../../rpc/client';
import { useLedgerChanged, useRpc } from '../../rpc/hooks';
import { useSession } from '../../state/session-context';

const STATE_WORDS: Record<HeldLineView['state'], string> = {
  waiting: 'Waiting',
  approved: 'Approved',
  refused: 'Refused',
};

/**
 * Waiting for approval: the one list of lines a manager must decide (nothing of them is in the
 * ledger or sent upstream until approved), and the last decisions, so a clerk sees why theirs
 * was refused. Approve stores the line as its clerk entered it, approved by the manager.
 */
export function ApprovalsPage() {
  const list = useRpc('approvals.list', {});
  useLedgerChanged(() => list.reload());
  const { whyNot } = useSession();
  const [failure, setFailure] = useState<unknown>(null);
  const [refusing, setRefusing] = useState<HeldLineView | null>(null);
  const [reason, setReason] = useState('');
  const mayDecide = whyNot('approvals.approve') === null;

  const decide = async (work: () => Promise<unknown>) => {
    setFailure(null);
    try {
      await work();
    } catch (error) {
      setFailure(error);
    }
    list.reload();
  };
  const rows = list.data ?? [];
  const waiting = rows.filter((r) => r.state === 'waiting');
  return (
    <Stack maw={1100}>
      <Title order={2}>Waiting for approval</Title>
      <Text size="sm" c="dimmed">
        Lines that need a manager wait here: nothing of them is stored in the ledger or sent to IV or SCM
        until a manager approves.
        {!mayDecide && ' A manager decides them: ask one to sign in.'}
      </Text>
      <ErrorAlert error={failure ?? list.error} title="Not done" />
      {waiting.length === 0 && !list.loading && (
        <Alert color="green" role="status">
          Nothing is waiting for approval.
        </Alert>
      )}
      {rows.length > 0 && (
        <Table striped withTableBorder fz="sm" aria-label="Lines waiting for approval">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Entered</Table.Th>
              <Table.Th>By</Table.Th>
              <Table.Th>Item</Table.Th>
              <Table.Th>Site / warehouse</Table.Th>
              <Table.Th ta="right">Quantity</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th>Why it waits</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.heldId} data-state={r.state}>
                <Table.Td>{formatDateTime(r.createdAt)}</Table.Td>
                <Table.Td>{r.createdBy}</Table.Td>
                <Table.Td>{itemAndVariant(r.line.productId, r.line.dimensions)}</Table.Td>
                <Table.Td>
                  {r.line.dimensions.siteId} / {r.line.dimensions.locationId}
                </Table.Td>
                <Table.Td ta="right">{formatNumber(r.line.quantity)}</Table.Td>
                <Table.Td>{r.line.reasonCode ?? '—'}</Table.Td>
                <Table.Td>{r.why}</Table.Td>
                <Table.Td>
                  <Badge
                    variant="light"
                    color={r.state === 'refused' ? 'red' : r.state === 'approved' ? 'green' : 'yellow'}
                  >
                    {STATE_WORDS[r.state]}
                  </Badge>
                  {r.decidedBy && (
                    <Text size="xs" c="dimmed">
                      by {r.decidedBy}
                      {r.refusal ? `: ${r.refusal}` : ''}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {r.state === 'waiting' && mayDecide && (
                    <Group gap={4} wrap="nowrap">
                      <Button
                        size="xs"
                        aria-label={`Approve ${r.line.productId} ${r.line.quantity}`}
                        onClick={() => void decide(() => rpc('approvals.approve', { heldId: r.heldId }))}
                      >
                        Approve
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={`Refuse ${r.line.productId} ${r.line.quantity}`}
                        onClick={() => {
                          setReason('');
                          setRefusing(r);
                        }}
                      >
                        Refuse
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={refusing !== null} onClose={() => setRefusing(null)} title="Refuse this line?" centered>
        <form
          aria-label="Refuse"
          onSubmit={(e) => {
            e.preventDefault();
            const held = refusing;
            if (!held) return;
            setRefusing(null);
            void decide(() => rpc('approvals.refuse', { heldId: held.heldId, reason }));
          }}
        >
          <Stack>
            <Textarea
              label="Why (the clerk sees it)"
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              data-autofocus
              minRows={2}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRefusing(null)}>
                Cancel
              </Button>
              <Button type="submit" color="red">
                Refuse
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
