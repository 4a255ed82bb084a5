import { Button, Group, Text } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { explainScmRefusal, type Refusal } from '../../../shared/scm-refusal';
import type { ErrorKind } from '../../../shared/views';
import { href } from '../state/router';
import { useSession } from '../state/session-context';
import { MANAGER_APPROVES, useManagerApproval } from './ApprovalModal';
import { retryAggregated } from './retry';

/**
 * An SCM refusal as the clerk reads it, or null when the line has none (or its error is not a
 * refusal: SCM unreachable or busy, or the connection settings refused; those have their own words).
 */
export function scmRefusal(line: {
  lastError: string | null;
  lastErrorKind: ErrorKind | null;
  status: string;
  organizationId?: string;
}): Refusal | null {
  if (!line.lastError || line.lastErrorKind === 'retry' || line.lastErrorKind === 'config') return null;
  return explainScmRefusal(line.lastError, { company: line.organizationId, status: line.status });
}

/** A grid cell's preview: the cause, then what to do, in body text (readable on striped rows). */
export function RefusalPreview({ refusal }: { refusal: Refusal }) {
  return (
    <div data-testid="refusal-preview" data-kind={refusal.kind}>
      <Text size="xs" fw={700} lineClamp={2} title={refusal.cause}>
        {refusal.cause}
      </Text>
      <Text size="xs" lineClamp={2} title={refusal.todo}>
        → {refusal.hint}
      </Text>
    </div>
  );
}

const n = (count: number) => (count === 1 ? 'this line' : `these ${count} lines`);

/**
 * The one action that fixes a refusal, first, then Retry and Mark DoNotSync for the same lines
 * (and only those): a group of lines with one cause, or one line.
 */
export function RefusalActions(props: {
  refusal: Refusal;
  /** The aggregated lines these buttons act on. */
  ids: string[];
  /** SCM's adjustment journals in the line's company (null when the environment URL is unknown). */
  scmJournalsUrl: string | null;
  /** The journal the lines are in, to list its lines. */
  journalNumber?: string | null;
  onDoNotSync: (ids: string[]) => void;
  onChanged: () => void;
}) {
  const { refusal, ids } = props;
  const { whyNot } = useSession();
  // A clerk's Retry and DoNotSync stay enabled: a manager approves them right here.
  const managerApproves = whyNot('aggregated.retry') !== null || whyNot('aggregated.markDoNotSync') !== null;
  const manager = useManagerApproval();
  const retry = (
    <Button
      key="retry"
      size="xs"
      variant={refusal.action === 'retry' ? 'filled' : 'default'}
      onClick={() => void retryAggregated(ids, manager.run).then(props.onChanged)}
    >
      Retry {n(ids.length)}
    </Button>
  );
  const doNotSync = (
    <Button
      key="dns"
      size="xs"
      variant={refusal.action === 'doNotSync' ? 'filled' : 'default'}
      color={refusal.action === 'doNotSync' ? 'dark' : undefined}
      onClick={() => props.onDoNotSync(ids)}
    >
      Mark {n(ids.length)} DoNotSync…
    </Button>
  );
  let first: ReactNode = null;
  if (refusal.action === 'count')
    first = (
      <Button key="count" size="xs" component="a" href={href('count')}>
        Count {refusal.value ?? 'the item'}
      </Button>
    );
  else if (refusal.action === 'journalLines' && props.journalNumber)
    first = (
      <Button
        key="journal"
        size="xs"
        component="a"
        href={href('transactions', { tab: 'aggregated', journal: props.journalNumber })}
      >
        Show journal {props.journalNumber}'s lines
      </Button>
    );
  else if (refusal.action === 'scmJournals' && props.scmJournalsUrl)
    first = (
      <Button
        key="scm"
        size="xs"
        component="a"
        href={props.scmJournalsUrl}
        target="_blank"
        rel="noopener noreferrer"
        rightSection={<IconExternalLink size={12} />}
      >
        Open the journals in SCM
      </Button>
    );
  const rest = refusal.action === 'doNotSync' ? [doNotSync, retry] : [retry, doNotSync];
  return (
    <Group gap="xs" data-testid="refusal-actions">
      {manager.dialog}
      {first}
      {rest}
      {managerApproves && (
        <Text size="xs" c="dimmed" data-testid="manager-approves">
          {MANAGER_APPROVES}
        </Text>
      )}
    </Group>
  );
}

/** The cause first, what to do, then SCM's words whole (for whoever looks it up in SCM). */
export function RefusalText(props: { refusal: Refusal; said: string | null }) {
  const { refusal } = props;
  return (
    <>
      <Text size="sm" data-testid="refusal-todo">
        <b>What to do:</b> {refusal.todo}
      </Text>
      {props.said && props.said !== refusal.cause && (
        <Text size="xs" data-testid="refusal-said">
          {refusal.source === 'scm' ? 'SCM said' : 'In full'}: “{props.said}”
        </Text>
      )}
    </>
  );
}
