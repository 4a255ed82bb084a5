import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type ServerProcess, startServer } from '../../bench/harness';
import { openLayer, tempDir } from '../helpers/layer';
import { ledgerAtVersion } from '../helpers/ledger-at';

const SERVER = path.join(ROOT, 'out/main/server.js');
let running: ServerProcess | null = null;

beforeAll(() => {
  if (!fs.existsSync(SERVER))
    spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
      { cwd: ROOT },
    );
});
afterEach(async () => {
  await running?.stop();
  running = null;
});

function writeConfig(content: unknown): string {
  const file = path.join(tempDir(), 'config.json');
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function runOnce(args: string[]) {
  return spawnSync(process.execPath, [SERVER, ...args], { encoding: 'utf8', timeout: 20_000 });
}

/** Makes a folder unwritable for this process: a mode for a user, the immutable flag for root. */
function readOnly(dir: string, on: boolean): void {
  if (process.getuid?.() !== 0) fs.chmodSync(dir, on ? 0o500 : 0o700);
  else execFileSync('chattr', [on ? '+i' : '-i', dir]);
}

describe('npm run serve (headless server)', () => {
  it('refuses an invalid provisioning file, naming the bad key, and changes nothing', () => {
    const dataDir = tempDir();
    const result = runOnce([
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--config',
      writeConfig({ environmentId: 'e1', transactions: { fnoSyncMaxLineCount: 'many' }, colour: 'red' }),
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('transactions.fnoSyncMaxLineCount');
    expect(result.stderr).toContain('colour');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const db = new Sqlite(path.join(dataDir, 'ledger.sqlite'), { readonly: true });
    expect(db.prepare("SELECT count(*) FROM settings WHERE key = 'settings'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a 0-byte ledger and a bad secrets file at start, in words with the path, quoting nothing', () => {
    const empty = tempDir();
    fs.writeFileSync(path.join(empty, 'ledger.sqlite'), '');
    const refused = runOnce(['--data-dir', empty, '--port', '0']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`The ledger ${path.join(empty, 'ledger.sqlite')} is empty (0 bytes)`);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(fs.statSync(path.join(empty, 'ledger.sqlite')).size).toBe(0);

    for (const content of ['{"apiKey":"sl_SECRET', 'null', '{"apiKey":12345}']) {
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'secrets.json'), content, { mode: 0o600 });
      const bad = runOnce(['--data-dir', dir, '--port', '0']);
      expect(bad.status, content).toBe(2);
      expect(bad.stderr).toContain(`The secrets file ${path.join(dir, 'secrets.json')}`);
      expect(bad.stderr).not.toMatch(/SECRET|12345|Cannot read properties/);
    }
  });

  it('says what is wrong with the data folder, with its path: a file in its place, a read-only folder', async () => {
    const file = path.join(tempDir(), 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const asFile = runOnce(['--data-dir', file, '--port', '0']);
    expect(asFile.status).toBe(2);
    expect(asFile.stderr).toContain(`The data folder ${file} is a file, not a folder`);
    expect(asFile.stderr).not.toMatch(/EEXIST|ENOTDIR|\n\s+at /);

    // A folder this user may not write (root ignores modes: the folder is made immutable instead).
    for (const withLedger of [false, true]) {
      const dir = tempDir();
      if (withLedger) await openLayer(dir).close();
      readOnly(dir, true);
      try {
        const refused = runOnce(['--data-dir', dir, '--port', '0']);
        expect(refused.status, refused.stderr).toBe(2);
        expect(refused.stderr).toContain(`Store Ledger cannot write in the data folder ${dir}`);
        expect(refused.stderr).not.toMatch(/unable to open database file|readonly database|\n\s+at /);
      } finally {
        readOnly(dir, false);
      }
    }
  });

  it('says which upgrade step failed, in words, and where the copy taken before it is', () => {
    const { file, db } = ledgerAtVersion(9);
    // A column the next step adds is already there (a hand-made change): the step cannot run.
    db.exec('ALTER TABLE line_entry_checks ADD COLUMN scanned_code TEXT');
    db.exec("INSERT INTO settings (key, value) VALUES ('x', 'y')");
    db.close();
    const refused = runOnce(['--data-dir', path.dirname(file), '--port', '0']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(
      `The ledger ${file} could not be upgraded to format 10 (entry-pipeline)`,
    );
    expect(refused.stderr).toContain(
      `a copy of the ledger as it was before the upgrade (format 9) is ${file}.v9.bak`,
    );
    expect(fs.existsSync(`${file}.v9.bak`)).toBe(true);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses unreadable JSON and unknown flags with a usage line', () => {
    const bad = runOnce(['--data-dir', tempDir(), '--config', writeConfig('{nope')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--config');
    const flag = runOnce(['--data-dri', 'x']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain('Usage: npm run serve');
  });

  it("applies the config, takes the article's example line from a client, and closes cleanly on SIGTERM", async () => {
    const dataDir = tempDir();
    const config = writeConfig({
      environmentId: 'env-cli',
      connection: { clientSecret: 'never-in-the-ledger-secret' },
      transactions: { periodicSyncToIV: false, periodicSyncToFno: false },
      mappings: [{ physicalMeasure: 'sold', targetTransactionStatus: 'None' }],
    });
    running = await startServer(dataDir, config, { STORE_LEDGER_API_KEY: 'cli-key-1234567890' });
    expect(running.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{20,}$/);
    const api = `${running.baseUrl}/api/environment/env-cli/transaction/adjustment`;
    const headers = { authorization: 'Bearer cli-key-1234567890', 'content-type': 'application/json' };
    const seed = {
      id: 'seed-cli',
      organizationId: 'usmf',
      productId: 'D0001',
      quantityDataSource: '@iv',
      physicalMeasure: 'adjustment',
      quantity: 5,
      dimensions: { siteId: '1', locationId: '13', colorId: 'red', sizeId: 'S', styleId: 'women' },
    };
    const posted = await fetch(`${api}/bulk`, { method: 'POST', headers, body: JSON.stringify(seed) });
    expect(posted.status).toBe(200);
    const list = (await (await fetch(`${api}/lines?status=Created`, { headers })).json()) as {
      value: { id: string; status: string }[];
    };
    expect(list.value).toEqual([expect.objectContaining({ id: 'seed-cli', status: 'Created' })]);
    await running.stop();
    expect(running.child.exitCode).toBe(0);
    running = null;
    // Closed cleanly: the WAL was checkpointed away and the mappings of the file were applied.
    expect(
      fs.existsSync(path.join(dataDir, 'ledger.sqlite-wal'))
        ? fs.statSync(path.join(dataDir, 'ledger.sqlite-wal')).size
        : 0,
    ).toBe(0);
    const db = new Sqlite(path.join(dataDir, 'ledger.sqlite'), { readonly: true });
    expect(db.prepare('SELECT physical_measure FROM mappings').pluck().all()).toEqual(['sold']);
    db.close();
    expect(fs.statSync(path.join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(dataDir, 'ledger.sqlite')).includes('never-in-the-ledger-secret')).toBe(
      false,
    );
  });
});
