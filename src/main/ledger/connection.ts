import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import {
  type Compilable,
  DummyDriver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { type MigrationReport, migrate } from './migrations';
import type { Database } from './schema';

export const LEDGER_FILE = 'ledger.sqlite';

export interface OpenOptions {
  /** Electron passes the native module built for its own Node ABI (see scripts/prepare-electron.mjs). */
  nativeBinding?: string;
  readonly?: boolean;
}

/**
 * The one connection to the ledger. Kysely is used as a typed query *builder* only:
 * queries compile to SQL and run synchronously on better-sqlite3, so a transaction is
 * one synchronous block that no other work can interleave with (one writer, no awaits).
 */
export class LedgerConnection {
  readonly db: Sqlite.Database;
  readonly qb: Kysely<Database>;
  readonly migration: MigrationReport;
  private readonly statements = new Map<string, Sqlite.Statement>();

  constructor(
    readonly filePath: string,
    options: OpenOptions = {},
  ) {
    if (filePath !== ':memory:') fs.mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 });
    const existed = filePath !== ':memory:' && fs.existsSync(filePath);
    this.db = new Sqlite(filePath, {
      readonly: options.readonly ?? false,
      ...(options.nativeBinding && { nativeBinding: options.nativeBinding }),
    });
    try {
      if (filePath !== ':memory:' && !existed) fs.chmodSync(filePath, 0o600);
      this.db.pragma('journal_mode = WAL');
      // FULL: in WAL mode NORMAL may lose the last commits on an OS crash or power cut,
      // and a store system deletes its copy once we answer 200. A 200 means on disk.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
      this.migration = migrate(this.db, filePath);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.qb = new Kysely<Database>({
      dialect: {
        createAdapter: () => new SqliteAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) => new SqliteIntrospector(db),
        createQueryCompiler: () => new SqliteQueryCompiler(),
      },
    });
  }

  /** Prepared statements are cached by SQL text: the grids and jobs repeat a handful of shapes. */
  prepare(sql: string): Sqlite.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size > 500) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  all<R>(query: Compilable<R>): R[] {
    const { sql, parameters } = query.compile();
    return this.prepare(sql).all(...(parameters as unknown[])) as R[];
  }

  first<R>(query: Compilable<R>): R | undefined {
    const { sql, parameters } = query.compile();
    return this.prepare(sql).get(...(parameters as unknown[])) as R | undefined;
  }

  run(query: Compilable<unknown>): Sqlite.RunResult {
    const { sql, parameters } = query.compile();
    return this.prepare(sql).run(...(parameters as unknown[]));
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  integrityCheck(): string[] {
    const rows = this.db.pragma('integrity_check') as { integrity_check: string }[];
    const fk = this.db.pragma('foreign_key_check') as unknown[];
    const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    if (fk.length > 0) problems.push(`${fk.length} foreign key violations`);
    return problems;
  }

  close(): void {
    if (!this.db.open) return;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }
}
