#!/usr/bin/env node
// `npm run test:desktop`: the Playwright smoke test of the real desktop app (test/desktop).
// It needs the Electron binary, which CI machines cannot download: where it is missing this
// says so in one line and exits non-zero. It is not part of `npm test`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The binary `electron` would run, found without requiring the package (which downloads it). */
export function electronBinary() {
  const pkg = path.join(root, 'node_modules', 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = path.join(pkg, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  if (!relative) return null;
  const binary = override ? path.join(override, relative) : path.join(pkg, 'dist', relative);
  return fs.existsSync(binary) ? binary : null;
}

const run = (command, args, env = {}) =>
  spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const binary = electronBinary();
  if (!binary) {
    console.error(
      'test:desktop: the Electron binary is missing (node_modules/electron/dist); run it on a machine where `npm install` can download Electron.',
    );
    process.exit(1);
  }
  const steps = [
    [process.execPath, [path.join(root, 'scripts/prepare-electron.mjs')]],
    [process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']],
    [
      process.execPath,
      [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'vitest.desktop.config.mts'],
    ],
  ];
  for (const [command, args] of steps) {
    const status = run(command, args, { STORE_LEDGER_ELECTRON: binary });
    if (status !== 0) process.exit(status);
  }
}
