import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLock } from '@tabler/icons-react';
import { ROLE_WORDS } from '../../../shared/people';
import { useBadgeScan } from '../pages/signin/badge-scan';
import { rpc } from '../rpc/client';
import { errorMessage } from '../rpc/errors';
import { type Page, useRoute } from '../state/router';
import { useSession } from '../state/session-context';

/** Pages where a scanner reads products: a scan there is never taken for a badge. */
const PRODUCT_SCANS: readonly Page[] = ['scan', 'count', 'create'];

/** Whether the focus is in a field a scan types into (a product code, a search). */
function typingInAField(): boolean {
  const el = document.activeElement;
  if (!(el instanceof HTMLElement)) return false;
  return el.isContentEditable || el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;
}

/**
 * The header's person: who acts on this window, and the step to the next person: Switch person
 * locks the window for a PIN or a badge, and a badge scanned anywhere else (no field focused, not
 * a page that scans products) signs its person in at once, in one step.
 */
export function WhoIsSignedIn() {
  const { session, actor, lock, adopt } = useSession();
  const { page } = useRoute();
  const people = session?.mode === 'people' && actor !== null;

  useBadgeScan((badge) => {
    if (!people || PRODUCT_SCANS.includes(page) || typingInAField()) return false;
    rpc('session.signIn', { badge }).then(
      (view) => adopt(view),
      (e: unknown) =>
        notifications.show({ color: 'red', title: 'Person not switched', message: errorMessage(e) }),
    );
    return true;
  });

  if (!session || !actor) return null;
  if (session.mode === 'single-clerk')
    return (
      <Text size="sm" c="dimmed" title="Nobody signs in: everything is recorded as this computer’s user">
        {actor.name} · single clerk
      </Text>
    );
  const role = ROLE_WORDS[actor.role].label;
  // At 1024 px the header also holds the status badges: the role and the button's words show
  // from a wider window (the role stays in the tooltip, the button keeps its name for readers).
  return (
    <Group gap="xs" wrap="nowrap">
      <Text
        size="sm"
        fw={600}
        data-testid="signed-in-person"
        style={{ whiteSpace: 'nowrap' }}
        title={`${actor.name} · ${role}`}
      >
        {actor.name}
        <Text span inherit visibleFrom="lg">
          {' '}
          · {role}
        </Text>
      </Text>
      <Button
        size="xs"
        variant="default"
        px={8}
        onClick={() => void lock()}
        aria-label="Switch person"
        title="Locks this window: the next person signs in with a PIN or a badge (or scans a badge now)"
      >
        <IconLock size={14} aria-hidden />
        <Text span inherit visibleFrom="lg" ml={6}>
          Switch person
        </Text>
      </Button>
    </Group>
  );
}
