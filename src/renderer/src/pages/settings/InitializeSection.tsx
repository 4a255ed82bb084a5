import { Button, Fieldset, Group, List, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import type { InitializeResult } from '../../../../shared/sync-status';
import { ErrorAlert } from '../../components/ErrorAlert';
import { clerkWords } from '../../components/words';
import { rpc } from '../../rpc/client';
import { useSession } from '../../state/session-context';
import { TenantCheckModal } from './TenantCheckModal';

/** *Initialize*: checks the ledger, both connections and the SCM activity, and says how each went. */
export function InitializeSection({ dirty, onDone }: { dirty: boolean; onDone: () => void }) {
  const [result, setResult] = useState<InitializeResult | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [checking, setChecking] = useState(false);
  const { whyNot } = useSession();
  const why = whyNot('sync.initialize');
  const run = async () => {
    setBusy(true);
    setFailure(null);
    try {
      setResult(await rpc('sync.initialize', {}));
      onDone();
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Fieldset legend="Initialize">
      <Stack>
        <Group>
          <Button onClick={() => void run()} loading={busy} disabled={dirty || why !== null}>
            Initialize
          </Button>
          <Text size="sm" c="dimmed">
            {why ??
              (dirty
                ? 'Save your changes first: Initialize checks the saved settings.'
                : 'Checks the ledger, the IV and SCM connections and the integration activity.')}
          </Text>
        </Group>
        <Group>
          <Button
            variant="default"
            onClick={() => setChecking(true)}
            disabled={dirty || whyNot('sync.tenantCheck') !== null}
          >
            Check this tenant…
          </Button>
          <Text size="sm" c="dimmed">
            On a sandbox only: asks SCM and IV what the app assumes where Microsoft is silent, with a zero-net
            pair of test lines.
          </Text>
        </Group>
        <TenantCheckModal opened={checking} onClose={() => setChecking(false)} />
        <ErrorAlert error={failure} title="Initialize failed" />
        {result && (
          <List spacing="xs" data-testid="initialize-checks" center>
            {result.checks.length === 0 && <Text size="sm">No checks ran.</Text>}
            {result.checks.map((c) => (
              <List.Item
                key={c.name}
                icon={
                  <ThemeIcon
                    color={!c.ok ? 'red' : c.warning ? 'yellow' : 'green'}
                    size={20}
                    radius="xl"
                    aria-label={!c.ok ? 'failed' : c.warning ? 'passed, not verified yet' : 'passed'}
                  >
                    {!c.ok ? (
                      <IconX size={14} />
                    ) : c.warning ? (
                      <IconAlertTriangle size={14} />
                    ) : (
                      <IconCheck size={14} />
                    )}
                  </ThemeIcon>
                }
              >
                <Text size="sm">
                  <b>{c.label}</b>: {clerkWords(c.message)}
                </Text>
              </List.Item>
            ))}
          </List>
        )}
        {result && (
          <Text size="sm" fw={600} c={result.initialized ? undefined : 'var(--mantine-color-error)'}>
            {result.initialized
              ? 'The feature is initialized.'
              : 'Not initialized: fix what is marked above.'}
          </Text>
        )}
      </Stack>
    </Fieldset>
  );
}
