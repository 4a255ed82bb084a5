import { Fieldset, SegmentedControl, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { preferencesPatchSchema, type ThemePreference } from '../../../../shared/preferences';
import { usePreferences } from '../../app/preferences-context';
import { useRpc } from '../../rpc/hooks';

/**
 * Preferences of this PC, not of the ledger: saved as they change (no Save button), kept by
 * electron-store in the desktop app and in preferences.json headless.
 */
export function ThisPcSection() {
  const { prefs, update } = usePreferences();
  const info = useRpc('app.info', {});
  const [threshold, setThreshold] = useState(String(prefs.largeQuantity));
  const [error, setError] = useState<string | undefined>();
  useEffect(() => setThreshold(String(prefs.largeQuantity)), [prefs.largeQuantity]);

  const saveThreshold = () => {
    const parsed = preferencesPatchSchema.safeParse({ largeQuantity: Number(threshold.trim()) });
    if (threshold.trim() === '' || !parsed.success)
      return setError(parsed.error?.issues[0]?.message ?? 'must be a whole number');
    setError(undefined);
    if (parsed.data.largeQuantity !== prefs.largeQuantity) update(parsed.data);
  };

  return (
    <Fieldset legend="This PC" aria-label="This PC">
      <Stack>
        <Text size="sm">Kept on this PC only, and saved as you change them.</Text>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Stack gap={4}>
            <Text size="sm" fw={500} id="theme-label">
              Theme
            </Text>
            <SegmentedControl
              aria-labelledby="theme-label"
              value={prefs.theme}
              onChange={(v) => update({ theme: v as ThemePreference })}
              data={[
                { value: 'light', label: 'Light' },
                { value: 'dark', label: 'Dark' },
                { value: 'auto', label: 'Follow the system' },
              ]}
            />
          </Stack>
          <TextInput
            label="Ask before posting a quantity of"
            description="A line at or beyond this (in or out) asks the clerk to confirm it"
            inputMode="numeric"
            value={threshold}
            onChange={(e) => setThreshold(e.currentTarget.value)}
            onBlur={saveThreshold}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                saveThreshold();
              }
            }}
            error={error}
          />
        </SimpleGrid>
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
