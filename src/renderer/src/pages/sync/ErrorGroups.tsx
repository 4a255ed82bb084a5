import { Anchor, Badge, Button, Card, Collapse, Group, List, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { DoNotSyncModal } from '../../components/DoNotSyncModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatNumber } from '../../components/format';
import { retryAggregated } from '../../components/retry';
import { AggregatedStatusBadge } from '../../components/StatusBadge';
import { clerkWords } from '../../components/words';
import { useLedgerChanged, useRpc } from '../../rpc/hooks';
import { href } from '../../state/router';
import { explainError } from '../transactions/UpstreamError';
import { type ErrorGroup, groupErrors } from './error-groups';

const LIMIT = 1000;

function GroupCard({
  group,
  onDoNotSync,
  onChanged,
}: {
  group: ErrorGroup;
  onDoNotSync: (ids: string[]) => void;
  onChanged: () => void;
}) {
  const [open, setOpen] = useState(false);
  const words = explainError(group.kind, 'scm', group.status);
  const ids = group.lines.map((l) => l.aggregatedLineId);
  return (
    <Card withBorder data-testid="error-group">
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={2}>
            <Text fw={600}>{words.title}</Text>
            <Text size="sm">SCM said: “{clerkWords(group.example, 'scm')}”</Text>
            <Text size="sm" c="dimmed">
              What to do: {words.todo}
            </Text>
          </Stack>
          <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
            <AggregatedStatusBadge status={group.status} />
            <Badge variant="outline" color="gray">
              {group.lines.length} line(s)
            </Badge>
          </Stack>
        </Group>
        <Group>
          <Button size="xs" onClick={() => void retryAggregated(ids).then(onChanged)}>
            Retry {group.lines.length > 1 ? 'all' : ''}
          </Button>
          <Button size="xs" variant="default" onClick={() => onDoNotSync(ids)}>
            Mark DoNotSync…
          </Button>
          <Button size="xs" variant="subtle" onClick={() => setOpen((o) => !o)}>
            {open ? 'Hide lines' : 'Show lines'}
          </Button>
        </Group>
        <Collapse expanded={open}>
          <List size="sm" spacing={2}>
            {group.lines.map((l) => (
              <List.Item key={l.aggregatedLineId}>
                <Anchor size="sm" href={href('transactions', { tab: 'aggregated', agg: l.aggregatedLineId })}>
                  {l.organizationId} · {l.productId} · {l.dimensions.siteId}/{l.dimensions.locationId} ·{' '}
                  {formatNumber(l.quantity)}
                </Anchor>
              </List.Item>
            ))}
          </List>
        </Collapse>
      </Stack>
    </Card>
  );
}

/** Aggregated lines SCM refused, grouped by cause, with the actions that resolve them. */
export function ErrorGroups() {
  const failed = useRpc('aggregated.list', {
    status: ['FnOCreateError', 'FnOPostError'],
    orderBy: 'updatedAt',
    direction: 'desc',
    top: LIMIT,
  });
  const [doNotSync, setDoNotSync] = useState<string[] | null>(null);
  useLedgerChanged(failed.reload);
  const groups = groupErrors(failed.data?.value ?? []);
  return (
    <Stack>
      <ErrorAlert error={failed.error} title="Could not load the failed lines" />
      {failed.data && groups.length === 0 && (
        <Text size="sm" c="dimmed">
          No aggregated line is in error.
        </Text>
      )}
      {failed.data && failed.data.count > LIMIT && (
        <Text size="sm" c="dimmed">
          Grouping the latest {LIMIT} of {failed.data.count} failed lines.
        </Text>
      )}
      {groups.map((g) => (
        <GroupCard key={g.key} group={g} onDoNotSync={setDoNotSync} onChanged={failed.reload} />
      ))}
      <DoNotSyncModal ids={doNotSync} onClose={() => setDoNotSync(null)} onDone={failed.reload} />
    </Stack>
  );
}
