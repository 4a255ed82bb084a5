import {
  Alert,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconBarcode, IconBuildingWarehouse, IconLock } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { pinTyped } from '../../../../shared/people';
import { rpc } from '../../rpc/client';
import { errorMessage } from '../../rpc/errors';
import { useSession } from '../../state/session-context';
import { useBadgeScan } from './badge-scan';
import { PinPad } from './PinPad';

/**
 * The window's sign-in: choose your name and type your PIN (the keyboard, or the pad on a touch
 * screen), or scan your badge anywhere on this screen. Either one signs in in one step, whoever
 * was signed in before; a refusal says why (a wrong PIN, an unknown badge, how long sign-in waits).
 */
export function SignInScreen() {
  const { session, notice, adopt } = useSession();
  const people = session?.people ?? [];
  const [personId, setPersonId] = useState<string | null>(people.length === 1 ? people[0]!.personId : null);
  const [search, setSearch] = useState('');
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<{ text: string; field: 'name' | 'pin' | 'badge' | null } | null>(
    null,
  );
  const [busy, setBusy] = useState(false);
  const pinField = useRef<HTMLInputElement>(null);

  const signIn = async (input: { personId: string; pin: string } | { badge: string }) => {
    setBusy(true);
    setProblem(null);
    try {
      adopt(await rpc('session.signIn', input));
    } catch (e) {
      setProblem({ text: errorMessage(e), field: 'badge' in input ? 'badge' : 'pin' });
      setPin('');
      if (!('badge' in input)) pinField.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  // A scan lands wherever the focus is: whatever it typed there is cleared.
  useBadgeScan((badge) => {
    setPin('');
    setSearch(people.find((p) => p.personId === personId)?.name ?? '');
    void signIn({ badge });
    return true;
  });

  const submit = () => {
    if (!personId) return setProblem({ text: 'Choose your name first.', field: 'name' });
    if (pin === '') return setProblem({ text: 'Type your PIN.', field: 'pin' });
    void signIn({ personId, pin });
  };

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="lg" radius="md" w={440} component="main">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
          aria-label="Sign in"
        >
          <Stack gap="sm">
            <Group gap="xs">
              <IconBuildingWarehouse size={24} aria-hidden />
              <Title order={1} size="h3">
                Store Ledger
              </Title>
            </Group>
            <Title order={2} size="h4">
              Sign in
            </Title>
            {notice && (
              <Alert color="blue" icon={<IconLock size={18} />} role="status">
                {notice}
              </Alert>
            )}
            <Select
              label="Your name"
              placeholder="Type the first letters"
              data={people.map((p) => ({ value: p.personId, label: p.name }))}
              value={personId}
              onChange={(v) => {
                setPersonId(v);
                setProblem(null);
                if (v) setTimeout(() => pinField.current?.focus(), 0);
              }}
              searchable
              searchValue={search}
              onSearchChange={setSearch}
              selectFirstOptionOnChange
              nothingFoundMessage="Nobody of that name here"
              error={problem?.field === 'name' ? problem.text : undefined}
              autoFocus={people.length > 1}
              allowDeselect={false}
            />
            <PasswordInput
              ref={pinField}
              label="PIN"
              value={pin}
              onChange={(e) => setPin(pinTyped(e.currentTarget.value))}
              inputMode="numeric"
              autoComplete="off"
              error={problem?.field === 'pin' ? problem.text : undefined}
              autoFocus={people.length === 1}
            />
            <PinPad pin={pin} onChange={setPin} />
            <Button type="submit" size="md" loading={busy}>
              Sign in
            </Button>
            <Group gap={6} c="dimmed" wrap="nowrap">
              <IconBarcode size={18} aria-hidden />
              <Text size="sm">Or scan your badge: it signs you in from anywhere on this screen.</Text>
            </Group>
            {problem?.field === 'badge' && (
              <Alert color="red" role="alert" title="Not signed in">
                {problem.text}
              </Alert>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
