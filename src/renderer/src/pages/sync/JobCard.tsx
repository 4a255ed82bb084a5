import { Badge, Card, Group, type MantineColor, Stack, Text, Title } from '@mantine/core';
import type { JobState, JobStatus } from '../../../../shared/sync-status';
import { FieldList } from '../../components/FieldList';
import { formatDateTime, relativeTime } from '../../components/format';
import { clerkWords } from '../../components/words';

const STATE: Record<JobState, { color: MantineColor; label: string }> = {
  idle: { color: 'green', label: 'Idle' },
  running: { color: 'blue', label: 'Running' },
  backingOff: { color: 'yellow', label: 'Backing off' },
  offline: { color: 'red', label: 'Offline' },
  needsConfiguration: { color: 'orange', label: 'Needs configuration' },
  disabled: { color: 'gray', label: 'Disabled' },
};

const TITLE = { iv: 'IV job: lines to Inventory Visibility', fno: 'SCM job: aggregate and create journals' };

export function JobCard({ job }: { job: JobStatus }) {
  const state = STATE[job.state];
  const service = job.job === 'iv' ? 'iv' : 'scm';
  const when = (iso: string | null) => (iso ? `${formatDateTime(iso)} (${relativeTime(iso)})` : '—');
  return (
    <Card withBorder padding="md" data-testid={`job-${job.job}`}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Title order={4}>{TITLE[job.job]}</Title>
          <Badge color={state.color} data-state={job.state}>
            {state.label}
          </Badge>
        </Group>
        {job.message && <Text size="sm">{clerkWords(job.message, service)}</Text>}
        <FieldList
          rows={[
            [
              'Schedule',
              job.periodic ? `every ${job.frequencyMinutes} min` : 'periodic sync off: only Sync now runs it',
            ],
            ['Last run', when(job.lastRunAt)],
            ['Last success', when(job.lastSuccessAt)],
            ['Next run', when(job.nextRunAt)],
            ['Failures in a row', job.consecutiveFailures],
            ['Last error', clerkWords(job.lastError, service)],
          ]}
        />
      </Stack>
    </Card>
  );
}
