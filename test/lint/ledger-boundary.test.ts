// The lint rule that keeps SQL, transactions and the raw connection inside src/main/ledger
// (lint/ledger-boundary.grit, applied by biome.json): a probe file that breaks it is refused,
// the same code inside the ledger is not, and a write through the gate passes.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const biome = path.join(root, 'node_modules/@biomejs/biome/bin/biome');
const RULE = /Raw ledger access outside src\/main\/ledger/;

const RAW = `import type Sqlite from 'better-sqlite3';
import { connectionOf } from '../ledger/internal';

export function probe(db: Sqlite.Database, store: { conn: { db: Sqlite.Database } }, ledger: object): unknown {
  db.prepare('UPDATE settings SET value = 1').run();
  store.conn.db.pragma('user_version');
  return connectionOf(ledger);
}
`;

const GATED = `import type { Ledger } from '../ledger';

export function probe(ledger: Ledger): Promise<void> {
  return ledger.write(() => ledger.settings.writeValue('probe', 'x'));
}
`;

/** Writes `source` as a temporary file in `folder` (under src/main), lints it, removes it. */
async function lint(folder: string, source: string): Promise<{ failed: boolean; output: string }> {
  const file = path.join(root, 'src/main', folder, `lint-probe-${process.pid}.ts`);
  fs.writeFileSync(file, source);
  try {
    await promisify(execFile)(process.execPath, [biome, 'lint', '--max-diagnostics=50', file], { cwd: root });
    return { failed: false, output: '' };
  } catch (error) {
    const e = error as { stdout: string; stderr: string };
    return { failed: true, output: `${e.stdout}${e.stderr}` };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

describe('the ledger boundary lint rule', () => {
  it('refuses a probe outside the ledger that imports the connection, prepares SQL and reaches conn.db', async () => {
    const { failed, output } = await lint('sync', RAW);
    expect(failed).toBe(true);
    expect(output).toMatch(RULE);
    for (const hit of ["from 'better-sqlite3'", "from '../ledger/internal'", 'db.prepare(', 'store.conn.db'])
      expect(output).toContain(hit);
  });

  it('lets the ledger itself do the same, and the sync write through the gate', async () => {
    expect((await lint('ledger', RAW.replace('../ledger/internal', './internal'))).output).not.toMatch(RULE);
    expect(await lint('sync', GATED)).toEqual({ failed: false, output: '' });
  });
});
