import { Button, Group, Tabs, Title } from '@mantine/core';
import { IconListDetails, IconPlus, IconStack2 } from '@tabler/icons-react';
import { href, navigate, type Route } from '../../state/router';
import { AggregatedDrawer } from './AggregatedDrawer';
import { AggregatedGrid } from './AggregatedGrid';
import { DetailedGrid } from './DetailedGrid';
import { LineDrawer } from './LineDrawer';

/**
 * Inventory transactions, detailed and aggregated. The route carries the tab, the open line
 * (`line` / `agg`) and the
 * "detailed lines of this aggregated line" filter (`of`), so links between them are plain links.
 */
export function TransactionsPage({ route }: { route: Route }) {
  const tab = route.params.get('tab') === 'aggregated' ? 'aggregated' : 'detailed';
  const of = route.params.get('of') ?? undefined;
  const go = (params: Record<string, string | undefined>) => navigate('transactions', { tab, of, ...params });
  return (
    <>
      <Group justify="space-between" mb="md">
        <Group>
          <Button component="a" href={href('create')} leftSection={<IconPlus size={16} />}>
            Create transaction
          </Button>
          <Title order={2}>Inventory transactions</Title>
        </Group>
      </Group>
      <Tabs value={tab} onChange={(t) => navigate('transactions', { tab: t ?? 'detailed' })}>
        <Tabs.List mb="md">
          <Tabs.Tab value="detailed" leftSection={<IconListDetails size={16} />}>
            Detailed
          </Tabs.Tab>
          <Tabs.Tab value="aggregated" leftSection={<IconStack2 size={16} />}>
            Aggregated
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="detailed">
          <DetailedGrid of={of} onOpen={(line) => go({ line })} />
        </Tabs.Panel>
        <Tabs.Panel value="aggregated">
          <AggregatedGrid
            onOpen={(agg) => go({ agg })}
            statusParam={route.params.get('status') ?? undefined}
            journalParam={route.params.get('journal') ?? undefined}
          />
        </Tabs.Panel>
      </Tabs>
      <LineDrawer lineRecordId={route.params.get('line')} onClose={() => go({})} />
      <AggregatedDrawer
        aggregatedLineId={route.params.get('agg')}
        // Opened from a detailed line: closing goes back to that line, not to the top of a grid.
        onClose={() => {
          const from = route.params.get('from');
          if (from) navigate('transactions', { tab: 'detailed', of, line: from });
          else go({});
        }}
      />
    </>
  );
}
