import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerConnection } from '../../src/main/ledger/connection';
import { LATEST_VERSION, LedgerTooNewError, MIGRATIONS, migrate } from '../../src/main/ledger/migrations';
import { tempDir } from '../helpers/layer';

const open: LedgerConnection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

function connect(file: string): LedgerConnection {
  const conn = new LedgerConnection(file);
  open.push(conn);
  return conn;
}

describe('migrations', () => {
  it('creates a fresh ledger at the latest version, owner-only, without a backup', () => {
    const dir = tempDir();
    const file = path.join(dir, 'ledger.sqlite');
    const conn = connect(file);
    expect(conn.migration).toEqual({ from: 0, to: LATEST_VERSION, backupPath: null });
    expect(conn.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const tables = conn.db
      .prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining([
        'adjustment_lines',
        'aggregated_lines',
        'journal_batches',
        'mappings',
        'settings',
        'sync_runs',
      ]),
    );
    expect(conn.db.prepare('SELECT physical_measure, target_transaction_status FROM mappings').all()).toEqual(
      [{ physical_measure: 'adjustment', target_transaction_status: 'Posted' }],
    );
    expect(conn.integrityCheck()).toEqual([]);
  });

  it('is a no-op when reopened', () => {
    const file = path.join(tempDir(), 'ledger.sqlite');
    connect(file).close();
    expect(connect(file).migration).toEqual({ from: LATEST_VERSION, to: LATEST_VERSION, backupPath: null });
  });

  it('upgrades a ledger with data after copying it aside, keeping the rows', () => {
    const file = path.join(tempDir(), 'ledger.sqlite');
    const db = new Sqlite(file);
    migrate(db, file, MIGRATIONS.slice(0, 1));
    db.prepare("INSERT INTO settings (key, value) VALUES ('probe', '1')").run();
    const next = [
      ...MIGRATIONS,
      { version: LATEST_VERSION + 1, name: 'probe', up: 'ALTER TABLE settings ADD COLUMN note TEXT;' },
    ];
    const report = migrate(db, file, next);
    expect(report.from).toBe(1);
    expect(report.to).toBe(LATEST_VERSION + 1);
    expect(report.backupPath).not.toBeNull();
    const backup = new Sqlite(report.backupPath!, { readonly: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(1);
    expect(backup.prepare("SELECT value FROM settings WHERE key='probe'").pluck().get()).toBe('1');
    backup.close();
    expect(db.prepare("SELECT value, note FROM settings WHERE key='probe'").get()).toEqual({
      value: '1',
      note: null,
    });
    db.close();
  });

  it('rolls a failing migration back whole', () => {
    const file = path.join(tempDir(), 'ledger.sqlite');
    const db = new Sqlite(file);
    migrate(db, file, MIGRATIONS.slice(0, 1));
    const broken = [
      ...MIGRATIONS,
      {
        version: LATEST_VERSION + 1,
        name: 'broken',
        up: 'CREATE TABLE half (a); SELECT * FROM no_such_table;',
      },
    ];
    expect(() => migrate(db, file, broken)).toThrow(/no_such_table/);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name='half'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a ledger written by a newer app, leaving the file untouched', () => {
    const file = path.join(tempDir(), 'ledger.sqlite');
    connect(file).close();
    const db = new Sqlite(file);
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.close();
    const before = fs.readFileSync(file);
    expect(() => new LedgerConnection(file)).toThrow(LedgerTooNewError);
    expect(() => new LedgerConnection(file)).toThrow(/newer Store Ledger/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});
