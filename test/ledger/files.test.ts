import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerConnection } from '../../src/main/ledger/connection';
import {
  LATEST_VERSION,
  LedgerDamagedError,
  LedgerTooNewError,
  MIGRATIONS,
  migrate,
} from '../../src/main/ledger/migrations';
import { tempDir } from '../helpers/layer';

const open: LedgerConnection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

function ledgerFile(): string {
  return path.join(tempDir(), 'ledger.sqlite');
}

/** A real ledger with enough rows that its index pages are worth damaging. */
function filledLedger(file: string): void {
  const conn = new LedgerConnection(file);
  const insert = conn.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
  conn.writeNow(() => {
    for (let i = 0; i < 3000; i++) insert.run(`key-${i}`, 'v'.repeat(100));
  });
  conn.close();
}

describe('ledger files', () => {
  it.each(['DELETE', 'WAL', 'TRUNCATE'])(
    'leaves a newer-schema ledger in %s journal mode byte-for-byte untouched',
    (mode) => {
      const file = ledgerFile();
      const db = new Sqlite(file);
      db.pragma(`journal_mode = ${mode}`);
      db.exec('CREATE TABLE future (a)');
      db.pragma(`user_version = ${LATEST_VERSION + 1}`);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      const before = fs.readFileSync(file);
      expect(() => new LedgerConnection(file)).toThrow(LedgerTooNewError);
      expect(() => new LedgerConnection(file)).toThrow(/was not changed/);
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    },
  );

  it('refuses a 0-byte ledger with words and the path, instead of starting a fresh one', () => {
    const file = ledgerFile();
    fs.writeFileSync(file, '');
    expect(() => new LedgerConnection(file)).toThrow(LedgerDamagedError);
    expect(() => new LedgerConnection(file)).toThrow(`The ledger ${file} is empty (0 bytes)`);
    expect(fs.statSync(file).size).toBe(0);
  });

  it('refuses a file that is not a SQLite database', () => {
    const file = ledgerFile();
    fs.writeFileSync(file, 'id,quantity\n1,5\n'.repeat(100));
    expect(() => new LedgerConnection(file)).toThrow(`The ledger ${file} is not a SQLite database`);
  });

  it('refuses a damaged ledger after the start-up quick_check, naming it', () => {
    const file = ledgerFile();
    filledLedger(file);
    const pageSize = 4096;
    const pages = fs.statSync(file).size / pageSize;
    expect(pages).toBeGreaterThan(20);
    // Scribble over the middle of the file: b-tree pages of the settings table and its index.
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(pageSize * 4, 0x5a), 0, pageSize * 4, pageSize * Math.floor(pages / 2));
    fs.closeSync(fd);
    expect(() => new LedgerConnection(file)).toThrow(LedgerDamagedError);
    expect(() => new LedgerConnection(file)).toThrow(
      new RegExp(`The ledger ${file} (failed its start-up check|is damaged)`),
    );
  });

  it('keeps at most one backup per schema step, however often a failed upgrade is retried', () => {
    const file = ledgerFile();
    const db = new Sqlite(file);
    migrate(db, file, MIGRATIONS.slice(0, 1));
    db.prepare("INSERT INTO settings (key, value) VALUES ('probe', '1')").run();
    const broken = [
      ...MIGRATIONS,
      { version: LATEST_VERSION + 1, name: 'broken', up: 'SELECT * FROM nope;' },
    ];
    for (let start = 0; start < 4; start++) expect(() => migrate(db, file, broken)).toThrow(/nope/);
    db.close();
    const dir = path.dirname(file);
    const extra = fs.readdirSync(dir).filter((name) => name !== 'ledger.sqlite');
    expect(extra.sort()).toEqual(['ledger.sqlite.v1.bak', `ledger.sqlite.v${LATEST_VERSION}.bak`].sort());
    const backup = new Sqlite(path.join(dir, `ledger.sqlite.v${LATEST_VERSION}.bak`), { readonly: true });
    expect(backup.prepare("SELECT value FROM settings WHERE key='probe'").pluck().get()).toBe('1');
    backup.close();
  });
});
