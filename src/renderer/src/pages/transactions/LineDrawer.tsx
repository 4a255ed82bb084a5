import { Anchor, Code, Drawer, Group, Stack, Text, Title } from '@mantine/core';
import { lineAuthorWords } from '../../../../shared/people';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FieldList } from '../../components/FieldList';
import { dimensionRows, formatDateTime, formatNumber } from '../../components/format';
import { StatusExplained } from '../../components/StatusBadge';
import { clerkWords } from '../../components/words';
import { useLedgerChanged, useRpc } from '../../rpc/hooks';
import { href } from '../../state/router';
import { AttemptLog } from './AttemptLog';
import { EntryCheckNote } from './EntryCheckNote';
import { LineActions } from './LineActions';
import { UpstreamError } from './UpstreamError';

/** Every field of a detailed line, its IV error in plain words, its attempts and its aggregated line. */
export function LineDrawer({ lineRecordId, onClose }: { lineRecordId: string | null; onClose: () => void }) {
  const ref = lineRecordId ? { lineRecordId } : null;
  const line = useRpc('lines.get', ref);
  const attempts = useRpc('lines.attempts', ref);
  useLedgerChanged(() => {
    if (!lineRecordId) return;
    line.reload();
    attempts.reload();
  });
  const l = line.data && line.data.lineRecordId === lineRecordId ? line.data : undefined;
  return (
    <Drawer
      opened={lineRecordId !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={<Title order={3}>Detailed line</Title>}
      data-testid="line-drawer"
    >
      {line.error && <ErrorAlert error={line.error} title="Could not load the line" />}
      {l && (
        <Stack>
          <Group justify="space-between">
            <Text fw={600} size="lg">
              {l.productId} · {formatNumber(l.quantity)}
            </Text>
          </Group>
          <StatusExplained kind="line" status={l.status} />
          <LineActions
            line={l}
            onChanged={() => {
              line.reload();
              attempts.reload();
            }}
          />
          <UpstreamError message={l.lastError} kind={l.lastErrorKind} where="iv" />
          <Stack gap={6} data-testid="line-scm">
            <Group gap="xs">
              <Text size="sm" fw={500}>
                In SCM:
              </Text>
              {l.scm ? (
                <StatusExplained kind="agg" status={l.scm.status} />
              ) : l.status === 'Voided' ? (
                <Text size="sm">never: the line was voided before it left the ledger</Text>
              ) : (
                <Text size="sm">not yet: the line is aggregated after Inventory Visibility has it</Text>
              )}
            </Group>
            {l.scm?.journalNumber && <Text size="sm">Journal {l.scm.journalNumber}</Text>}
            {l.scm?.statusReason && <Text size="sm">Reason: {l.scm.statusReason}</Text>}
            {l.scm && (
              <UpstreamError
                message={l.scm.lastError}
                kind={l.scm.lastErrorKind}
                where="scm"
                status={l.scm.status}
                organizationId={l.organizationId}
              />
            )}
            <EntryCheckNote lineRecordId={l.lineRecordId} scmStatus={l.scm?.status ?? null} />
            {l.aggregatedLineId && (
              <Anchor
                href={href('transactions', {
                  tab: 'aggregated',
                  agg: l.aggregatedLineId,
                  from: l.lineRecordId,
                })}
                size="sm"
              >
                {l.scm && (l.scm.status === 'FnOCreateError' || l.scm.status === 'FnOPostError')
                  ? 'Open aggregated line (Retry, DoNotSync)'
                  : 'Open aggregated line'}
              </Anchor>
            )}
          </Stack>
          <FieldList
            rows={[
              ['Status', l.status],
              ['Line record ID', <Code key="r">{l.lineRecordId}</Code>],
              ['ID (caller’s)', <Code key="i">{l.id}</Code>],
              ['Organization', l.organizationId],
              ['Product', l.productId],
              ...dimensionRows(l.dimensions),
              ['Data source', l.quantityDataSource],
              ['Physical measure', l.physicalMeasure],
              ['Quantity', formatNumber(l.quantity)],
              ['External reference category', l.externalReferenceCategory],
              ['External reference ID', l.externalReferenceId],
              ['Journal name', l.fnoJournalNameId ?? 'SCM default'],
              ['Cost price', l.costPrice === null ? 'SCM calculates' : formatNumber(l.costPrice)],
              ['Trans date', l.transDate],
              ['Reason', l.reasonCode ?? 'None'],
              ['Aggregated line ID', l.aggregatedLineId],
              ['Source', l.source],
              ['Created', formatDateTime(l.createdAt)],
              ['Created by', lineAuthorWords(l)],
              ['Approved by', l.approvedBy ?? '—'],
              ['Posted to IV', formatDateTime(l.ivPostedAt)],
              ['Aggregated', formatDateTime(l.aggregatedAt)],
              ['Attempts', l.attempts],
              ['Last error', clerkWords(l.lastError, 'iv')],
            ]}
          />
          <Title order={4}>Attempt log</Title>
          <AttemptLog attempts={attempts.data} loading={attempts.loading} />
        </Stack>
      )}
    </Drawer>
  );
}
