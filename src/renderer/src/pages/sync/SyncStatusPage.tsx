import { Alert, Anchor, Button, Group, Menu, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { formatDateTime } from '../../components/format';
import { runVerdict, runWords } from '../../components/words';
import { rpc } from '../../rpc/client';
import { errorMessage } from '../../rpc/errors';
import { useEvent, useRpc } from '../../rpc/hooks';
import { href } from '../../state/router';
import { useSyncStatus } from '../../state/sync-status-context';
import { ErrorGroups } from './ErrorGroups';
import { JobCard } from './JobCard';
import { RecentRuns } from './RecentRuns';
import { StatusCounts } from './StatusCounts';

type Job = 'all' | 'iv' | 'fno';
const JOB_LABEL: Record<Job, string> = { all: 'IV then SCM', iv: 'IV only', fno: 'SCM only' };

export function SyncStatusPage() {
  const { status, refresh } = useSyncStatus();
  const runs = useRpc('sync.runs', { top: 20 });
  const [running, setRunning] = useState<Job | null>(null);
  useEvent('sync.status', runs.reload);

  const syncNow = async (job: Job) => {
    setRunning(job);
    try {
      const result = await rpc('sync.run', { job });
      const troubled = result.runs.filter((r) => ['failed', 'problem'].includes(runVerdict(r)));
      notifications.show({
        color: troubled.length ? 'yellow' : 'green',
        title: `Sync (${JOB_LABEL[job]}) finished${troubled.length ? ' with a problem' : ''}`,
        message:
          result.runs.map((r) => `${r.job === 'iv' ? 'IV' : 'SCM'}: ${runWords(r)}`).join(' ') ||
          'Nothing ran',
      });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Sync failed', message: errorMessage(e) });
    } finally {
      setRunning(null);
      refresh();
      runs.reload();
    }
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Sync status</Title>
        <Group gap={0}>
          <Button
            leftSection={<IconRefresh size={16} />}
            loading={running !== null}
            onClick={() => void syncNow('all')}
            style={{ borderTopRightRadius: 0, borderBottomRightRadius: 0 }}
          >
            Sync now
          </Button>
          <Menu position="bottom-end">
            <Menu.Target>
              <Button
                px={8}
                disabled={running !== null}
                aria-label="Sync one job"
                style={{ borderTopLeftRadius: 0, borderBottomLeftRadius: 0, borderLeft: '1px solid' }}
              >
                <IconChevronDown size={16} />
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => void syncNow('iv')}>Sync IV only</Menu.Item>
              <Menu.Item onClick={() => void syncNow('fno')}>Sync SCM only</Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
      {status && !status.initialized && (
        <Alert color="yellow" title="The feature is not initialized">
          The jobs check the connections first. Go to <Anchor href={href('settings')}>Settings</Anchor> and
          run Initialize once the connection is filled in.
        </Alert>
      )}
      {status && status.queuedPackages.count > 0 && (
        <Alert color="yellow" title="SCM has not started importing" data-testid="queued-packages-alert">
          {status.queuedPackages.count === 1
            ? 'A data package has'
            : `${status.queuedPackages.count.toLocaleString()} data packages have`}{' '}
          waited in SCM's queue for over {status.queuedPackages.hours} hours (the oldest since{' '}
          {formatDateTime(status.queuedPackages.oldestSince)}). SCM's recurring data job is not processing
          them: check in SCM that the recurring data job is enabled and its batch job runs (System
          administration › Data management IT › Recurring data jobs). SCM deletes a queued file after seven
          days; Store Ledger keeps the lines and settles them by reading SCM back.
        </Alert>
      )}
      {!status && <Text c="dimmed">Loading…</Text>}
      {status && (
        <>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <JobCard job={status.jobs.iv} />
            <JobCard job={status.jobs.fno} />
          </SimpleGrid>
          <StatusCounts status={status} />
        </>
      )}
      <Title order={3}>Errors by cause</Title>
      <ErrorGroups />
      <Title order={3}>Recent runs</Title>
      <RecentRuns runs={runs.data} />
    </Stack>
  );
}
