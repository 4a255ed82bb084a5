import fs from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { upgradeError } from '../open-errors';
import type { Migration } from './migration';

export class LedgerTooNewError extends Error {
  constructor(
    readonly fileVersion: number,
    readonly appVersion: number,
  ) {
    super(
      `This ledger was written by a newer Store Ledger (ledger format ${fileVersion}; this app reads up to ${appVersion}). ` +
        'Install the newer Store Ledger, or open a different data folder. The file was not changed.',
    );
    this.name = 'LedgerTooNewError';
  }
}

/** The ledger file cannot be used as it is: empty, not a SQLite file, or damaged. Words and the path, no stack. */
export class LedgerDamagedError extends Error {
  constructor(
    readonly filePath: string,
    problem: string,
  ) {
    super(
      `The ledger ${filePath} ${problem}. Store Ledger did not open it and changed nothing. ` +
        'Restore it from a backup (a ledger.sqlite.v<N>.bak beside it, or your own), or move it aside to start an empty ledger.',
    );
    this.name = 'LedgerDamagedError';
  }
}

export interface MigrationReport {
  from: number;
  to: number;
  backupPath: string | null;
}

function hasTables(db: BetterSqlite3.Database): boolean {
  const row = db.prepare('SELECT count(*) AS n FROM sqlite_master WHERE type = ?').get('table') as {
    n: number;
  };
  return row.n > 0;
}

/** Where the copy taken before upgrading from `fromVersion` lives: one per schema step, beside the ledger. */
export function backupPathFor(filePath: string, fromVersion: number): string {
  return `${filePath}.v${fromVersion}.bak`;
}

/**
 * A consistent copy (VACUUM INTO) written under a temporary name and renamed over the
 * step's backup: however often a failed upgrade is retried, there is at most one backup
 * per schema step, never a half-written one, and no temporary file left behind.
 */
function writeBackup(db: BetterSqlite3.Database, backupPath: string): void {
  const temp = `${backupPath}.tmp`;
  fs.rmSync(temp, { force: true });
  try {
    db.prepare('VACUUM INTO ?').run(temp);
    fs.chmodSync(temp, 0o600);
    fs.renameSync(temp, backupPath);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Brings the file to the latest version. Before touching a ledger that holds data, a
 * consistent copy is written beside it (`ledger.sqlite.v<from>.bak`), so a failed upgrade
 * loses nothing.
 */
export function runMigrations(
  db: BetterSqlite3.Database,
  filePath: string,
  migrations: readonly Migration[],
): MigrationReport {
  const latest = Math.max(...migrations.map((m) => m.version));
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > latest) throw new LedgerTooNewError(from, latest);
  const pending = migrations.filter((m) => m.version > from).sort((a, b) => a.version - b.version);
  if (pending.length === 0) return { from, to: from, backupPath: null };

  let backupPath: string | null = null;
  if (filePath !== ':memory:' && hasTables(db)) {
    backupPath = backupPathFor(filePath, from);
    writeBackup(db, backupPath);
  }
  for (const migration of pending) {
    try {
      db.transaction(() => {
        if (typeof migration.up === 'string') db.exec(migration.up);
        else migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
      })();
    } catch (error) {
      throw upgradeError(filePath, migration, from, backupPath, error);
    }
  }
  return { from, to: latest, backupPath };
}
