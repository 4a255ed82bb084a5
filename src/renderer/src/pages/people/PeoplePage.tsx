import { Alert, Badge, Button, Fieldset, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { type PersonView, ROLE_WORDS, SINGLE_CLERK_GIVES_UP } from '../../../../shared/people';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../components/format';
import { rpc } from '../../rpc/client';
import { useRpc } from '../../rpc/hooks';
import { useSession } from '../../state/session-context';
import { PersonModal } from './PersonModal';

/**
 * The store's people, a manager's page: who works here, their roles, badges and lockouts, and
 * (an administrator's) whether people sign in at all.
 */
export function PeoplePage() {
  const { session, whyNot } = useSession();
  const loaded = useRpc('people.list', {});
  const [people, setPeople] = useState<PersonView[]>([]);
  const [editing, setEditing] = useState<PersonView | null>(null);
  const [adding, setAdding] = useState(false);
  useEffect(() => {
    if (loaded.data) setPeople(loaded.data);
  }, [loaded.data]);
  const cannotAdd = whyNot('people.create');

  return (
    <Stack maw={1100}>
      <Title order={2}>People</Title>
      <SignInMode mode={session?.mode ?? 'unset'} onChanged={loaded.reload} />
      <Fieldset legend="Staff">
        <Stack>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              Each person signs in with their name and PIN, or their badge. Lines, voids, counts and drafts
              they post carry their name.
            </Text>
            <Button
              leftSection={<IconUserPlus size={16} aria-hidden />}
              onClick={() => setAdding(true)}
              disabled={cannotAdd !== null}
            >
              Add a person
            </Button>
          </Group>
          <ErrorAlert error={loaded.error} />
          <Table striped highlightOnHover aria-label="Staff">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Badge</Table.Th>
                <Table.Th>Sign-in</Table.Th>
                <Table.Th>Added</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {people.map((p) => (
                <Table.Tr key={p.personId}>
                  <Table.Td>{p.name}</Table.Td>
                  <Table.Td>{ROLE_WORDS[p.role].label}</Table.Td>
                  <Table.Td>{p.hasBadge ? 'Yes' : '—'}</Table.Td>
                  <Table.Td>
                    {!p.active ? (
                      <Badge color="gray" variant="light">
                        Cannot sign in
                      </Badge>
                    ) : p.lockedUntil ? (
                      <Badge color="red" variant="light">
                        Locked out until {formatDateTime(p.lockedUntil)}
                      </Badge>
                    ) : (
                      'Can sign in'
                    )}
                  </Table.Td>
                  <Table.Td>
                    {formatDateTime(p.createdAt)} by {p.createdBy}
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => setEditing(p)}
                      aria-label={`Change ${p.name}`}
                    >
                      Change
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      </Fieldset>
      <PersonModal
        person={editing ?? null}
        opened={adding || editing !== null}
        onClose={() => {
          setAdding(false);
          setEditing(null);
        }}
        onSaved={setPeople}
      />
    </Stack>
  );
}

/** Single clerk or people: an administrator's switch, with what single clerk gives up said first. */
function SignInMode({ mode, onChanged }: { mode: string; onChanged: () => void }) {
  const { adopt, whyNot } = useSession();
  const [confirm, setConfirm] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const why = whyNot('people.setMode');
  const next = mode === 'people' ? 'single-clerk' : 'people';
  const change = async () => {
    setFailure(null);
    try {
      adopt(await rpc('people.setMode', { mode: next }));
      onChanged();
    } catch (e) {
      setFailure(e);
    } finally {
      setConfirm(false);
    }
  };
  return (
    <Fieldset legend="How people sign in">
      <Stack gap="xs">
        <Text size="sm">
          {mode === 'people'
            ? 'People sign in with a PIN or a badge; the window locks itself after the minutes set under Settings → Entry.'
            : `Single clerk: ${SINGLE_CLERK_GIVES_UP}`}
        </Text>
        <Group>
          <Button variant="default" onClick={() => setConfirm(true)} disabled={why !== null}>
            {mode === 'people' ? 'Switch to single clerk…' : 'Have people sign in…'}
          </Button>
          {why && (
            <Text size="sm" c="dimmed">
              {why}
            </Text>
          )}
        </Group>
        <ErrorAlert error={failure} title="Not changed" />
      </Stack>
      <Modal
        opened={confirm}
        onClose={() => setConfirm(false)}
        title={next === 'people' ? 'Have people sign in?' : 'Switch to single clerk?'}
      >
        <Stack>
          {next === 'single-clerk' ? (
            <Alert color="yellow">{SINGLE_CLERK_GIVES_UP}</Alert>
          ) : (
            <Text size="sm">
              From now on each window asks for a name and PIN, or a badge. An active administrator must be on
              the staff list first; this window then signs in like any other.
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(false)}>
              Cancel
            </Button>
            <Button onClick={() => void change()}>
              {next === 'people' ? 'Have people sign in' : 'Switch'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Fieldset>
  );
}
