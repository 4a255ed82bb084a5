import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BINDING_FILE,
  BUILD_INFO_FILE,
  NATIVE_DIR_DEV,
  NATIVE_DIR_PACKAGED,
} from '../../src/main/electron/native-binding';
import { ROOT } from './harness';

const require = createRequire(import.meta.url);

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  npmRebuild: boolean;
  extraResources: { from: string; to: string; filter: string[] }[];
  electronFuses: Record<string, boolean>;
  win: { target: { target: string }[] };
  linux: { target: { target: string }[] };
}

/** electron-builder itself cannot run here (it needs the Electron binary); its schema check can. */
describe('electron-builder.yml', () => {
  const yaml = require('js-yaml') as { load(text: string): unknown };
  const config = yaml.load(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

  it('passes electron-builder’s own configuration schema', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('targets NSIS and Linux, and ships the Electron build of better-sqlite3 where main looks for it', () => {
    expect(config).toMatchObject({ productName: 'Store Ledger', npmRebuild: false });
    expect(config.files).toContain('out/**');
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.linux.target.map((t) => t.target).sort()).toEqual(['AppImage', 'deb']);
    expect(config.extraResources).toEqual([
      {
        from: NATIVE_DIR_DEV.split(path.sep).join('/'),
        to: NATIVE_DIR_PACKAGED,
        filter: [BINDING_FILE, BUILD_INFO_FILE],
      },
      { from: 'resources', to: 'tray', filter: ['tray.png', 'tray-attention.png'] },
    ]);
    for (const icon of ['tray.png', 'tray-attention.png'])
      expect(fs.existsSync(path.join(ROOT, 'resources', icon))).toBe(true);
  });

  it('flips the fuses: no RunAsNode, no NODE_OPTIONS or --inspect, asar only and integrity-checked', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
  });
});
