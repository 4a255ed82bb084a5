import type Sqlite from 'better-sqlite3';
import { BulkWorker, type WorkerReply, workerError } from './bulk-worker';
import { Checkpointer } from './checkpointer';
import { executeWrite, type WriteReport, type WriteRequest } from './statement-runs';

/**
 * What bulk writes need of the main connection. An interface, not the class: the connection
 * owns its BulkWrites, and naming the class here would tie the two files into a cycle.
 */
export interface PrimaryConnection {
  readonly filePath: string;
  readonly db: { pragma(text: string): unknown };
  prepare(sql: string): Pick<Sqlite.Statement, 'run' | 'get'>;
  /** The write gate on the main connection: one transaction, announced once committed. */
  writeNow<T>(fn: () => T): T;
  /** Announces a commit the bulk writer made. */
  changed(): void;
}

/**
 * A write as steps: each step is a write request (statement-runs.ts), and gets back its result.
 * Decisions between requests (a conflict that must refuse the whole request) stay in the
 * caller's code; throwing rolls everything back.
 */
export type WriteSteps<T> = Generator<WriteRequest, T, WriteReport>;

/** The longest a gated write waits for open bulks before it writes anyway (finishing the bulk first). */
const IDLE_WAIT_MAX_MS = 2_000;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Long writes of the ledger (a 50,000-line bulk): one all-or-nothing transaction run by a
 * worker thread on its own connection (ledger/bulk-worker.ts), so its inserts, its commit's
 * fsync and the checkpoint after it never hold the event loop.
 *
 * - WAL keeps readers of the main connection on the last committed state meanwhile: nobody
 *   sees half a bulk, and the commit publishes it whole; an error or a thrown conflict
 *   rolls all of it back.
 * - Async writers (ingests) take turns in arrival order (`exclusive`), so none meets an
 *   open bulk. The write gate (`LedgerConnection.write`) awaits `idle` before it writes. A
 *   synchronous write of the main connection that still meets an open bulk (`writeNow`: a
 *   setting, a clerk's action) cannot wait: it has the bulk finished first (`finishPending`),
 *   sleeping until the worker is done, and so never waits on SQLite's lock. That costs the
 *   rest of the bulk at the worker's full speed, only when the two meet.
 * - The same steps run on the main connection, inside its transaction, for a small request
 *   (`runHere`), so there is one definition of each write.
 */
export class BulkWrites {
  private worker: BulkWorker | null = null;
  private readonly checkpointer: Checkpointer;
  private pending: BulkTransaction<unknown> | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly primary: PrimaryConnection,
    private readonly nativeBinding?: string,
  ) {
    this.checkpointer = new Checkpointer(primary.filePath, nativeBinding);
  }

  /** A PASSIVE checkpoint on its own thread (ledger/checkpointer.ts): for long work in slices on the main connection. */
  checkpointInBackground(): void {
    this.checkpointer.request();
  }

  /** Resolves once no checkpoint asked for so far is still to run (at once when none is). */
  checkpointed(): Promise<void> {
    return this.checkpointer.done();
  }

  /** Before any write of the main connection. */
  finishPending(): void {
    this.pending?.finishNow();
  }

  /**
   * Resolves once no bulk is open (at once when none is), or after `maxWaitMs`: the write gate
   * awaits it before it writes, so a write takes its turn instead of making the loop wait for
   * a bulk (`finishPending`). A steady stream of bulks cannot hold them back for longer.
   */
  async idle(maxWaitMs = IDLE_WAIT_MAX_MS): Promise<void> {
    const deadline = performance.now() + maxWaitMs;
    while (this.pending?.open()) {
      const left = deadline - performance.now();
      if (left <= 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.pending.settled,
        new Promise((resolve) => {
          timer = setTimeout(resolve, left);
        }),
      ]);
      clearTimeout(timer);
    }
  }

  /** A bulk's transaction is open in the worker. */
  inProgress(): boolean {
    return this.pending?.open() ?? false;
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

  /** Runs the steps in one transaction of the main connection, at once: for small writes. */
  runHere<T>(steps: WriteSteps<T>): T {
    const { primary } = this;
    return primary.writeNow(() => {
      const prepare = (sql: string) => primary.prepare(sql);
      let step = steps.next();
      while (!step.done) step = steps.next(executeWrite(prepare, step.value));
      return step.value;
    });
  }

  /** Runs the steps in one transaction of the bulk writer, the event loop free meanwhile. */
  run<T>(steps: WriteSteps<T>): Promise<T> {
    // An in-memory ledger (tests) cannot be shared with a thread: it is written here.
    if (this.primary.filePath === ':memory:') return this.exclusive(() => this.runHere(steps));
    return this.exclusive(async () => {
      const transaction = new BulkTransaction(this.bulkWorker(), steps);
      this.pending = transaction as BulkTransaction<unknown>;
      try {
        const value = await transaction.run();
        if (transaction.changes > 0) this.primary.changed();
        return value;
      } finally {
        this.pending = null;
      }
    });
  }

  /** A pragma on every connection to the file (tests make the disk "full" with max_page_count). */
  pragma(text: string): void {
    this.primary.db.pragma(text);
    this.worker?.callNow({ op: 'pragma', text });
  }

  close(): void {
    this.finishPending();
    this.worker?.close();
    this.worker = null;
    this.checkpointer.close();
  }

  private bulkWorker(): BulkWorker {
    if (!this.worker?.alive) this.worker = new BulkWorker(this.primary.filePath, this.nativeBinding);
    return this.worker;
  }
}

/**
 * One bulk's conversation with the worker: BEGIN, a request per step, then COMMIT (or
 * ROLLBACK when a step throws). Replies are awaited; `finishNow` takes them on the spot.
 */
class BulkTransaction<T> {
  private phase: 'begin' | 'steps' | 'commit' | 'rollback' = 'begin';
  private value: T | undefined;
  private error: unknown;
  private outcome: Outcome<T> | null = null;
  /** Rows the steps changed: a committed bulk that changed none is not announced. */
  changes = 0;
  /** Resolves when the transaction is committed or rolled back (never rejects). */
  readonly settled: Promise<void>;
  private markSettled!: () => void;

  constructor(
    private readonly worker: BulkWorker,
    private readonly steps: WriteSteps<T>,
  ) {
    this.settled = new Promise((resolve) => {
      this.markSettled = resolve;
    });
    worker.post({ op: 'begin' });
  }

  async run(): Promise<T> {
    for (;;) {
      const seen = this.worker.counter();
      this.handleArrived();
      if (this.outcome) return this.result();
      await this.worker.changed(seen);
    }
  }

  /** Takes and handles the replies that have come, in one synchronous stretch (see BulkWorker.take). */
  private handleArrived(): void {
    while (!this.outcome) {
      const reply = this.worker.take();
      if (!reply) return;
      this.onReply(reply);
    }
  }

  open(): boolean {
    return this.outcome === null;
  }

  finishNow(): void {
    while (!this.outcome) this.onReply(this.worker.replyNow());
  }

  private result(): T {
    const outcome = this.outcome as Outcome<T>;
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  private onReply(reply: WorkerReply): void {
    // The worker rolled back before answering an error.
    if ('error' in reply) this.end({ ok: false, error: workerError(reply.error) });
    else if (this.phase === 'commit') this.end({ ok: true, value: this.value as T });
    else if (this.phase === 'rollback') this.end({ ok: false, error: this.error });
    else this.next(this.phase === 'begin' ? undefined : (reply.result as WriteReport));
  }

  private end(outcome: Outcome<T>): void {
    this.outcome = outcome;
    this.markSettled();
  }

  private next(result: WriteReport | undefined): void {
    if (result) this.changes += result.changes;
    let step: IteratorResult<WriteRequest, T>;
    try {
      step = result === undefined ? this.steps.next() : this.steps.next(result);
    } catch (error) {
      this.error = error;
      this.phase = 'rollback';
      this.worker.post({ op: 'rollback' });
      return;
    }
    this.phase = 'steps';
    if (step.done) {
      this.value = step.value;
      this.phase = 'commit';
      this.worker.post({ op: 'commit' });
    } else this.worker.post({ op: 'write', request: step.value });
  }
}
