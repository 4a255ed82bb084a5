import {
  Badge,
  Button,
  Checkbox,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { ReasonCode } from '../../../../shared/reasons';
import { ErrorAlert } from '../../components/ErrorAlert';
import { REASON_KEYS } from '../../components/ReasonPicker';
import { rpc } from '../../rpc/client';
import { useRpc } from '../../rpc/hooks';
import { useSession } from '../../state/session-context';

const EMPTY: ReasonCode = {
  code: '',
  words: '',
  fnoJournalNameId: null,
  externalReferenceCategory: null,
  approvalAlways: false,
  active: true,
};

/**
 * The store's reason codes: a manager adds and changes them here. A code is never deleted, only
 * made inactive, so old lines keep a code that still says something. The first nine active codes
 * are the keys 1–9 on Create and Scan, in this order.
 */
export function ReasonsPage() {
  const list = useRpc('reasons.list', {});
  const { whyNot } = useSession();
  const refusal = whyNot('reasons.upsert');
  const [edit, setEdit] = useState<ReasonCode>(EMPTY);
  const [failure, setFailure] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    setSaved(null);
    try {
      await rpc('reasons.upsert', edit);
      setSaved(edit.code.toUpperCase());
      setEdit(EMPTY);
      list.reload();
    } catch (error) {
      setFailure(error);
    }
  };
  const active = (list.data ?? []).filter((r) => r.active);
  const text = (key: 'code' | 'words' | 'fnoJournalNameId' | 'externalReferenceCategory') => ({
    value: edit[key] ?? '',
    onChange: (ev: React.ChangeEvent<HTMLInputElement>) =>
      setEdit({ ...edit, [key]: ev.currentTarget.value }),
    disabled: refusal !== null,
  });
  return (
    <Stack maw={1000}>
      <Title order={2}>Reason codes</Title>
      <Text size="sm" c="dimmed">
        Why stock moved. A code’s journal name and reference category fill those fields on a line that leaves
        them empty. “Approval always”: a clerk’s line with it waits for a manager.
        {refusal && ` ${refusal}`}
      </Text>
      <ErrorAlert error={failure ?? list.error} title="Not saved" />
      {saved && (
        <Text size="sm" role="status">
          Saved {saved}.
        </Text>
      )}
      <Table striped withTableBorder fz="sm" aria-label="Reason codes">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Key</Table.Th>
            <Table.Th>Code</Table.Th>
            <Table.Th>Words</Table.Th>
            <Table.Th>Journal name</Table.Th>
            <Table.Th>Reference category</Table.Th>
            <Table.Th>Approval</Table.Th>
            <Table.Th>In use</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data ?? []).map((r) => {
            const key = active.indexOf(r);
            return (
              <Table.Tr key={r.code}>
                <Table.Td>{key >= 0 && key < REASON_KEYS.length ? REASON_KEYS[key] : ''}</Table.Td>
                <Table.Td>{r.code}</Table.Td>
                <Table.Td>{r.words}</Table.Td>
                <Table.Td>{r.fnoJournalNameId ?? 'SCM default'}</Table.Td>
                <Table.Td>{r.externalReferenceCategory ?? '—'}</Table.Td>
                <Table.Td>
                  {r.approvalAlways ? <Badge color="yellow">Always</Badge> : 'By threshold'}
                </Table.Td>
                <Table.Td>{r.active ? 'Yes' : 'No'}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="subtle" onClick={() => setEdit(r)} disabled={refusal !== null}>
                    Edit
                  </Button>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <form onSubmit={submit} aria-label="Reason code">
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Code" description="Letters, digits, - and _" withAsterisk {...text('code')} />
            <TextInput label="Words" description="What the clerk reads" withAsterisk {...text('words')} />
            <TextInput
              label="Journal name"
              description="Blank: the line’s, or SCM’s default"
              {...text('fnoJournalNameId')}
            />
            <TextInput label="External reference category" {...text('externalReferenceCategory')} />
          </SimpleGrid>
          <Group>
            <Checkbox
              label="Approval always"
              checked={edit.approvalAlways}
              onChange={(e) => setEdit({ ...edit, approvalAlways: e.currentTarget.checked })}
              disabled={refusal !== null}
            />
            <Checkbox
              label="In use"
              checked={edit.active}
              onChange={(e) => setEdit({ ...edit, active: e.currentTarget.checked })}
              disabled={refusal !== null}
            />
          </Group>
          <Group>
            <Button type="submit" disabled={refusal !== null}>
              Save code
            </Button>
            <Button variant="default" onClick={() => setEdit(EMPTY)}>
              New code
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
