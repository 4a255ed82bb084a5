import { ActionIcon, Menu } from '@mantine/core';
import { IconCheck, IconDeviceDesktop, IconMoon, IconSun } from '@tabler/icons-react';
import type { ThemePreference } from '../../../shared/preferences';
import { usePreferences } from '../state/preferences-context';

const CHOICES: { value: ThemePreference; label: string; icon: typeof IconSun }[] = [
  { value: 'light', label: 'Light', icon: IconSun },
  { value: 'dark', label: 'Dark', icon: IconMoon },
  { value: 'auto', label: 'Follow the system', icon: IconDeviceDesktop },
];

/** The header's theme switch: light, dark or as the operating system says; kept on this PC. */
export function ThemeSwitch() {
  const { prefs, update } = usePreferences();
  const current = CHOICES.find((c) => c.value === prefs.theme) ?? CHOICES[2]!;
  const Icon = current.icon;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="default" size="lg" aria-label={`Theme: ${current.label}`} data-testid="theme">
          <Icon size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Theme</Menu.Label>
        {CHOICES.map((c) => (
          <Menu.Item
            key={c.value}
            leftSection={<c.icon size={16} />}
            rightSection={c.value === prefs.theme ? <IconCheck size={14} /> : null}
            onClick={() => update({ theme: c.value })}
          >
            {c.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
