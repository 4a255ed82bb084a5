import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { MIGRATIONS, migrate } from '../../src/main/ledger/migrations';
import { tempDir } from './layer';

/** A ledger file as a released version left it: the starting point of a migration test. */
export function ledgerAtVersion(version: number): { file: string; db: Sqlite.Database } {
  const file = path.join(tempDir(), 'ledger.sqlite');
  const db = new Sqlite(file);
  migrate(
    db,
    file,
    MIGRATIONS.filter((m) => m.version <= version),
  );
  return { file, db };
}
