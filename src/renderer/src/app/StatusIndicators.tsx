import { Badge, Group, type MantineColor, Tooltip } from '@mantine/core';
import {
  IconAlertTriangle,
  IconClockPause,
  IconCloud,
  IconCloudOff,
  IconPlugConnectedX,
} from '@tabler/icons-react';
import { FAILED_AGGREGATED_STATUSES } from '../../../shared/status';
import type { JobStatus, UpstreamState } from '../../../shared/sync-status';
import { clerkWords } from '../components/words';
import { href } from '../state/router';
import { useSyncStatus } from '../state/sync-status-context';

const STATE: Record<UpstreamState, { color: MantineColor; word: string }> = {
  online: { color: 'teal.9', word: 'online' },
  offline: { color: 'red.8', word: 'offline' },
  unknown: { color: 'gray.7', word: 'not checked yet' },
  unconfigured: { color: 'yellow.5', word: 'not configured' },
};

/** A header badge that opens where its lines are, with its meaning in a tooltip. */
function LinkBadge(props: {
  tip: string;
  to: string;
  color: MantineColor;
  icon?: React.ReactNode;
  testId: string;
  filled?: boolean;
  state?: string;
  children: React.ReactNode;
}) {
  return (
    <Tooltip label={props.tip} withArrow multiline maw={320}>
      <Badge
        component="a"
        href={props.to}
        color={props.color}
        autoContrast
        {...(props.filled && { variant: 'filled' })}
        leftSection={props.icon}
        data-testid={props.testId}
        data-state={props.state}
        style={{ cursor: 'pointer' }}
      >
        {props.children}
      </Badge>
    </Tooltip>
  );
}

function Upstream({ name, state, job }: { name: string; state: UpstreamState; job: JobStatus | undefined }) {
  // Online, but its job's last call failed (a 503, a timeout that was retried): amber at
  // once, not green until the job gives up.
  const troubled = state === 'online' && !!job && (job.state === 'backingOff' || job.lastError !== null);
  const { color, word } = troubled ? { color: 'yellow.5', word: 'online, last call failed' } : STATE[state];
  const Icon = state === 'offline' ? IconCloudOff : IconCloud;
  return (
    <LinkBadge
      tip={clerkWords(job?.message, name === 'IV' ? 'iv' : 'scm') ?? `${name} is ${word}`}
      to={href('sync')}
      color={color}
      icon={<Icon size={14} />}
      testId={`upstream-${name.toLowerCase()}`}
      state={troubled ? 'troubled' : state}
    >
      {name} {word}
    </LinkBadge>
  );
}

/** Always in the header: each upstream's state and how many lines have not reached SCM yet. */
export function StatusIndicators() {
  const { status, connection } = useSyncStatus();
  if (connection === 'unauthorized' || (connection === 'connecting' && !status)) {
    return (
      <Badge
        color="red.8"
        variant="filled"
        leftSection={<IconPlugConnectedX size={14} />}
        data-testid="service"
      >
        {connection === 'unauthorized' ? 'Session expired' : 'Connecting…'}
      </Badge>
    );
  }
  if (!status) return null;
  const failing = FAILED_AGGREGATED_STATUSES.reduce((n, s) => n + status.aggregatedCounts[s], 0);
  return (
    <Group gap="xs" wrap="nowrap">
      {connection === 'connecting' && (
        <Badge color="red.8" variant="filled" data-testid="service">
          Reconnecting…
        </Badge>
      )}
      <Upstream name="IV" state={status.upstream.iv} job={status.jobs.iv} />
      <Upstream name="SCM" state={status.upstream.scm} job={status.jobs.fno} />
      {failing > 0 && (
        <LinkBadge
          tip="Aggregated lines SCM refused or could not post: open them"
          to={href('transactions', { tab: 'aggregated', status: FAILED_AGGREGATED_STATUSES.join(',') })}
          color="red.8"
          filled
          icon={<IconAlertTriangle size={14} />}
          testId="failing"
        >
          {failing.toLocaleString()} failed in SCM
        </LinkBadge>
      )}
      {status.queuedPackages.count > 0 && (
        <LinkBadge
          tip={`SCM has not started importing ${status.queuedPackages.count === 1 ? 'a data package' : `${status.queuedPackages.count} data packages`} in ${status.queuedPackages.hours} hours: its recurring data job may be stopped. Open Sync status.`}
          to={href('sync')}
          color="yellow.5"
          icon={<IconClockPause size={14} />}
          testId="queued-packages"
        >
          {status.queuedPackages.count.toLocaleString()} queued in SCM over {status.queuedPackages.hours} h
        </LinkBadge>
      )}
      <LinkBadge
        tip="Detailed lines not yet in Inventory Visibility, or not yet created in SCM"
        to={href('transactions', { tab: 'detailed' })}
        color={status.unsynced > 0 ? 'yellow.5' : 'gray.7'}
        testId="unsynced"
      >
        {status.unsynced.toLocaleString()} not synced
      </LinkBadge>
      {status.awaitingPosting > 0 && (
        <LinkBadge
          tip="Detailed lines SCM created in a journal that its posting job has not posted yet: they turn FnOPosted by themselves when it does"
          to={href('sync')}
          color="gray.7"
          icon={<IconClockPause size={14} />}
          testId="awaiting-posting"
        >
          {status.awaitingPosting.toLocaleString()} awaiting SCM posting
        </LinkBadge>
      )}
    </Group>
  );
}
