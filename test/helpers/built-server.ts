import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, type ServerProcess } from '../../bench/harness';

export const BUILT_SERVER = path.join(ROOT, 'out/main/server.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Tests that kill the headless server run the built bundle (out/main/server.js), and the tenant
 * check's tests its own (out/main/tenant-check.js): rebuild it
 * when a main or shared source is newer, so the process under test contains the code under test.
 */
export function ensureBuiltServer(bundle = BUILT_SERVER): void {
  const built = fs.existsSync(bundle) ? fs.statSync(bundle).mtimeMs : 0;
  const sources = Math.max(
    newestSource(path.join(ROOT, 'src/main')),
    newestSource(path.join(ROOT, 'src/shared')),
  );
  if (built >= sources) return;
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) throw new Error(`electron-vite build failed: ${result.stderr}`);
}

/** kill -9, and wait until the process is gone. */
export async function killServer(s: ServerProcess): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise((resolve) => s.child.once('exit', resolve));
  s.child.kill('SIGKILL');
  await exited;
}
