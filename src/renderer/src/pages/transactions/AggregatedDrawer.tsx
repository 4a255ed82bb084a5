import { Anchor, Button, Code, Drawer, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { useState } from 'react';
import { MANAGER_APPROVES, useManagerApproval } from '../../components/ApprovalModal';
import { DoNotSyncModal } from '../../components/DoNotSyncModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FieldList } from '../../components/FieldList';
import { dimensionRows, formatDateTime, formatNumber } from '../../components/format';
import { RefusalActions, scmRefusal } from '../../components/Refusal';
import { retryAggregated } from '../../components/retry';
import { LineStatusBadge, StatusExplained } from '../../components/StatusBadge';
import { clerkWords } from '../../components/words';
import { useLedgerChanged, useRpc } from '../../rpc/hooks';
import { href } from '../../state/router';
import { useSession } from '../../state/session-context';
import { AttemptLog } from './AttemptLog';
import { scmJournalsUrl } from './scm-link';
import { UpstreamError } from './UpstreamError';

const PREVIEW = 20;

/** An aggregated line: every field, SCM's answer, the journal in SCM, its detailed lines, its attempts. */
export function AggregatedDrawer(props: { aggregatedLineId: string | null; onClose: () => void }) {
  const { aggregatedLineId, onClose } = props;
  const ref = aggregatedLineId ? { aggregatedLineId } : null;
  const line = useRpc('aggregated.get', ref);
  const attempts = useRpc('aggregated.attempts', ref);
  const detailed = useRpc('lines.list', aggregatedLineId ? { aggregatedLineId, top: PREVIEW } : null);
  const settings = useRpc('settings.get', aggregatedLineId ? {} : null);
  const [doNotSync, setDoNotSync] = useState<string[] | null>(null);
  const { whyNot } = useSession();
  // A clerk's Retry and DoNotSync stay enabled: a manager approves them right here.
  const managerApproves = whyNot('aggregated.retry') !== null || whyNot('aggregated.markDoNotSync') !== null;
  const manager = useManagerApproval();
  const reload = () => {
    if (!aggregatedLineId) return;
    line.reload();
    attempts.reload();
    detailed.reload();
  };
  useLedgerChanged(reload);
  const a = line.data && line.data.aggregatedLineId === aggregatedLineId ? line.data : undefined;
  const failed = a && (a.status === 'FnOCreateError' || a.status === 'FnOPostError');
  const scmUrl = a ? scmJournalsUrl(settings.data?.connection.fnoEnvironmentUrl, a.organizationId) : null;
  const refusal = a ? scmRefusal(a) : null;
  return (
    <Drawer
      opened={aggregatedLineId !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={<Title order={3}>Aggregated line</Title>}
      data-testid="aggregated-drawer"
    >
      {line.error && <ErrorAlert error={line.error} title="Could not load the aggregated line" />}
      {a && (
        <Stack>
          <Group justify="space-between">
            <Text fw={600} size="lg">
              {a.productId} · {formatNumber(a.quantity)}
            </Text>
          </Group>
          <StatusExplained kind="agg" status={a.status} />
          <UpstreamError
            message={a.lastError}
            kind={a.lastErrorKind}
            where="scm"
            status={a.status}
            organizationId={a.organizationId}
            journalNumber={a.journalNumber}
            actions={
              refusal &&
              failed && (
                <RefusalActions
                  refusal={refusal}
                  ids={[a.aggregatedLineId]}
                  scmJournalsUrl={scmUrl}
                  journalNumber={a.journalNumber}
                  onDoNotSync={setDoNotSync}
                  onChanged={reload}
                />
              )
            }
          />
          {a.status === 'DoNotSync' && a.statusReason && (
            <Text size="sm">
              Not sent to SCM because: <b>{a.statusReason}</b>
            </Text>
          )}
          {((failed && !refusal) || a.status === 'Created') && (
            <Group>
              {failed && (
                <Button
                  size="xs"
                  onClick={() => void retryAggregated([a.aggregatedLineId], manager.run).then(reload)}
                >
                  Retry
                </Button>
              )}
              <Button size="xs" variant="default" onClick={() => setDoNotSync([a.aggregatedLineId])}>
                Mark DoNotSync…
              </Button>
              {managerApproves && (
                <Text size="xs" c="dimmed" data-testid="manager-approves">
                  {MANAGER_APPROVES}
                </Text>
              )}
            </Group>
          )}
          <Group gap="xs" data-testid="journal">
            <Text size="sm">
              SCM journal: <b>{a.journalNumber ?? '—'}</b>, line <b>{a.journalLineNumber ?? '—'}</b>
            </Text>
            {a.journalNumber && scmUrl && (
              <Anchor href={scmUrl} target="_blank" rel="noopener noreferrer" size="sm">
                Open the adjustment journals in SCM <IconExternalLink size={12} />
              </Anchor>
            )}
          </Group>
          <Title order={4}>Detailed lines ({a.detailedLineCount})</Title>
          <Table fz="sm" withTableBorder striped>
            <Table.Tbody>
              {detailed.data?.value.map((d) => (
                <Table.Tr key={d.lineRecordId}>
                  <Table.Td>
                    <Anchor
                      size="sm"
                      href={href('transactions', {
                        tab: 'detailed',
                        of: a.aggregatedLineId,
                        line: d.lineRecordId,
                      })}
                    >
                      {formatDateTime(d.createdAt)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td ta="right">{formatNumber(d.quantity)}</Table.Td>
                  <Table.Td>{d.externalReferenceId ?? ''}</Table.Td>
                  <Table.Td>
                    <LineStatusBadge status={d.status} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Anchor href={href('transactions', { tab: 'detailed', of: a.aggregatedLineId })} size="sm">
            Show its {a.detailedLineCount} detailed line(s) in the grid
          </Anchor>
          <FieldList
            rows={[
              ['Status', a.status],
              ['Status reason', a.statusReason],
              ['Aggregated line ID', <Code key="a">{a.aggregatedLineId}</Code>],
              ['Organization', a.organizationId],
              ['Product', a.productId],
              ...dimensionRows(a.dimensions),
              ['Data source', a.quantityDataSource],
              ['Physical measure', a.physicalMeasure],
              ['Quantity (sum)', formatNumber(a.quantity)],
              ['Journal name', a.fnoJournalNameId ?? 'SCM default'],
              ['Cost price', a.costPrice === null ? 'SCM calculates' : formatNumber(a.costPrice)],
              ['Trans date', a.transDate],
              ['Target transaction status', a.targetTransactionStatus],
              ['Journal number', a.journalNumber],
              ['Journal line number', a.journalLineNumber],
              ['Detailed lines', a.detailedLineCount],
              ['Attempts', a.attempts],
              ['Last error', clerkWords(a.lastError, 'scm')],
              ['Created', formatDateTime(a.createdAt)],
              ['Updated', formatDateTime(a.updatedAt)],
            ]}
          />
          <Title order={4}>Attempt log</Title>
          <AttemptLog attempts={attempts.data} loading={attempts.loading} />
        </Stack>
      )}
      <DoNotSyncModal ids={doNotSync} onClose={() => setDoNotSync(null)} onDone={reload} />
      {manager.dialog}
    </Drawer>
  );
}
