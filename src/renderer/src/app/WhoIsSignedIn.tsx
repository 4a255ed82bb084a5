import { Button, Group, Text } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { ROLE_WORDS } from '../../../shared/people';
import { useSession } from '../state/session-context';

/** The header's person: who acts on this window, and the one step to the next person. */
export function WhoIsSignedIn() {
  const { session, actor, lock } = useSession();
  if (!session || !actor) return null;
  if (session.mode === 'single-clerk')
    return (
      <Text size="sm" c="dimmed" title="Nobody signs in: everything is recorded as this computer’s user">
        {actor.name} · single clerk
      </Text>
    );
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" fw={600} data-testid="signed-in-person" lineClamp={1} maw={180}>
        {actor.name} · {ROLE_WORDS[actor.role].label}
      </Text>
      <Button
        size="xs"
        variant="default"
        leftSection={<IconLock size={14} aria-hidden />}
        onClick={() => void lock()}
        title="Locks this window: the next person signs in with a PIN or a badge"
      >
        Switch person
      </Button>
    </Group>
  );
}
