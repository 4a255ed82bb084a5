import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonFileBackend, PreferenceStore } from '../../src/main/preferences/preferences-store';
import { DEFAULT_PREFERENCES, preferencesPatchSchema } from '../../src/shared/preferences';
import { tempDir } from '../helpers/layer';

const open = (dir: string) => new PreferenceStore(jsonFileBackend(dir));
const file = (dir: string) => path.join(dir, 'preferences.json');

describe("this PC's preferences (headless: preferences.json in the data directory)", () => {
  it('starts from the defaults, changes only what a patch names, and survives a restart', () => {
    const dir = tempDir();
    const store = open(dir);
    expect(store.get()).toEqual(DEFAULT_PREFERENCES);
    store.update({ theme: 'dark', grids: { detailed: { hiddenColumns: ['dimensions'] } } });
    store.update(preferencesPatchSchema.parse({ grids: { detailed: { pageSize: 25 } } }));
    const again = open(dir).get();
    expect(again.theme).toBe('dark');
    expect(again.grids.detailed).toEqual({ hiddenColumns: ['dimensions'], pageSize: 25 });
    expect(again.grids.aggregated).toEqual(DEFAULT_PREFERENCES.grids.aggregated);
  });

  it('refuses a bad change with the field and the rule, and keeps no field it does not know', () => {
    const bad = preferencesPatchSchema.safeParse({ theme: 'blue', grids: { detailed: { pageSize: 7 } } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => `${i.path.join('.')} ${i.message}`)).toEqual([
      'theme must be one of light, dark, auto',
      'grids.detailed.pageSize must be one of 25, 50, 100',
    ]);
    expect(preferencesPatchSchema.safeParse({ clientSecret: 'x' }).success).toBe(false);
  });

  it('migrates a file without a version, and sets an invalid one aside for the defaults', () => {
    const dir = tempDir();
    fs.writeFileSync(file(dir), JSON.stringify({ theme: 'light', largeQuantity: 40 }));
    const migrated = open(dir).get();
    expect(migrated).toMatchObject({ version: 2, theme: 'light' });
    expect(migrated).not.toHaveProperty('largeQuantity');

    const broken = tempDir();
    fs.writeFileSync(file(broken), '{"theme": "light", "apiKey": "sl_secret"}');
    const logged: string[] = [];
    const store = new PreferenceStore(jsonFileBackend(broken), (m) => logged.push(m));
    expect(store.get()).toEqual(DEFAULT_PREFERENCES);
    expect(fs.existsSync(`${file(broken)}.invalid`)).toBe(true);
    expect(logged.join()).not.toContain('sl_secret');
  });

  it("loads a version 1 file with the PC's large-quantity threshold: it is the store's setting now", () => {
    const dir = tempDir();
    const v1 = { version: 1, theme: 'dark', largeQuantity: 40, lastForm: { siteId: '1', locationId: '13' } };
    fs.writeFileSync(file(dir), JSON.stringify(v1));
    const logged: string[] = [];
    const store = new PreferenceStore(jsonFileBackend(dir), (m) => logged.push(m));
    expect(store.get()).toEqual({
      ...DEFAULT_PREFERENCES,
      theme: 'dark',
      lastForm: { siteId: '1', locationId: '13' },
    });
    expect(logged).toEqual([]);
    expect(fs.existsSync(`${file(dir)}.invalid`)).toBe(false);
    // Written back as version 2 with the next change; the window can no longer set a threshold.
    store.update({ theme: 'light' });
    expect(JSON.parse(fs.readFileSync(file(dir), 'utf8'))).not.toHaveProperty('largeQuantity');
    expect(preferencesPatchSchema.safeParse({ largeQuantity: 40 }).success).toBe(false);
  });
});
