/**
 * scripts/prepare-electron.mjs without the network: a fake project tree, the download and the
 * rebuild injected, and the real decisions and file moves checked. Above all: Node's build
 * in node_modules/better-sqlite3/build is never touched, and main finds what the script made.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseNativeBinding } from '../../src/main/electron/native-binding';
import { ROOT, tempDir } from './harness';

const SCRIPT = path.join(ROOT, 'scripts/prepare-electron.mjs');

interface RebuildOptions {
  buildPath: string;
  projectRootPath: string;
  electronVersion: string;
  arch: string;
  onlyModules: string[];
  force: boolean;
}
interface Plan {
  action: 'build' | 'skip';
  reason: string;
  stageDir: string;
  outputDir: string;
  binding: string;
  buildInfo: Record<string, string>;
}
interface Summary {
  electron: { action: 'download' | 'skip'; installed: boolean; reason: string };
  native: Plan;
}
interface PrepareOptions {
  root: string;
  force?: boolean;
  dryRun?: boolean;
  skipDownload?: boolean;
  platform?: string;
  arch?: string;
  env?: Record<string, string>;
  download?: (project: { electronVersion: string }) => void;
  rebuild?: (options: RebuildOptions) => Promise<void>;
  log?: (line: string) => void;
}
interface PrepareModule {
  prepare(options: PrepareOptions): Promise<Summary>;
  OUTPUT_DIR: string;
  BINDING_FILE: string;
  BUILD_INFO_FILE: string;
}

async function loadScript(): Promise<PrepareModule> {
  const url = pathToFileURL(SCRIPT).href;
  return (await import(url)) as PrepareModule;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function write(file: string, content: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** A project with electron (binary present or not) and better-sqlite3 holding Node's build. */
function fakeProject({ electronVersion = '45.5.0', binary = true } = {}) {
  const root = tempDir('store-ledger-prepare-');
  dirs.push(root);
  const electron = path.join(root, 'node_modules/electron');
  write(path.join(electron, 'package.json'), JSON.stringify({ name: 'electron', version: electronVersion }));
  write(path.join(electron, 'abi_version'), '150');
  if (binary) {
    write(path.join(electron, 'dist/version'), `v${electronVersion}`);
    write(path.join(electron, 'path.txt'), 'electron');
    write(path.join(electron, 'dist/electron'), 'binary');
  }
  const sqlite = path.join(root, 'node_modules/better-sqlite3');
  write(path.join(sqlite, 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.11.1' }));
  write(path.join(sqlite, 'binding.gyp'), '{}');
  write(path.join(sqlite, 'src/better_sqlite3.cpp'), '// source');
  write(path.join(sqlite, 'deps/sqlite3/sqlite3.c'), '/* sqlite */');
  write(path.join(sqlite, 'lib/index.js'), 'module.exports = {};');
  write(path.join(sqlite, 'build/Release/better_sqlite3.node'), 'NODE-20 BUILD');
  return { root, nodeBuild: path.join(sqlite, 'build/Release/better_sqlite3.node') };
}

/** Stands in for @electron/rebuild: checks what it was given, "builds" in place. */
function fakeRebuild(calls: RebuildOptions[]) {
  return async (options: RebuildOptions) => {
    calls.push(options);
    // The staged copy has the sources but none of Node's build output.
    expect(fs.existsSync(path.join(options.buildPath, 'binding.gyp'))).toBe(true);
    expect(fs.existsSync(path.join(options.buildPath, 'deps/sqlite3/sqlite3.c'))).toBe(true);
    expect(fs.existsSync(path.join(options.buildPath, 'build'))).toBe(false);
    write(
      path.join(options.buildPath, 'build/Release/better_sqlite3.node'),
      `ELECTRON ${options.electronVersion} BUILD`,
    );
  };
}

describe('prepare-electron', () => {
  it('builds in .electron-native, publishes the binding, and leaves Node’s build alone', async () => {
    const { prepare, OUTPUT_DIR, BINDING_FILE } = await loadScript();
    const { root, nodeBuild } = fakeProject();
    const calls: RebuildOptions[] = [];
    const logs: string[] = [];
    const summary = await prepare({
      root,
      platform: 'linux',
      arch: 'x64',
      env: {},
      rebuild: fakeRebuild(calls),
      download: () => {
        throw new Error('the binary is there: no download');
      },
      log: (line) => logs.push(line),
    });

    expect(summary.electron).toMatchObject({ installed: true, action: 'skip' });
    expect(summary.native.action).toBe('build');
    expect(calls).toHaveLength(1);
    const stage = path.join(root, '.electron-native/better-sqlite3');
    expect(calls[0]).toMatchObject({
      buildPath: stage,
      projectRootPath: stage,
      electronVersion: '45.5.0',
      arch: 'x64',
      onlyModules: [],
      force: true,
    });
    const binding = path.join(root, OUTPUT_DIR, BINDING_FILE);
    expect(fs.readFileSync(binding, 'utf8')).toBe('ELECTRON 45.5.0 BUILD');
    expect(fs.readFileSync(nodeBuild, 'utf8')).toBe('NODE-20 BUILD');
    expect(fs.readdirSync(path.join(root, 'node_modules/better-sqlite3/build/Release'))).toEqual([
      'better_sqlite3.node',
    ]);
    expect(logs.join('\n')).toContain('Building better-sqlite3 12.11.1 for Electron 45.5.0 (ABI 150)');

    // Main, running in that Electron, picks exactly this file; another ABI does not.
    const ctx = {
      isPackaged: false,
      appPath: root,
      resourcesPath: '',
      abi: '150',
      platform: 'linux',
      arch: 'x64',
    };
    expect(chooseNativeBinding(ctx).nativeBinding).toBe(binding);
    expect(chooseNativeBinding({ ...ctx, abi: '115' }).nativeBinding).toBeUndefined();
    expect(chooseNativeBinding({ ...ctx, arch: 'arm64' }).nativeBinding).toBeUndefined();
    // Packaged: the same two files under resources/native (electron-builder.yml extraResources).
    const resources = tempDir('store-ledger-resources-');
    dirs.push(resources);
    fs.cpSync(path.join(root, OUTPUT_DIR), path.join(resources, 'native'), { recursive: true });
    expect(
      chooseNativeBinding({ ...ctx, isPackaged: true, appPath: '/nowhere', resourcesPath: resources }),
    ).toMatchObject({
      nativeBinding: path.join(resources, 'native', BINDING_FILE),
    });
  });

  it('skips when already built for this Electron, rebuilds when Electron or the module changes', async () => {
    const { prepare } = await loadScript();
    const { root } = fakeProject();
    const calls: RebuildOptions[] = [];
    const run = (extra: Partial<PrepareOptions> = {}) =>
      prepare({
        root,
        platform: 'linux',
        arch: 'x64',
        env: {},
        rebuild: fakeRebuild(calls),
        log: () => undefined,
        ...extra,
      });

    await run();
    const again = await run();
    expect(again.native).toMatchObject({ action: 'skip' });
    expect(again.native.reason).toContain('already built for Electron 45.5.0 (ABI 150, linux-x64)');
    expect(calls).toHaveLength(1);

    expect((await run({ force: true })).native.action).toBe('build');
    expect(calls).toHaveLength(2);

    write(
      path.join(root, 'node_modules/electron/package.json'),
      JSON.stringify({ name: 'electron', version: '45.6.0' }),
    );
    const upgraded = await run({ skipDownload: true });
    expect(upgraded.native.reason).toContain('electronVersion 45.5.0 → 45.6.0');
    expect(calls).toHaveLength(3);

    // An interrupted build (binary but no build-info.json) is redone, not trusted.
    fs.rmSync(path.join(root, '.electron-native/native/build-info.json'));
    expect((await run({ skipDownload: true, dryRun: true })).native.reason).toMatch(/interrupted/);
  });

  it('downloads the Electron binary only when it is missing or for another version', async () => {
    const { prepare } = await loadScript();
    const { root } = fakeProject({ binary: false });
    const downloads: string[] = [];
    const options = {
      root,
      platform: 'linux',
      arch: 'x64',
      env: {},
      rebuild: fakeRebuild([]),
      download: (project: { electronVersion: string }) => downloads.push(project.electronVersion),
      log: () => undefined,
    };
    expect((await prepare(options)).electron).toMatchObject({ installed: false, action: 'download' });
    expect(downloads).toEqual(['45.5.0']);

    write(path.join(root, 'node_modules/electron/dist/version'), 'v44.0.0');
    write(path.join(root, 'node_modules/electron/path.txt'), 'electron');
    write(path.join(root, 'node_modules/electron/dist/electron'), 'binary');
    expect((await prepare({ ...options, dryRun: true })).electron.reason).toContain('v44.0.0');
    write(path.join(root, 'node_modules/electron/dist/version'), 'v45.5.0');
    expect((await prepare({ ...options, dryRun: true })).electron).toMatchObject({
      installed: true,
      action: 'skip',
    });
    // Windows looks for electron.exe.
    expect((await prepare({ ...options, dryRun: true, platform: 'win32' })).electron.installed).toBe(false);
  });

  it('runs as a CLI: --dry-run --json prints the plan; a missing install and a bad flag fail clearly', () => {
    const { root } = fakeProject();
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', timeout: 30_000 });
    const dry = run('--dry-run', '--json', '--root', root);
    expect(dry.status).toBe(0);
    const summary = JSON.parse(dry.stdout) as Summary;
    expect(summary.native).toMatchObject({
      action: 'build',
      buildInfo: { electronVersion: '45.5.0', abi: '150' },
    });
    expect(fs.existsSync(path.join(root, '.electron-native'))).toBe(false);

    const empty = tempDir('store-ledger-prepare-empty-');
    dirs.push(empty);
    const missing = run('--dry-run', '--root', empty);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('node_modules/electron is missing: run `npm ci` first.');

    const bad = run('--frobnicate');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('Usage: node scripts/prepare-electron.mjs');
  });
});
