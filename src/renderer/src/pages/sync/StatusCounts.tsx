import { Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { AGGREGATED_STATUSES, STORED_LINE_STATUSES } from '../../../../shared/status';
import type { SyncStatus } from '../../../../shared/sync-status';
import { StatusExplained } from '../../components/StatusBadge';

/** How many lines sit in each status, detailed and aggregated. */
export function StatusCounts({ status }: { status: SyncStatus }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Card withBorder>
        <Title order={4} mb="xs">
          Detailed lines
        </Title>
        <Stack gap={6}>
          {STORED_LINE_STATUSES.map((s) => (
            <Group key={s} justify="space-between" data-testid={`count-line-${s}`}>
              <StatusExplained kind="line" status={s} />
              <Text fw={600}>{status.lineCounts[s].toLocaleString()}</Text>
            </Group>
          ))}
          <Group justify="space-between" mt="xs" wrap="nowrap" data-testid="count-unsynced">
            <Text size="sm">Not synced: not yet in IV, or not yet created in SCM</Text>
            <Text fw={600}>{status.unsynced.toLocaleString()}</Text>
          </Group>
          <Group justify="space-between" wrap="nowrap" data-testid="count-awaiting-posting">
            <Text size="sm">In SCM, waiting for SCM's posting job</Text>
            <Text fw={600}>{status.awaitingPosting.toLocaleString()}</Text>
          </Group>
        </Stack>
      </Card>
      <Card withBorder>
        <Title order={4} mb="xs">
          Aggregated lines
        </Title>
        <Stack gap={6}>
          {AGGREGATED_STATUSES.map((s) => (
            <Group key={s} justify="space-between" wrap="nowrap" data-testid={`count-agg-${s}`}>
              <StatusExplained kind="agg" status={s} />
              <Text fw={600}>{status.aggregatedCounts[s].toLocaleString()}</Text>
            </Group>
          ))}
        </Stack>
      </Card>
    </SimpleGrid>
  );
}
