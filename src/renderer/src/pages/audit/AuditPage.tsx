import {
  Alert,
  Badge,
  Button,
  Group,
  Pagination,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload, IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import type { AuditEventView, AuditVerifyReport } from '../../../../shared/audit';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../components/format';
import { rpc } from '../../rpc/client';
import { saveOffered } from '../../rpc/downloads';
import { useRpc } from '../../rpc/hooks';
import { useSession } from '../../state/session-context';

const PAGE_SIZE = 50;

/** A local calendar day's start as an instant: the filter means this PC's day, not UTC's. */
const dayStart = (date: string, plusDays = 0): string | undefined => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).toISOString();
};

const KIND_WORDS: Record<AuditEventView['actor']['kind'], string> = {
  person: '',
  system: ' (API key)',
  'os-user': ' (this computer’s user)',
  nobody: ' (not signed in)',
  app: '',
};

/** What an action was about, in one line: its target, and a change's old → new values. */
function what(event: AuditEventView): string {
  const parts: string[] = [];
  if (event.lines)
    parts.push(
      event.lines.count === 1
        ? `line #${event.lines.first}`
        : `${event.lines.count.toLocaleString()} lines (#${event.lines.first}–#${event.lines.last})`,
    );
  if (event.target && typeof event.target === 'object')
    parts.push(
      Object.entries(event.target as Record<string, unknown>)
        .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
        .join('; '),
    );
  if (event.oldValue !== null || event.newValue !== null)
    parts.push(`${JSON.stringify(event.oldValue)} → ${JSON.stringify(event.newValue)}`);
  return parts.join(' · ') || '—';
}

/**
 * The audit trail, a manager's page: who did what, on which PC and when (this PC's local time),
 * filtered by person, action, outcome and days, paged on the server; the check of the trail
 * against the ledger file, and a CSV of what the filters show.
 */
export function AuditPage() {
  const { whyNot } = useSession();
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [outcome, setOutcome] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  const [typedActor] = useDebouncedValue(actor.trim(), 250);
  const [typedAction] = useDebouncedValue(action.trim(), 250);
  const filters = {
    ...(typedActor && { actor: typedActor }),
    ...(typedAction && { action: typedAction }),
    ...(outcome && { outcome: outcome as 'done' | 'refused' }),
    ...(dayStart(from) && { from: dayStart(from) }),
    ...(dayStart(to, 1) && { to: dayStart(to, 1) }),
  };
  const list = useRpc('audit.list', { ...filters, top: PAGE_SIZE, skip: (page - 1) * PAGE_SIZE });
  const [report, setReport] = useState<AuditVerifyReport | null>(null);
  const [checking, setChecking] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  const check = async () => {
    setChecking(true);
    setFailure(null);
    try {
      setReport(await rpc('audit.verify', {}));
      list.reload();
    } catch (e) {
      setFailure(e);
    } finally {
      setChecking(false);
    }
  };
  const exportCsv = async () => {
    setFailure(null);
    try {
      await saveOffered(await rpc('audit.export', filters));
    } catch (e) {
      setFailure(e);
    }
  };
  const pages = Math.max(1, Math.ceil((list.data?.count ?? 0) / PAGE_SIZE));

  return (
    <Stack maw={1300}>
      <Group justify="space-between">
        <Title order={2}>Audit trail</Title>
        <Group>
          <Button
            leftSection={<IconShieldCheck size={16} aria-hidden />}
            onClick={check}
            loading={checking}
            disabled={whyNot('audit.verify') !== null}
          >
            Check the trail
          </Button>
          <Button
            variant="default"
            leftSection={<IconDownload size={16} aria-hidden />}
            onClick={exportCsv}
            disabled={whyNot('audit.export') !== null}
          >
            Export CSV
          </Button>
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        Every change, sign-in and refusal, with the person, the PC and the time. Rows cannot be changed or
        deleted in Store Ledger; a change made to the ledger file outside it is found by Check the trail.
      </Text>
      {report && (
        <Alert
          color={report.ok ? 'green' : 'orange'}
          title={
            report.ok ? 'The trail matches the ledger' : 'The ledger file was changed outside Store Ledger'
          }
          role="status"
        >
          <Stack gap={4}>
            <Text size="sm">{report.summary}</Text>
            {report.findings.slice(1).map((f) => (
              <Text size="sm" key={`${f.kind}-${f.eventSeq}-${f.lineSeq}`}>
                {f.message}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      <ErrorAlert error={failure ?? list.error} />
      <Group align="end">
        <TextInput
          label="Person"
          placeholder="Name or API key"
          value={actor}
          onChange={(e) => {
            setActor(e.currentTarget.value);
            setPage(1);
          }}
        />
        <TextInput
          label="Action"
          placeholder="e.g. lines.void, sign-in"
          value={action}
          onChange={(e) => {
            setAction(e.currentTarget.value);
            setPage(1);
          }}
        />
        <Select
          label="Outcome"
          placeholder="Any"
          clearable
          data={[
            { value: 'done', label: 'Done' },
            { value: 'refused', label: 'Refused' },
          ]}
          value={outcome}
          onChange={(v) => {
            setOutcome(v);
            setPage(1);
          }}
        />
        <TextInput
          label="From day"
          type="date"
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput label="To day" type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
      </Group>
      <Table striped highlightOnHover aria-label="Audit trail">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>When</Table.Th>
            <Table.Th>Who</Table.Th>
            <Table.Th>PC</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>About</Table.Th>
            <Table.Th>Outcome</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data?.value ?? []).map((e) => (
            <Table.Tr key={e.seq}>
              <Table.Td>{e.seq}</Table.Td>
              <Table.Td>{formatDateTime(e.at)}</Table.Td>
              <Table.Td>
                {e.actor.name}
                {KIND_WORDS[e.actor.kind]}
              </Table.Td>
              <Table.Td>{e.pc}</Table.Td>
              <Table.Td title={e.action}>{e.actionWords}</Table.Td>
              <Table.Td style={{ maxWidth: 420, overflowWrap: 'anywhere' }}>{what(e)}</Table.Td>
              <Table.Td>
                {e.outcome === 'done' ? (
                  <Badge color="green" variant="light">
                    Done
                  </Badge>
                ) : (
                  <Badge color="red" variant="light">
                    Refused{e.errorCode ? ` (${e.errorCode.replaceAll('_', ' ')})` : ''}
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {(list.data?.count ?? 0).toLocaleString()} events
        </Text>
        <Pagination total={pages} value={page} onChange={setPage} aria-label="Audit trail pages" />
      </Group>
    </Stack>
  );
}
