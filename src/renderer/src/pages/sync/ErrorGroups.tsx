import { Anchor, Badge, Button, Card, Collapse, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { DoNotSyncModal } from '../../components/DoNotSyncModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatNumber, formatShortDateTime } from '../../components/format';
import { RefusalActions } from '../../components/Refusal';
import { AggregatedStatusBadge } from '../../components/StatusBadge';
import { clerkWords } from '../../components/words';
import { useLedgerChanged, useRpc } from '../../rpc/hooks';
import { href } from '../../state/router';
import { scmJournalsUrl } from '../transactions/scm-link';
import { explainError } from '../transactions/UpstreamError';
import { type ErrorGroup, groupErrors } from './error-groups';

const LIMIT = 1000;

/** The group's lines: which item, where, how many; each opens its aggregated line. */
function GroupLines({ group }: { group: ErrorGroup }) {
  return (
    <Table fz="sm" withTableBorder layout="fixed" aria-label={`Lines: ${group.refusal.cause}`}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="28%">Product</Table.Th>
          <Table.Th w="12%">Site</Table.Th>
          <Table.Th w="16%">Warehouse</Table.Th>
          <Table.Th w="16%" ta="right">
            Quantity
          </Table.Th>
          <Table.Th w="28%">Created</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {group.lines.map((l) => (
          <Table.Tr key={l.aggregatedLineId} data-testid="group-line">
            <Table.Td style={{ overflowWrap: 'anywhere' }}>
              <Anchor size="sm" href={href('transactions', { tab: 'aggregated', agg: l.aggregatedLineId })}>
                {l.productId}
              </Anchor>
            </Table.Td>
            <Table.Td>{l.dimensions.siteId}</Table.Td>
            <Table.Td>{l.dimensions.locationId}</Table.Td>
            <Table.Td ta="right">{formatNumber(l.quantity)}</Table.Td>
            <Table.Td>{formatShortDateTime(l.createdAt)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function GroupCard(props: {
  group: ErrorGroup;
  scmUrl: string | null;
  onDoNotSync: (ids: string[]) => void;
  onChanged: () => void;
}) {
  const { group } = props;
  const [open, setOpen] = useState(false);
  const ids = group.lines.map((l) => l.aggregatedLineId);
  // SCM unreachable or the settings refused: not a refusal of these lines, no cause to read.
  const transient = group.kind === 'retry' || group.kind === 'config';
  const words = transient ? explainError(group.kind, 'scm', group.status) : null;
  return (
    <Card withBorder data-testid="error-group" data-kind={group.refusal.kind}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={700} data-testid="group-cause">
            {words ? words.title : group.refusal.cause}
          </Text>
          <Group gap={6} wrap="nowrap" style={{ flexShrink: 0 }}>
            <AggregatedStatusBadge status={group.status} />
            <Badge variant="outline" color="gray">
              {group.lines.length === 1 ? '1 line' : `${group.lines.length} lines`}
            </Badge>
          </Group>
        </Group>
        <Text size="sm" data-testid="group-todo">
          <b>What to do:</b> {words ? words.todo : group.refusal.todo}
        </Text>
        <Group gap="xs">
          <RefusalActions
            refusal={group.refusal}
            ids={ids}
            scmJournalsUrl={props.scmUrl}
            journalNumber={group.journalNumber}
            onDoNotSync={props.onDoNotSync}
            onChanged={props.onChanged}
          />
          <Button size="xs" variant="default" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
            {open ? 'Hide lines' : 'Show lines'}
          </Button>
        </Group>
        <Collapse expanded={open}>
          <GroupLines group={group} />
        </Collapse>
        <Text size="xs" data-testid="group-said">
          {group.refusal.source === 'scm' ? 'SCM said' : 'In full'}: “{clerkWords(group.example, 'scm')}”
        </Text>
      </Stack>
    </Card>
  );
}

/**
 * Aggregated lines SCM refused, one group per cause (the kind of refusal and its value), each with
 * the action that fixes it and Retry and DoNotSync for its own lines only.
 */
export function ErrorGroups() {
  const failed = useRpc('aggregated.list', {
    status: ['FnOCreateError', 'FnOPostError'],
    orderBy: 'updatedAt',
    direction: 'desc',
    top: LIMIT,
  });
  const settings = useRpc('settings.get', {});
  const [doNotSync, setDoNotSync] = useState<string[] | null>(null);
  useLedgerChanged(failed.reload);
  const groups = groupErrors(failed.data?.value ?? []);
  const environment = settings.data?.connection.fnoEnvironmentUrl;
  return (
    <Stack>
      <ErrorAlert error={failed.error} title="Could not load the failed lines" />
      {failed.data && groups.length === 0 && <Text size="sm">No aggregated line is in error.</Text>}
      {failed.data && failed.data.count > LIMIT && (
        <Text size="sm">
          Grouping the latest {LIMIT} of {failed.data.count} failed lines.
        </Text>
      )}
      {groups.map((g) => (
        <GroupCard
          key={g.key}
          group={g}
          scmUrl={scmJournalsUrl(environment, g.organizationId)}
          onDoNotSync={setDoNotSync}
          onChanged={failed.reload}
        />
      ))}
      <DoNotSyncModal ids={doNotSync} onClose={() => setDoNotSync(null)} onDone={failed.reload} />
    </Stack>
  );
}
