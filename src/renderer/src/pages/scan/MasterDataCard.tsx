import { Alert, Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { formatDateTime } from '../../components/format';
import { rpc } from '../../rpc/client';
import { errorMessage } from '../../rpc/errors';
import { useRpc } from '../../rpc/hooks';

/** The store's copy of SCM's item list: when each organization was loaded, and a Refresh. */
export function MasterDataCard() {
  const status = useRpc('masterData.status', {});
  const [refreshing, setRefreshing] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const refresh = async () => {
    setRefreshing(true);
    setFailure(null);
    try {
      await rpc('masterData.refresh', {});
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setRefreshing(false);
      status.reload();
    }
  };
  const orgs = status.data?.organizations ?? [];
  return (
    <Card withBorder padding="sm" aria-label="Item list from SCM">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Text fw={600}>Item list from SCM</Text>
          {orgs.length === 0 && <Text size="sm">Not loaded yet: names and checks appear once it is.</Text>}
          {orgs.map((o) => (
            <Text size="sm" key={o.organizationId} data-testid={`md-${o.organizationId}`}>
              {o.organizationId}: {o.counts.products} items, {o.counts.barcodes} barcodes,{' '}
              {o.counts.warehouses} warehouses — loaded {formatDateTime(o.refreshedAt)}
            </Text>
          ))}
          <Text size="xs" c="dimmed">
            Refreshed every {status.data?.scheduleHours ?? 6} hours while SCM is reachable.
          </Text>
        </Stack>
        <Button
          variant="light"
          leftSection={<IconRefresh size={16} />}
          loading={refreshing}
          onClick={() => void refresh()}
        >
          Refresh item list
        </Button>
      </Group>
      {(failure ?? status.data?.lastError) && (
        <Alert color="yellow" mt="xs" role="status">
          {failure ?? status.data?.lastError}
        </Alert>
      )}
    </Card>
  );
}
