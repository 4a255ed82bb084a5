import {
  Alert,
  Button,
  Group,
  Modal,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import {
  type PersonView,
  PIN_RULE,
  pinTyped,
  ROLE_WORDS,
  ROLES,
  type Role,
  roleAtLeast,
} from '../../../../shared/people';
import { rpc } from '../../rpc/client';
import { errorMessage, isRpcError } from '../../rpc/errors';
import { useSession } from '../../state/session-context';

/**
 * Adding a person, or changing one: name, role, PIN (blank keeps it), badge (scan it into the
 * field; a scanner's Enter does not send the form), active. A manager adds clerks and managers;
 * administrators are an administrator's to add or change (main refuses otherwise, in words).
 */
export function PersonModal(props: {
  person: PersonView | null;
  opened: boolean;
  onClose: () => void;
  onSaved: (people: PersonView[]) => void;
}) {
  const { person, opened, onClose, onSaved } = props;
  const { actor } = useSession();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('clerk');
  const [pin, setPin] = useState('');
  const [badge, setBadge] = useState('');
  const [removeBadge, setRemoveBadge] = useState(false);
  const [active, setActive] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setName(person?.name ?? '');
    setRole(person?.role ?? 'clerk');
    setPin('');
    setBadge('');
    setRemoveBadge(false);
    setActive(person?.active ?? true);
    setErrors({});
    setFailure(null);
  }, [opened, person]);

  const mayAdminister = actor !== null && roleAtLeast(actor.role, 'administrator');
  const save = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const badgeChange = removeBadge ? { badge: null } : badge.trim() !== '' ? { badge } : {};
      const people = person
        ? await rpc('people.update', {
            personId: person.personId,
            ...(name !== person.name && { name }),
            ...(role !== person.role && { role }),
            ...(pin !== '' && { pin }),
            ...badgeChange,
            ...(active !== person.active && { active }),
          })
        : await rpc('people.create', { name, role, pin, ...(badge.trim() !== '' && { badge }) });
      onSaved(people);
      onClose();
    } catch (e) {
      const byField = isRpcError(e) ? e.byField() : {};
      if (Object.keys(byField).length > 0) setErrors(byField);
      else setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={person ? `Change ${person.name}` : 'Add a person'}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="sm">
          <TextInput
            label="Name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            autoComplete="off"
            data-autofocus
          />
          <Select
            label="Role"
            data={ROLES.map((r) => ({
              value: r,
              label: ROLE_WORDS[r].label,
              disabled: r === 'administrator' && !mayAdminister,
            }))}
            value={role}
            onChange={(v) => v && setRole(v as Role)}
            description={
              mayAdminister
                ? ROLE_WORDS[role].does
                : `${ROLE_WORDS[role].does} Adding an administrator needs an administrator.`
            }
            error={errors.role}
            allowDeselect={false}
          />
          <PasswordInput
            label={person ? 'New PIN' : 'PIN'}
            description={person ? 'Leave blank to keep the PIN; a new one also ends a lockout.' : PIN_RULE}
            value={pin}
            onChange={(e) => setPin(pinTyped(e.currentTarget.value))}
            error={errors.pin}
            inputMode="numeric"
            autoComplete="new-password"
          />
          <TextInput
            label={person?.hasBadge ? 'New badge' : 'Badge (optional)'}
            description="Scan the badge into this field."
            value={badge}
            onChange={(e) => setBadge(e.currentTarget.value)}
            onKeyDown={(e) => {
              // A scanner ends with Enter: it fills the field, it does not send the form.
              if (e.key === 'Enter') e.preventDefault();
            }}
            error={errors.badge}
            autoComplete="off"
            disabled={removeBadge}
          />
          {person?.hasBadge && (
            <Switch
              label="Take the badge away"
              checked={removeBadge}
              onChange={(e) => setRemoveBadge(e.currentTarget.checked)}
            />
          )}
          {person && (
            <Switch
              label="Can sign in"
              description="Off: this person can no longer sign in; their lines keep their name."
              checked={active}
              onChange={(e) => setActive(e.currentTarget.checked)}
            />
          )}
          {failure && (
            <Alert color="red" role="alert" title="Not saved">
              {failure}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              {person ? 'Save' : 'Add'}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            PINs and badges are kept only as slow hashes: nobody can read them back, a manager sets a new one.
          </Text>
        </Stack>
      </form>
    </Modal>
  );
}
