import {
  ActionIcon,
  Alert,
  Button,
  CopyButton,
  Fieldset,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy, IconKey } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { type ApiKeyCreated, type ApiKeyView, ROLE_WORDS, ROLES, type Role } from '../../../../shared/people';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../components/format';
import { rpc } from '../../rpc/client';
import { errorMessage, isRpcError } from '../../rpc/errors';
import { useRpc } from '../../rpc/hooks';
import { useSession } from '../../state/session-context';

/**
 * *API keys*: one per store system (a till, the e-commerce feed), named and with a role. A new
 * key is shown once, here, and stored only as a digest; a line a system posts records the key's
 * name as its author; revoking one key leaves the others working. An administrator's section.
 */
export function ApiKeySection() {
  const why = useSession().whyNot('apiKeys.list');
  return (
    <Fieldset legend="API keys">
      {why ? (
        <Text size="sm" c="dimmed">
          Store systems post with a key of their own. {why}
        </Text>
      ) : (
        <Keys />
      )}
    </Fieldset>
  );
}

function Keys() {
  const loaded = useRpc('apiKeys.list', {});
  const info = useRpc('app.info', {});
  const settings = useRpc('settings.get', {});
  const [keys, setKeys] = useState<ApiKeyView[]>([]);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);
  useEffect(() => {
    if (loaded.data) setKeys(loaded.data);
  }, [loaded.data]);
  const env = settings.data?.environmentId;
  const apiUrl = info.data?.apiBaseUrl && env ? info.data.apiBaseUrl.replace('{environmentId}', env) : null;

  const revoke = async (key: ApiKeyView) => {
    try {
      setKeys(await rpc('apiKeys.revoke', { keyId: key.keyId }));
      notifications.show({ color: 'green', title: 'Key revoked', message: `'${key.name}' no longer works.` });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Not revoked', message: errorMessage(e) });
    } finally {
      setRevoking(null);
    }
  };

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={720}>
          Each system sends its own key as <code>Authorization: Bearer &lt;API key&gt;</code>
          {apiUrl ? ` to ${apiUrl}/adjustment/bulk` : ''}; its lines carry the key’s name. A key is shown
          once, when it is created.
        </Text>
        <Button leftSection={<IconKey size={16} aria-hidden />} onClick={() => setCreating(true)}>
          Create a key…
        </Button>
      </Group>
      <ErrorAlert error={loaded.error} />
      <Table striped aria-label="API keys">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>System</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={6}>No keys yet: no system can post until one is created.</Table.Td>
            </Table.Tr>
          )}
          {keys.map((k) => (
            <Table.Tr key={k.keyId}>
              <Table.Td>{k.name}</Table.Td>
              <Table.Td>{ROLE_WORDS[k.role].label}</Table.Td>
              <Table.Td>
                {k.source === 'environment'
                  ? 'Set where Store Ledger starts'
                  : `${formatDateTime(k.createdAt)} by ${k.createdBy}`}
              </Table.Td>
              <Table.Td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : '—'}</Table.Td>
              <Table.Td>
                {k.revokedAt ? `Revoked ${formatDateTime(k.revokedAt)} by ${k.revokedBy}` : 'Works'}
              </Table.Td>
              <Table.Td>
                {!k.revokedAt && k.source === 'ledger' && (
                  <Button size="xs" variant="default" color="red" onClick={() => setRevoking(k)}>
                    Revoke…
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <CreateKey
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(c) => {
          setCreated(c);
          loaded.reload();
        }}
      />
      <Modal
        opened={created !== null}
        onClose={() => setCreated(null)}
        title={`Key for ${created?.apiKey.name}`}
      >
        <Stack>
          <Alert color="yellow">
            Copy it now: it is shown this once, and Store Ledger keeps only its digest.
          </Alert>
          <Group wrap="nowrap" align="flex-end">
            <TextInput label="API key" value={created?.key ?? ''} readOnly style={{ flex: 1 }} />
            <CopyButton value={created?.key ?? ''}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy the API key'}>
                  <ActionIcon variant="default" size="lg" onClick={copy} aria-label="Copy the API key">
                    {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
          <Group justify="flex-end">
            <Button onClick={() => setCreated(null)}>Done</Button>
          </Group>
        </Stack>
      </Modal>
      <Modal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke '${revoking?.name}'?`}
      >
        <Stack>
          <Text size="sm">This system is refused from now on; the other keys keep working.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRevoking(null)}>
              Cancel
            </Button>
            <Button color="red" onClick={() => revoking && void revoke(revoking)}>
              Revoke
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function CreateKey(props: { opened: boolean; onClose: () => void; onCreated: (c: ApiKeyCreated) => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('clerk');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (props.opened) {
      setName('');
      setRole('clerk');
      setError(null);
    }
  }, [props.opened]);
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      props.onCreated(await rpc('apiKeys.create', { name, role }));
      props.onClose();
    } catch (e) {
      setError(isRpcError(e) ? (e.byField().name ?? e.message) : errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Create an API key">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <Stack>
          <TextInput
            label="System"
            description="What posts with it: its lines carry this name (e.g. Till 2, Web shop)."
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={error}
            data-autofocus
            autoComplete="off"
          />
          <Select
            label="Role"
            description="A clerk's key posts lines, counts and drafts; a manager's also applies counts and retries; an administrator's also initializes."
            data={ROLES.map((r) => ({ value: r, label: ROLE_WORDS[r].label }))}
            value={role}
            onChange={(v) => v && setRole(v as Role)}
            allowDeselect={false}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
