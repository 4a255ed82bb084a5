import { useMantineColorScheme } from '@mantine/core';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { DEFAULT_PREFERENCES, type Preferences, type PreferencesPatch } from '../../../shared/preferences';
import { rpc } from '../rpc/client';

interface PreferencesValue {
  prefs: Preferences;
  /** False until main answered: the form waits for its last values, not the defaults. */
  loaded: boolean;
  update: (patch: PreferencesPatch) => void;
}

const PreferencesContext = createContext<PreferencesValue>({
  prefs: DEFAULT_PREFERENCES,
  loaded: false,
  update: () => {},
});

/**
 * This PC's preferences (theme, grid columns and page sizes, the form's last values), kept
 * by main: electron-store in the desktop shell, preferences.json headless. A change shows
 * at once and is saved behind it.
 */
export function PreferencesProvider({ children }: { children: ReactNode }) {
  const [prefs, setPrefs] = useState<Preferences>(DEFAULT_PREFERENCES);
  const [loaded, setLoaded] = useState(false);
  const { setColorScheme } = useMantineColorScheme();

  useEffect(() => {
    rpc('preferences.get', {}).then(
      (p) => {
        setPrefs(p);
        setLoaded(true);
      },
      // Without them the defaults serve; the connection indicator says what is wrong.
      () => setLoaded(true),
    );
  }, []);
  useEffect(() => setColorScheme(prefs.theme), [prefs.theme, setColorScheme]);

  const update = useCallback((patch: PreferencesPatch) => {
    setPrefs((p) => ({
      ...p,
      ...Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && k !== 'grids')),
      grids: {
        detailed: { ...p.grids.detailed, ...patch.grids?.detailed },
        aggregated: { ...p.grids.aggregated, ...patch.grids?.aggregated },
      },
    }));
    rpc('preferences.update', patch).then(setPrefs, () => {
      // Kept for this window only; the next change tries again.
    });
  }, []);

  return (
    <PreferencesContext.Provider value={{ prefs, loaded, update }}>{children}</PreferencesContext.Provider>
  );
}

export function usePreferences(): PreferencesValue {
  return useContext(PreferencesContext);
}
