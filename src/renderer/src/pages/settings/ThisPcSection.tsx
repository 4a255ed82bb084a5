import { Fieldset, SegmentedControl, Stack, Switch, Text } from '@mantine/core';
import type { ThemePreference } from '../../../../shared/preferences';
import { useRpc } from '../../rpc/hooks';
import { usePreferences } from '../../state/preferences-context';

/**
 * Preferences of this PC, not of the ledger: saved as they change (no Save button), kept by
 * electron-store in the desktop app and in preferences.json headless. The large-quantity
 * threshold is no longer here: it is the store's (Settings → Entry).
 */
export function ThisPcSection() {
  const { prefs, update } = usePreferences();
  const info = useRpc('app.info', {});
  return (
    <Fieldset legend="This PC" aria-label="This PC">
      <Stack>
        <Text size="sm">Kept on this PC only, and saved as you change them.</Text>
        <Stack gap={4}>
          <Text size="sm" fw={500} id="theme-label">
            Theme
          </Text>
          <SegmentedControl
            aria-labelledby="theme-label"
            value={prefs.theme}
            onChange={(v) => update({ theme: v as ThemePreference })}
            style={{ alignSelf: 'flex-start' }}
            data={[
              { value: 'light', label: 'Light' },
              { value: 'dark', label: 'Dark' },
              { value: 'auto', label: 'Follow the system' },
            ]}
          />
        </Stack>
        {info.data?.platform === 'electron' && (
          <Switch
            label="Start Store Ledger when I log in"
            description="Keeps the local API the store's systems post to running from the start of the day"
            checked={prefs.startAtLogin}
            onChange={(e) => update({ startAtLogin: e.currentTarget.checked })}
          />
        )}
      </Stack>
    </Fieldset>
  );
}
