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
import { BulkWrites } from './bulk-writes';
import {
  LATEST_VERSION,
  LedgerDamagedError,
  LedgerTooNewError,
  type MigrationReport,
  migrate,
} from './migrations';
import { folderError, LedgerOpenError, openError } from './open-errors';
import type { Database } from './schema';

export const LEDGER_FILE = 'ledger.sqlite';

/** Rows this connection has changed since it opened: a gated write that moved it is announced. */
const TOTAL_CHANGES_SQL = 'SELECT total_changes()';

/** How a write goes through the gate (`LedgerConnection.write`). */
export interface WriteOptions {
  /**
   * Bookkeeping a job can redo (aggregation steps): its commit does not wait for its own
   * fsync, and it is not announced (the job's next durable write is). WAL frames reach the disk
   * in order, so the next durable commit carries these with it; an OS crash can lose only the
   * last such steps, and the job redoes them.
   */
  redoable?: boolean;
}

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
  private readonly changeListeners = new Set<() => void>();
  private totalChanges: Sqlite.Statement | null = null;
  /** Long writes off the event loop (bulk ingest), and the one way to run a write's steps. */
  readonly bulk: BulkWrites;

  constructor(
    readonly filePath: string,
    options: OpenOptions = {},
  ) {
    if (filePath !== ':memory:') {
      try {
        fs.mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 });
      } catch (error) {
        throw folderError(path.dirname(filePath), error);
      }
    }
    const existed = filePath !== ':memory:' && fs.existsSync(filePath);
    if (existed && fs.statSync(filePath).isDirectory()) throw openError(filePath, null);
    try {
      if (existed) preflight(filePath, options);
      this.db = new Sqlite(filePath, {
        readonly: options.readonly ?? false,
        ...(options.nativeBinding && { nativeBinding: options.nativeBinding }),
      });
    } catch (error) {
      throw openError(filePath, error);
    }
    try {
      if (filePath !== ':memory:' && !existed) fs.chmodSync(filePath, 0o600);
      if (existed) quickCheck(this.db, filePath);
      this.db.pragma('journal_mode = WAL');
      // FULL: in WAL mode NORMAL may lose the last commits on an OS crash or power cut,
      // and a store system deletes its copy once we answer 200. A 200 means on disk.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
      this.migration = migrate(this.db, filePath);
    } catch (error) {
      this.db.close();
      // A read-only folder or file shows first here, as SQLite sets up the write-ahead log.
      throw error instanceof LedgerOpenError || filePath === ':memory:' ? error : openError(filePath, error);
    }
    this.bulk = new BulkWrites(this, options.nativeBinding);
    this.qb = new Kysely<Database>({
      dialect: {
        createAdapter: () => new SqliteAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) => new SqliteIntrospector(db),
        createQueryCompiler: () => new SqliteQueryCompiler(),
      },
    });
  }

  /**
   * Prepared statements are cached by SQL text: the grids and jobs repeat a handful of shapes.
   * A statement that writes runs only inside the write gate (`write`, `writeNow`): one outside
   * it throws, so no write can skip the bulk's turn or the change notification.
   */
  prepare(sql: string): Sqlite.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size > 500) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    if (!statement.readonly && !this.db.inTransaction)
      throw new Error('A write of the ledger ran outside its write gate (LedgerConnection.write)');
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

  /** One statement; a write outside a gated write is a gated write of its own. */
  run(query: Compilable<unknown>): Sqlite.RunResult {
    const { sql, parameters } = query.compile();
    if (this.db.inTransaction) return this.prepare(sql).run(...(parameters as unknown[]));
    return this.writeNow(() => this.prepare(sql).run(...(parameters as unknown[])));
  }

  /**
   * The write gate, for async callers (the sync jobs, the features): waits its turn behind an
   * open bulk (`BulkWrites.idle`) instead of having the event loop wait for it, then writes
   * as `writeNow` does.
   */
  async write<T>(fn: () => T, options: WriteOptions = {}): Promise<T> {
    await this.bulk.idle();
    return this.writeNow(fn, options);
  }

  /**
   * The write gate for an intent and the upstream call it announces: `intent` is written as
   * `write` does, and `call` starts in the same synchronous stretch as its commit, so nothing
   * else is written between the two (the next call of a pipeline leaves before the answer of
   * the last one is committed). Answers what `call` returns, not awaited.
   */
  async writeThenCall<T, R>(
    intent: () => T,
    call: (written: T) => R,
    options: WriteOptions = {},
  ): Promise<R> {
    await this.bulk.idle();
    return call(this.writeNow(intent, options));
  }

  /**
   * The write gate, at once: `fn` runs in one transaction (a bulk still open in the worker is
   * finished first: `BulkWrites.finishPending`), and listeners hear of the commit if it
   * changed rows. Inside another gated write it is part of that write (no transaction of its
   * own, announced with it).
   */
  writeNow<T>(fn: () => T, options: WriteOptions = {}): T {
    if (this.db.inTransaction) return fn();
    this.bulk.finishPending();
    this.totalChanges ??= this.db.prepare(TOTAL_CHANGES_SQL).pluck();
    const before = this.totalChanges.get() as number;
    const value = options.redoable ? this.redoableTransaction(fn) : this.transaction(fn);
    if (!options.redoable && (this.totalChanges.get() as number) !== before) this.changed();
    return value;
  }

  /** Listens for committed writes that changed rows (the grids refresh, the status is pushed). Answers the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Tells the listeners of a commit (the bulk writer's too). */
  changed(): void {
    for (const listener of this.changeListeners) {
      // A committed write stays committed: a listener's failure is not the writer's.
      try {
        listener();
      } catch {}
    }
  }

  private transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** See WriteOptions.redoable. Synchronous code: nothing else runs on this connection until FULL is back. */
  private redoableTransaction<T>(fn: () => T): T {
    this.db.pragma('synchronous = NORMAL');
    try {
      return this.transaction(fn);
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  integrityCheck(): string[] {
    return integrityProblems(this.db);
  }

  close(): void {
    if (!this.db.open) return;
    this.bulk.close();
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** SQLite's words for a file it cannot read as a database. */
function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT_INDEX';
}

/**
 * Before the file is opened for writing (which sets WAL mode and so rewrites its header):
 * an empty or foreign file is refused instead of silently becoming a fresh ledger, and a
 * ledger written by a newer app is refused after a read-only look, leaving it
 * byte-for-byte as it was whatever its journal mode.
 */
function preflight(filePath: string, options: OpenOptions): void {
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = fs.openSync(filePath, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, header, 0, header.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read === 0) throw new LedgerDamagedError(filePath, 'is empty (0 bytes)');
  if (read < header.length || !header.equals(SQLITE_HEADER))
    throw new LedgerDamagedError(filePath, 'is not a SQLite database');
  let version: number;
  const peek = new Sqlite(filePath, {
    readonly: true,
    fileMustExist: true,
    ...(options.nativeBinding && { nativeBinding: options.nativeBinding }),
  });
  try {
    version = peek.pragma('user_version', { simple: true }) as number;
  } catch (error) {
    if (isDamage(error)) throw new LedgerDamagedError(filePath, 'is damaged and cannot be read');
    throw error;
  } finally {
    peek.close();
  }
  if (version > LATEST_VERSION) throw new LedgerTooNewError(version, LATEST_VERSION);
}

/**
 * `PRAGMA quick_check` at every start: a damaged page is found before the first write
 * lands next to it. It reads the whole file (about a second per few hundred MB), once,
 * before the listener opens; the full `integrity_check` runs on demand.
 */
function quickCheck(db: Sqlite.Database, filePath: string): void {
  let problems: string[];
  try {
    problems = (db.pragma('quick_check(5)') as { quick_check: string }[])
      .map((r) => r.quick_check)
      .filter((r) => r !== 'ok');
  } catch (error) {
    if (isDamage(error)) throw new LedgerDamagedError(filePath, 'is damaged and cannot be read');
    throw error;
  }
  if (problems.length > 0)
    throw new LedgerDamagedError(filePath, `failed its start-up check (${problems.join('; ')})`);
}

/** The full check: every page, every index entry, every foreign key. */
export function integrityProblems(db: Sqlite.Database): string[] {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  const fk = db.pragma('foreign_key_check') as unknown[];
  const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
  if (fk.length > 0) problems.push(`${fk.length} foreign key violations`);
  return problems;
}
