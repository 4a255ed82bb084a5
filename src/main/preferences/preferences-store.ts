import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_PREFERENCES,
  PREFERENCES_VERSION,
  type Preferences,
  type PreferencesPatch,
  preferencesSchema,
  type WindowBounds,
} from '../../shared/preferences';

export const PREFERENCES_FILE = 'preferences.json';

/** Where preferences are kept: a JSON file headless, electron-store in the desktop shell. */
export interface PreferenceBackend {
  read(): unknown;
  write(value: Preferences): void;
  /** Sets a file that could not be read aside, so the next start does not trip on it again. */
  setAside(): void;
}

/**
 * Each step takes the stored object of version N to N+1. Version 1 is the first one
 * shipped; an object without a version predates it and only needs the stamp. Version 2
 * moved the large-quantity threshold to the store's settings: the PC's value is dropped
 * (the strict schema would otherwise refuse the whole file), not carried over, as PCs of
 * one store could disagree.
 */
const MIGRATIONS: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {
  0: (raw) => ({ ...raw, version: 1 }),
  1: ({ largeQuantity: _dropped, ...rest }) => ({ ...rest, version: 2 }),
};

export function migratePreferences(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  let value = raw as Record<string, unknown>;
  let version = typeof value.version === 'number' ? value.version : 0;
  while (version < PREFERENCES_VERSION && MIGRATIONS[version]) {
    value = MIGRATIONS[version]!(value);
    version += 1;
  }
  return value;
}

/**
 * The PC's preferences, schema-validated on read and on every change. A stored value that
 * no longer validates (hand-edited, from a newer version) is set aside and the defaults
 * used: a preference never stops Store Ledger from starting.
 */
export class PreferenceStore extends EventEmitter<{ changed: [Preferences] }> {
  private value: Preferences;

  constructor(
    private readonly backend: PreferenceBackend,
    log: (message: string) => void = () => {},
  ) {
    super();
    const raw = backend.read();
    const parsed = raw === undefined ? null : preferencesSchema.safeParse(migratePreferences(raw));
    if (parsed && !parsed.success) {
      log('Preferences: the stored preferences are not valid; they were set aside and the defaults used');
      backend.setAside();
    }
    this.value = parsed?.success ? parsed.data : structuredClone(DEFAULT_PREFERENCES);
  }

  get(): Preferences {
    return structuredClone(this.value);
  }

  update(patch: PreferencesPatch): Preferences {
    const current = this.value;
    const next = preferencesSchema.parse({
      ...current,
      ...stripUndefined(patch),
      grids: {
        detailed: { ...current.grids.detailed, ...stripUndefined(patch.grids?.detailed ?? {}) },
        aggregated: { ...current.grids.aggregated, ...stripUndefined(patch.grids?.aggregated ?? {}) },
      },
      lastForm: patch.lastForm ?? current.lastForm,
      lastScan: patch.lastScan ?? current.lastScan,
    });
    return this.save(next);
  }

  /** The shell keeps the window's place; the window itself cannot set it. */
  setWindow(bounds: WindowBounds): void {
    this.save(preferencesSchema.parse({ ...this.value, window: bounds }));
  }

  private save(next: Preferences): Preferences {
    this.value = next;
    this.backend.write(next);
    this.emit('changed', this.get());
    return this.get();
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Headless: `preferences.json` in the data directory, written whole to a temp file, then renamed. */
export function jsonFileBackend(dataDir: string): PreferenceBackend {
  const file = path.join(dataDir, PREFERENCES_FILE);
  return {
    read: () => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return null;
      }
    },
    write: (value) => {
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
      fs.renameSync(tmp, file);
    },
    setAside: () => {
      try {
        fs.renameSync(file, `${file}.invalid`);
      } catch {
        // Nothing to set aside.
      }
    },
  };
}
