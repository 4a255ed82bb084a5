import {
  ActionIcon,
  Button,
  CopyButton,
  Fieldset,
  Group,
  Modal,
  PasswordInput,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { rpc } from '../../rpc/client';
import { errorMessage } from '../../rpc/errors';
import { useRpc } from '../../rpc/hooks';

/** The key store systems send as `Authorization: Bearer …`, with copy and regenerate. */
export function ApiKeySection() {
  const key = useRpc('apiKey.get', {});
  const info = useRpc('app.info', {});
  const settings = useRpc('settings.get', {});
  const env = settings.data?.environmentId;
  const apiUrl = info.data?.apiBaseUrl && env ? info.data.apiBaseUrl.replace('{environmentId}', env) : null;
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const fromEnv = key.data?.source === 'environment';
  const regenerate = async () => {
    setBusy(true);
    try {
      await rpc('apiKey.regenerate', {});
      key.reload();
      notifications.show({ color: 'green', title: 'New API key', message: 'The old key no longer works.' });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Could not regenerate', message: errorMessage(e) });
    } finally {
      setBusy(false);
      setConfirm(false);
    }
  };
  return (
    <Fieldset legend="API key">
      <Stack>
        <Text size="sm" c="dimmed">
          Systems that post adjustments send it as <code>Authorization: Bearer &lt;API key&gt;</code>
          {apiUrl ? ` to ${apiUrl}/adjustment/bulk` : ''}.
        </Text>
        <Group align="flex-end" wrap="nowrap">
          <PasswordInput
            label="API key"
            value={key.data?.apiKey ?? ''}
            readOnly
            style={{ flex: 1 }}
            description={fromEnv ? 'Set by STORE_LEDGER_API_KEY: change it there.' : undefined}
          />
          <CopyButton value={key.data?.apiKey ?? ''}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? 'Copied' : 'Copy the API key'}>
                <ActionIcon variant="default" size="lg" onClick={copy} aria-label="Copy the API key">
                  {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
          <Button
            variant="default"
            color="red"
            leftSection={<IconRefresh size={16} />}
            disabled={fromEnv || !key.data}
            onClick={() => setConfirm(true)}
          >
            Regenerate
          </Button>
        </Group>
      </Stack>
      <Modal opened={confirm} onClose={() => setConfirm(false)} title="Regenerate the API key?">
        <Stack>
          <Text size="sm">
            Every system posting with the current key is refused until it is given the new one.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(false)}>
              Cancel
            </Button>
            <Button color="red" loading={busy} onClick={() => void regenerate()}>
              Regenerate
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Fieldset>
  );
}
