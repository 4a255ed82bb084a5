import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './harness';

describe('npm run test:desktop', () => {
  it('says in one line that the Electron binary is missing, and exits non-zero', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/test-desktop.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: tempDir('no-electron-') },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      'test:desktop: the Electron binary is missing (node_modules/electron/dist); run it on a machine where `npm install` can download Electron.',
    ]);
  });
});
