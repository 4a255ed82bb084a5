import { Badge, Table, Text } from '@mantine/core';
import type { SyncRunSummary } from '../../../../shared/sync-status';
import { formatShortDateTime } from '../../components/format';

const OUTCOME_COLOR = {
  ok: 'green',
  partial: 'yellow',
  failed: 'red',
  skipped: 'gray',
  running: 'blue',
} as const;

function counts(c: Record<string, number>): string {
  return Object.entries(c)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

export function RecentRuns({ runs }: { runs: SyncRunSummary[] | undefined }) {
  if (!runs || runs.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No runs yet.
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table striped withTableBorder fz="sm" aria-label="Recent runs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Started</Table.Th>
            <Table.Th>Job</Table.Th>
            <Table.Th>Trigger</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Counts</Table.Th>
            <Table.Th>Message</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((r) => (
            <Table.Tr key={r.runId}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatShortDateTime(r.startedAt)}</Table.Td>
              <Table.Td>{r.job === 'iv' ? 'IV' : 'SCM'}</Table.Td>
              <Table.Td>{r.trigger}</Table.Td>
              <Table.Td>
                <Badge color={OUTCOME_COLOR[r.outcome]} variant="light">
                  {r.outcome}
                </Badge>
              </Table.Td>
              <Table.Td>{counts(r.counts)}</Table.Td>
              <Table.Td>{r.message ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
