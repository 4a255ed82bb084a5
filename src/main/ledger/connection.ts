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
import { runAtOnce, yieldEvery } from '../event-loop';
import {
  LATEST_VERSION,
  LedgerDamagedError,
  LedgerTooNewError,
  type MigrationReport,
  migrate,
} from './migrations';
import type { Database } from './schema';

export const LEDGER_FILE = 'ledger.sqlite';

export interface OpenOptions {
  /** Electron passes the native module built for its own Node ABI (see scripts/prepare-electron.mjs). */
  nativeBinding?: string;
  readonly?: boolean;
  /** The second connection that carries long writes in slices: the primary already checked and migrated the file. */
  bulkWriter?: boolean;
}

/** A long write in progress on the bulk connection. */
interface PendingWrite {
  /** Runs what is left at once and commits (or rolls back): called before any other write. */
  finishNow(): void;
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
  private readonly options: OpenOptions;
  private pending: PendingWrite | null = null;
  private writeQueue: Promise<void> = Promise.resolve();
  private writer: LedgerConnection | null = null;

  constructor(
    readonly filePath: string,
    options: OpenOptions = {},
  ) {
    this.options = options;
    if (filePath !== ':memory:') fs.mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 });
    const existed = filePath !== ':memory:' && fs.existsSync(filePath);
    const primary = !options.bulkWriter;
    if (existed && primary) preflight(filePath, options);
    this.db = new Sqlite(filePath, {
      readonly: options.readonly ?? false,
      ...(options.nativeBinding && { nativeBinding: options.nativeBinding }),
    });
    try {
      if (filePath !== ':memory:' && !existed) fs.chmodSync(filePath, 0o600);
      if (existed && primary) quickCheck(this.db, filePath);
      this.db.pragma('journal_mode = WAL');
      // FULL: in WAL mode NORMAL may lose the last commits on an OS crash or power cut,
      // and a store system deletes its copy once we answer 200. A 200 means on disk.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
      this.migration = primary ? migrate(this.db, filePath) : noMigration(this.db);
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
    if (!statement.readonly) this.beforeWrite();
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
    this.beforeWrite();
    return this.db.transaction(fn).immediate();
  }

  /**
   * A write of this connection never waits on SQLite's lock (which would hold the event
   * loop for up to the busy timeout while the bulk writer, on the same thread, could not
   * move): a bulk write still in progress is finished first, at once. That costs the
   * rest of the bulk in one go, only when another writer needs the ledger meanwhile.
   */
  private beforeWrite(): void {
    this.pending?.finishNow();
  }

  /** Async writers (ingests) take turns in arrival order, so none of them meets an open bulk write. */
  async exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    const previous = this.writeQueue;
    let release!: () => void;
    this.writeQueue = new Promise((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }

  /**
   * One all-or-nothing write spread over many turns of the event loop: `steps` runs in a
   * single transaction on a second connection to the same file, a slice per turn. WAL
   * keeps readers of this connection on the last committed state meanwhile, so nobody
   * sees half a bulk, and the commit publishes it whole; an error (or a thrown conflict)
   * rolls all of it back.
   */
  writeInSlices<T>(makeSteps: (writer: LedgerConnection) => Generator<void, T>): Promise<T> {
    return this.exclusive(async () => {
      const writer = this.bulkWriter();
      writer.db.exec('BEGIN IMMEDIATE');
      const steps = makeSteps(writer);
      let outcome: { ok: true; value: T } | { ok: false; error: unknown } | null = null;
      const settle = (result: { ok: true; value: T } | { ok: false; error: unknown }) => {
        this.pending = null;
        try {
          if (result.ok) writer.db.exec('COMMIT');
        } catch (error) {
          result = { ok: false, error };
        }
        if (!result.ok && writer.db.inTransaction) writer.db.exec('ROLLBACK');
        outcome = result;
      };
      const step = (all: boolean) => {
        try {
          if (all) return settle({ ok: true, value: runAtOnce(steps) });
          const next = steps.next();
          if (next.done) settle({ ok: true, value: next.value });
        } catch (error) {
          settle({ ok: false, error });
        }
      };
      this.pending = { finishNow: () => step(true) };
      const pause = yieldEvery();
      while (!outcome) {
        step(false);
        if (!outcome) await pause();
      }
      const result = outcome as { ok: true; value: T } | { ok: false; error: unknown };
      if (result.ok) return result.value;
      throw result.error;
    });
  }

  /** Every open connection to the file: this one and, once a bulk was written, the bulk writer. */
  connections(): Sqlite.Database[] {
    return this.writer ? [this.db, this.writer.db] : [this.db];
  }

  private bulkWriter(): LedgerConnection {
    this.writer ??= new LedgerConnection(this.filePath, { ...this.options, bulkWriter: true });
    return this.writer;
  }

  integrityCheck(): string[] {
    return integrityProblems(this.db);
  }

  close(): void {
    if (!this.db.open) return;
    this.beforeWrite();
    this.writer?.close();
    this.writer = null;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }
}

function noMigration(db: Sqlite.Database): MigrationReport {
  const version = db.pragma('user_version', { simple: true }) as number;
  return { from: version, to: version, backupPath: null };
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
