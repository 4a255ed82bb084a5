import fsp from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import type Sqlite from 'better-sqlite3';
import { runAtOnce, yieldEvery } from '../event-loop';
import type { LedgerConnection } from './connection';
import { startSqliteWorker } from './sqlite-worker';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Slices between two syncs of the WAL while a bulk is written (about 40 ms of work). */
const SLICES_PER_SYNC = 4;

/** The checkpointer: copies the WAL into the ledger file off the event loop, never blocking anyone (PASSIVE). */
const CHECKPOINT_SOURCE = `
const db = open(false);
parentPort.on('message', () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  parentPort.postMessage('done');
});
`;

/**
 * Long writes of the ledger: one all-or-nothing transaction spread over many turns of the
 * event loop, on a second connection to the same file (the bulk writer), a slice per turn.
 *
 * - WAL keeps readers of the main connection on the last committed state meanwhile: nobody
 *   sees half a bulk, and the commit publishes it whole; an error or a thrown conflict
 *   rolls all of it back.
 * - Async writers (ingests) take turns in arrival order (`exclusive`), so none meets an
 *   open bulk. A synchronous writer of the main connection (the sync jobs, settings)
 *   cannot wait: it finishes the bulk first, at once (`finishPending`), and so never
 *   waits on SQLite's lock, which would hold the loop while the bulk, on the same thread,
 *   could not move. That costs the rest of the bulk in one go, only when the two meet.
 * - The commit's own work is kept small: the WAL written so far is synced between slices
 *   (asynchronously, on libuv's pool) so the commit's fsync has little left, and the
 *   checkpoint of a big WAL runs in a worker thread instead of inside the next commit.
 */
export class BulkWrites {
  private writer: LedgerConnection | null = null;
  private checkpointer: Worker | null = null;
  /** A checkpoint is running on the checkpointer thread; `again`: another was asked for meanwhile. */
  private checkpointing = false;
  private again = false;
  private idle: (() => void)[] = [];
  private pending: (() => void) | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly primary: LedgerConnection,
    private readonly openWriter: () => LedgerConnection,
    private readonly nativeBinding?: string,
  ) {}

  /** Before any write of the main connection. */
  finishPending(): void {
    this.pending?.();
  }

  async exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }

  run<T>(makeSteps: (writer: LedgerConnection) => Generator<void, T>): Promise<T> {
    return this.exclusive(async () => {
      const writer = this.bulkWriter();
      writer.db.exec('BEGIN IMMEDIATE');
      const steps = makeSteps(writer);
      let done: { value: T } | null = null;
      let outcome: Outcome<T> | null = null;
      const settle = (result: Outcome<T>) => {
        this.pending = null;
        try {
          if (result.ok) writer.db.exec('COMMIT');
        } catch (error) {
          result = { ok: false, error };
        }
        if (!result.ok && writer.db.inTransaction) writer.db.exec('ROLLBACK');
        outcome = result;
      };
      const attempt = (work: () => void) => {
        try {
          work();
        } catch (error) {
          settle({ ok: false, error });
        }
      };
      this.pending = () => attempt(() => settle({ ok: true, value: done ? done.value : runAtOnce(steps) }));
      const pause = yieldEvery();
      // Opened for writing: Windows flushes only handles with write access. Syncing is an
      // optimisation of the commit, never a condition of it, so a failure only skips it.
      const wal = await fsp.open(`${this.primary.filePath}-wal`, 'r+').catch(() => null);
      const sync = () => wal?.datasync().catch(() => {});
      try {
        let slicesRun = 0;
        for (let slices = 1; !outcome && !done; slices++) {
          slicesRun = slices;
          attempt(() => {
            const next = steps.next();
            if (next.done) done = { value: next.value };
          });
          if (outcome || done) break;
          await pause();
          if (slices % SLICES_PER_SYNC === 0) await sync();
        }
        // A small bulk leaves little unsynced: the commit's own fsync is cheaper than an extra one.
        if (!outcome && slicesRun > SLICES_PER_SYNC) await sync();
      } finally {
        await wal?.close();
      }
      if (!outcome) settle({ ok: true, value: (done as unknown as { value: T }).value });
      const result = outcome as unknown as Outcome<T>;
      if (!result.ok) throw result.error;
      this.checkpoint();
      return result.value;
    });
  }

  /** Every open connection to the file: the main one and, once a bulk was written, the bulk writer. */
  connections(): Sqlite.Database[] {
    return this.writer ? [this.primary.db, this.writer.db] : [this.primary.db];
  }

  close(): void {
    this.finishPending();
    this.writer?.close();
    this.writer = null;
    void this.checkpointer?.terminate();
    this.checkpointer = null;
    this.again = false;
    this.settled();
  }

  private bulkWriter(): LedgerConnection {
    if (!this.writer) {
      this.writer = this.openWriter();
      // Its commits leave the WAL to the checkpointer instead of copying it back inline.
      this.writer.db.pragma('wal_autocheckpoint = 0');
      this.writer.db.pragma('cache_size = -512');
    }
    return this.writer;
  }

  /**
   * A PASSIVE checkpoint on the checkpointer thread, for long work in slices on the main
   * connection (aggregation) that turns its own checkpoints off: asked while one runs, one
   * more follows it, never a queue.
   */
  checkpointInBackground(): void {
    if (this.primary.filePath === ':memory:') return;
    if (this.checkpointing) {
      this.again = true;
      return;
    }
    this.checkpoint();
  }

  /** Resolves once no checkpoint asked for so far is still to run (at once when none is). */
  checkpointed(): Promise<void> {
    if (!this.checkpointing) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private settled(): void {
    this.checkpointing = false;
    for (const resolve of this.idle.splice(0)) resolve();
  }

  private checkpoint(): void {
    if (!this.checkpointer) {
      this.checkpointer = startSqliteWorker(CHECKPOINT_SOURCE, {
        file: this.primary.filePath,
        nativeBinding: this.nativeBinding,
      });
      this.checkpointer.unref();
      this.checkpointer.on('error', () => {
        this.checkpointer = null;
        this.settled();
      });
      this.checkpointer.on('message', () => {
        if (!this.again) return this.settled();
        this.again = false;
        this.checkpoint();
      });
    }
    this.checkpointing = true;
    this.checkpointer.postMessage('checkpoint');
  }
}
