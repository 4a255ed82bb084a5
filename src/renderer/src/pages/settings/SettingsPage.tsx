import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { roleAtLeast } from '../../../../shared/people';
import type { RpcInput } from '../../../../shared/rpc';
import { refusalWords } from '../../../../shared/rpc-roles';
import { needsAdministrator, type SettingsView } from '../../../../shared/settings';
import { MANAGER_APPROVES, rpcApproved, useManagerApproval } from '../../components/ApprovalModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { rpc } from '../../rpc/client';
import { isRpcError } from '../../rpc/errors';
import { useRpc } from '../../rpc/hooks';
import { useSession } from '../../state/session-context';
import { useSyncStatus } from '../../state/sync-status-context';
import { ApiKeySection } from './ApiKeySection';
import { ConnectionSection } from './ConnectionSection';
import { EntrySection } from './EntrySection';
import { FeatureSection } from './FeatureSection';
import type { FieldContext } from './fields';
import { InitializeSection } from './InitializeSection';
import { MappingsSection } from './MappingsSection';
import { ScmSection } from './ScmSection';
import {
  changedPatch,
  draftFrom,
  FIELD_PATHS,
  isDirty,
  mapSettingsErrors,
  type SettingsDraft,
  type SettingsErrors,
  validatePatch,
} from './settings-form';
import { ThisPcSection } from './ThisPcSection';

export function SettingsPage() {
  const loaded = useRpc('settings.get', {});
  const [view, setView] = useState<SettingsView | null>(null);
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const { refresh } = useSyncStatus();
  const { actor, whyNot } = useSession();
  // A clerk may change what a manager may, and Save asks for a manager's PIN or badge right here;
  // what needs an administrator stays locked (main refuses it, even with a manager's approval).
  const pageWhy = whyNot('settings.update');
  const manager = useManagerApproval();
  const connectionWhy =
    actor && !roleAtLeast(actor.role, 'administrator')
      ? refusalWords('Changing the connection', 'administrator', actor)
      : null;

  const adopt = useCallback((v: SettingsView) => {
    setView(v);
    setDraft(draftFrom(v));
  }, []);
  useEffect(() => {
    if (loaded.data) adopt(loaded.data);
  }, [loaded.data, adopt]);

  if (!view || !draft)
    return loaded.error ? <ErrorAlert error={loaded.error} /> : <Text c="dimmed">Loading…</Text>;
  const saved = draftFrom(view);
  const dirty = isDirty(draft, saved);
  const ctx: FieldContext = {
    draft,
    errors,
    // An administrator's field says why beside it.
    locked: (field) => {
      const why = needsAdministrator(FIELD_PATHS[field]) ? connectionWhy : null;
      return { disabled: why !== null, why };
    },
    set: (field, value) => {
      setDraft((d) => (d ? { ...d, [field]: value } : d));
      setErrors((e) => ({ ...e, [field]: undefined }));
    },
  };

  const save = async () => {
    const checked = validatePatch(changedPatch(draft, saved));
    if (!checked.ok) return setErrors(checked.errors);
    setSaving(true);
    setFailure(null);
    try {
      const patch = changedPatch(draft, saved) as RpcInput<'settings.update'>;
      adopt(
        await manager.run((override) =>
          override ? rpcApproved('settings.update', patch, override) : rpc('settings.update', patch),
        ),
      );
      setErrors({});
      refresh();
      notifications.show({ color: 'green', title: 'Settings saved', message: 'They apply at once.' });
    } catch (e) {
      const byField = isRpcError(e) ? mapSettingsErrors(e.errors) : {};
      if (Object.keys(byField).length > 0) setErrors(byField);
      else setFailure(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack maw={1100}>
      {manager.dialog}
      <Paper
        pos="sticky"
        top={56}
        py="xs"
        style={{ zIndex: 5, borderBottom: '1px solid var(--mantine-color-default-border)' }}
        radius={0}
      >
        <Group justify="space-between">
          <Title order={2}>Settings</Title>
          <Group gap="xs">
            {dirty && (
              <Text size="sm" fw={600}>
                Unsaved changes
              </Text>
            )}
            <Button
              variant="default"
              disabled={!dirty}
              onClick={() => {
                setDraft(saved);
                setErrors({});
              }}
            >
              Discard
            </Button>
            <Button
              leftSection={<IconDeviceFloppy size={16} />}
              loading={saving}
              disabled={!dirty}
              onClick={() => void save()}
            >
              Save
            </Button>
          </Group>
        </Group>
      </Paper>
      {pageWhy && (
        <Alert color="blue" role="status" title="A manager approves" data-testid="manager-approves">
          {pageWhy} {MANAGER_APPROVES} Save asks for it.
        </Alert>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        aria-label="Settings"
      >
        <Stack>
          <FeatureSection ctx={ctx} initialized={view.isFeatureInitialized} />
          <EntrySection ctx={ctx} />
          <ConnectionSection ctx={ctx} hasSecret={view.hasClientSecret} />
          <ScmSection ctx={ctx} view={view} onLoaded={adopt} />
          {/* Enter in a field saves, like the Save button. */}
          <button type="submit" hidden aria-hidden tabIndex={-1} />
          {errors.form && <ErrorAlert error={new Error(errors.form)} title="Not saved" />}
          <ErrorAlert error={failure} title="Not saved" />
        </Stack>
      </form>
      <InitializeSection
        dirty={dirty}
        onDone={() => {
          loaded.reload();
          refresh();
        }}
      />
      <ApiKeySection />
      <MappingsSection />
      <ThisPcSection />
    </Stack>
  );
}
