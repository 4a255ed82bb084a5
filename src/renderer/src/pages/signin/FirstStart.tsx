import {
  Alert,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Radio,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconBuildingWarehouse } from '@tabler/icons-react';
import { useState } from 'react';
import { PIN_RULE, pinTyped, SINGLE_CLERK_GIVES_UP } from '../../../../shared/people';
import { rpc } from '../../rpc/client';
import { errorMessage, isRpcError } from '../../rpc/errors';
import { useSession } from '../../state/session-context';

type Choice = 'people' | 'single-clerk';

/**
 * The first start: the store's first manager (who gets every right and adds the others), or a
 * single clerk with no sign-in, which keeps how Store Ledger worked before and says what it
 * gives up. An administrator can change it later under People.
 */
export function FirstStart() {
  const { adopt } = useSession();
  const [choice, setChoice] = useState<Choice>('people');
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [badge, setBadge] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setFailure(null);
    if (choice === 'people') {
      const found: Record<string, string> = {};
      if (pin !== again) found.again = 'is not the same PIN: type it again';
      if (Object.keys(found).length > 0) return setErrors(found);
    }
    setBusy(true);
    try {
      adopt(
        await rpc(
          'people.setup',
          choice === 'single-clerk'
            ? { mode: 'single-clerk' }
            : { mode: 'people', name, pin, ...(badge.trim() !== '' && { badge }) },
        ),
      );
    } catch (e) {
      const byField = isRpcError(e) ? e.byField() : {};
      if (Object.keys(byField).length > 0) setErrors(byField);
      else setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="lg" radius="md" w={560} component="main">
        <form
          aria-label="First start"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Stack gap="sm">
            <Group gap="xs">
              <IconBuildingWarehouse size={24} aria-hidden />
              <Title order={1} size="h3">
                Store Ledger
              </Title>
            </Group>
            <Title order={2} size="h4">
              Who works at this ledger?
            </Title>
            <Radio.Group value={choice} onChange={(v) => setChoice(v as Choice)} name="signIn">
              <Stack gap="xs">
                <Radio
                  value="people"
                  label="People sign in"
                  description="Each line, void and count says who did it; a manager applies counts, an administrator changes the connection."
                />
                <Radio
                  value="single-clerk"
                  label="Single clerk, no sign-in"
                  description={SINGLE_CLERK_GIVES_UP}
                />
              </Stack>
            </Radio.Group>
            {choice === 'people' ? (
              <>
                <Text size="sm">
                  The first manager: this person gets every right (administrator) and adds the others under
                  People.
                </Text>
                <TextInput
                  label="Name"
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                  error={errors.name}
                  autoComplete="off"
                  data-autofocus
                  autoFocus
                />
                <Group grow align="flex-start">
                  <PasswordInput
                    label="PIN"
                    description={PIN_RULE}
                    value={pin}
                    onChange={(e) => setPin(pinTyped(e.currentTarget.value))}
                    error={errors.pin}
                    inputMode="numeric"
                    autoComplete="new-password"
                  />
                  <PasswordInput
                    label="PIN again"
                    description="The same digits"
                    value={again}
                    onChange={(e) => setAgain(pinTyped(e.currentTarget.value))}
                    error={errors.again}
                    inputMode="numeric"
                    autoComplete="new-password"
                  />
                </Group>
                <TextInput
                  label="Badge (optional)"
                  description="Scan the badge here: it then signs this person in in one step."
                  value={badge}
                  onChange={(e) => setBadge(e.currentTarget.value)}
                  // A scanner ends with Enter: it fills this field, it does not send the form.
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') e.preventDefault();
                  }}
                  error={errors.badge}
                  autoComplete="off"
                />
              </>
            ) : (
              <Text size="sm">
                Everything is recorded as this computer’s user, as before. An administrator can have people
                sign in later, under People.
              </Text>
            )}
            {failure && (
              <Alert color="red" role="alert" title="Not set up">
                {failure}
              </Alert>
            )}
            <Button type="submit" loading={busy}>
              {choice === 'people' ? 'Add and sign in' : 'Use single clerk'}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
