/**
 * The ledger's migrations, one file per schema step (a migration per file, as Actual Budget
 * keeps them). Bundled, forward-only: never edit a released one (test/ledger/migration-drift
 * pins each); add the next. Each runs in its own transaction with the bump of `user_version`.
 */

import type BetterSqlite3 from 'better-sqlite3';
import { m1 } from './0001-ledger';
import { m2 } from './0002-sync';
import { m4 } from './0004-dynamics-contract';
import { m5 } from './0005-void-and-correct';
import { m6 } from './0006-store-knowledge';
import { m7 } from './0007-aggregation-by-key';
import { m8 } from './0008-aggregation-single-pass';
import { m9 } from './0009-aggregation-membership';
import { m10 } from './0010-entry-pipeline';
import { m11 } from './0011-counts-at-apply';
import { m12 } from './0012-draft-imports';
import { m13 } from './0013-people';
import { m14 } from './0014-audit';
import { m15 } from './0015-reasons-approvals';
import type { Migration } from './migration';
import { type MigrationReport, runMigrations } from './runner';

export type { Migration } from './migration';
export * from './runner';

export const MIGRATIONS: readonly Migration[] = [
  m1,
  m2,
  m4,
  m5,
  m6,
  m7,
  m8,
  m9,
  m10,
  m11,
  m12,
  m13,
  m14,
  m15,
];

export const LATEST_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** Brings the file to the latest version (or to the last of `migrations`): see runMigrations. */
export function migrate(
  db: BetterSqlite3.Database,
  filePath: string,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationReport {
  return runMigrations(db, filePath, migrations);
}
