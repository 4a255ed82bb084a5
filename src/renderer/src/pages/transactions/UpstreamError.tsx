import { Alert, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { ErrorKind } from '../../../../shared/views';
import { RefusalText, scmRefusal } from '../../components/Refusal';
import { clerkWords } from '../../components/words';

interface Explained {
  title: string;
  todo: string;
  color: 'red' | 'orange' | 'yellow';
}

/** The upstream's own words are kept; this says what they mean for the clerk and what to do. */
export function explainError(kind: ErrorKind | null, where: 'iv' | 'scm', status?: string): Explained {
  const system = where === 'iv' ? 'Inventory Visibility' : 'Supply Chain Management';
  if (kind === 'retry')
    return {
      title: `${system} could not be reached or was busy`,
      todo: 'Nothing to do: Store Ledger tries again on its own. If it lasts, check the network and Sync status.',
      color: 'yellow',
    };
  if (kind === 'config')
    return {
      title: `${system} refused the connection settings`,
      todo: 'Check the connection under Settings (tenant, client ID and secret, URLs), then run Initialize. The lines wait meanwhile.',
      color: 'orange',
    };
  if (status === 'FnOPostError')
    return {
      title: "SCM's posting job has not posted this journal in time",
      todo: "Open the journal in SCM (Inventory management › Journal entries › Items › Inventory adjustment) and the Inventory Visibility posting job's log, and fix what stops it. Once SCM posts it, Store Ledger marks the line FnOPosted by itself.",
      color: 'red',
    };
  return {
    title: `${system} refused this line`,
    todo:
      where === 'scm'
        ? 'Fix the cause in SCM, then Retry. If the line must never go to SCM, mark it DoNotSync with the reason.'
        : 'The line has data Inventory Visibility will not take. Post a correcting line if needed.',
    color: 'red',
  };
}

/**
 * What an upstream said about a line. An SCM refusal leads with its cause ("SCM does not know
 * item ZZ9999 in usmf") and a what-to-do of its kind, with `actions` (the one that fixes it
 * first); SCM's words follow, whole. Anything else (unreachable, settings, IV) says what it means.
 */
export function UpstreamError(props: {
  message: string | null;
  kind: ErrorKind | null;
  where: 'iv' | 'scm';
  status?: string;
  organizationId?: string;
  /** The journal the line is in, when SCM has one: a journal-level message is about it. */
  journalNumber?: string | null;
  actions?: ReactNode;
}) {
  if (!props.message) return null;
  const said = clerkWords(props.message, props.where);
  const refusal =
    props.where === 'scm'
      ? scmRefusal({
          lastError: props.message,
          lastErrorKind: props.kind,
          status: props.status ?? '',
          ...(props.organizationId !== undefined && { organizationId: props.organizationId }),
        })
      : null;
  if (refusal)
    return (
      <Alert
        color="red"
        title={<span data-testid="refusal-cause">{refusal.cause}</span>}
        icon={<IconAlertTriangle size={18} />}
        data-testid="upstream-error"
        data-kind={refusal.kind}
      >
        <Stack gap={6}>
          <RefusalText refusal={refusal} said={said} />
          {props.journalNumber && <Text size="sm">Journal: {props.journalNumber}</Text>}
          {props.actions}
        </Stack>
      </Alert>
    );
  const e = explainError(props.kind, props.where, props.status);
  return (
    <Alert
      color={e.color}
      title={e.title}
      icon={e.color === 'yellow' ? <IconInfoCircle size={18} /> : <IconAlertTriangle size={18} />}
      data-testid="upstream-error"
    >
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {props.where === 'iv' ? 'IV' : 'SCM'} said: “{said}”
        </Text>
        {props.journalNumber && <Text size="sm">Journal: {props.journalNumber}</Text>}
        <Text size="sm">What to do: {e.todo}</Text>
        {props.actions}
      </Stack>
    </Alert>
  );
}
