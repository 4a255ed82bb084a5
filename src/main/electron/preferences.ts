import ElectronStore from 'electron-store';
import type { Preferences } from '../../shared/preferences';
import type { PreferenceBackend } from '../preferences/preferences-store';

/**
 * The desktop app's preferences live in electron-store (`preferences.json` in userData, written
 * atomically). Validation and migration are the PreferenceStore's, the same as headless, so
 * electron-store is used as storage only: no schema of its own, an unreadable file cleared.
 */
export function electronStoreBackend(): PreferenceBackend {
  const store = new ElectronStore<Record<string, unknown>>({ name: 'preferences', clearInvalidConfig: true });
  return {
    read: () => (store.size === 0 ? undefined : store.store),
    write: (value: Preferences) => {
      store.store = value as unknown as Record<string, unknown>;
    },
    setAside: () => store.clear(),
  };
}
