import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { startSqliteWorker } from './sqlite-worker';
import { executeWrite, type WriteReport, type WriteRequest } from './statement-runs';

export type WorkerRequest =
  | { op: 'begin' | 'commit' | 'rollback' | 'close' }
  | { op: 'write'; request: WriteRequest }
  | { op: 'pragma'; text: string };

export type WorkerReply = { result: WriteReport | unknown } | { error: { message: string; code?: string } };

/**
 * The bulk writer's thread: its own connection to the ledger, set up as the main one, that
 * runs a bulk's transaction (BEGIN, the write requests, COMMIT and its fsync, then a passive
 * checkpoint of the WAL) without ever holding the main event loop. A failing request rolls
 * the whole transaction back before it answers.
 */
const WORKER_SOURCE = `
const __name = (f) => f;
const executeWrite = ${executeWrite.toString()};
const db = open(false);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = 0');
const statements = new Map();
const prepare = (sql) => {
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
};
const signal = new Int32Array(workerData.signal);
const answer = (reply) => {
  workerData.replies.postMessage(reply);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
};
parentPort.on('message', (m) => {
  try {
    if (m.op === 'begin') db.exec('BEGIN IMMEDIATE');
    if (m.op === 'write') return answer({ result: executeWrite(prepare, m.request) });
    if (m.op === 'pragma') return answer({ result: db.pragma(m.text) });
    if (m.op === 'rollback' && db.inTransaction) db.exec('ROLLBACK');
    if (m.op === 'close') db.close();
    if (m.op === 'commit') {
      db.exec('COMMIT');
      answer({ result: null });
      try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
      return;
    }
    answer({ result: null });
  } catch (error) {
    try { if (db.open && db.inTransaction) db.exec('ROLLBACK'); } catch {}
    answer({ error: { message: String(error && error.message), code: error && error.code } });
  }
});
`;

/** How long a synchronous wait for the worker may last before it is called stuck. */
const STUCK_AFTER_MS = 120_000;

/**
 * Requests go in order; each gets one reply. A reply can be awaited (the event loop stays
 * free) or, when a synchronous caller must have the bulk finished now, waited for on the
 * spot: the worker bumps a shared counter after each reply, which `Atomics.wait` sleeps on.
 */
export class BulkWorker {
  private readonly worker: Worker;
  private readonly replies: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  /** Why the thread stopped, when it did: its transaction fails in words and the next bulk starts a new one. */
  private stopped: string | null = null;

  constructor(file: string, nativeBinding?: string) {
    const { port1, port2 } = new MessageChannel();
    this.replies = port1;
    this.worker = startSqliteWorker(
      WORKER_SOURCE,
      { file, nativeBinding, signal: this.signal.buffer, replies: port2 },
      [port2],
    );
    this.worker.unref();
    this.replies.unref();
    const stop = (why: string) => {
      this.stopped ??= why;
      // Wakes an awaiting transaction, which then reads the failure from take().
      Atomics.add(this.signal, 0, 1);
      Atomics.notify(this.signal, 0);
    };
    this.worker.on('error', (error) => stop(error instanceof Error ? error.message : String(error)));
    this.worker.on('exit', (code) => stop(`it exited with code ${code}`));
  }

  get alive(): boolean {
    return this.stopped === null;
  }

  post(request: WorkerRequest): void {
    this.worker.postMessage(request);
  }

  /**
   * The next reply if one has come, taken off the port. Whoever takes a reply handles it in the
   * same synchronous stretch: a reply must never wait in a promise, where a writer that has to
   * finish the bulk at once (`replyNow`) could not see it.
   */
  take(): WorkerReply | undefined {
    const reply = receiveMessageOnPort(this.replies)?.message as WorkerReply | undefined;
    if (reply || this.stopped === null) return reply;
    return {
      error: {
        message: `The ledger's bulk writer stopped (${this.stopped}); nothing of this request was stored.`,
      },
    };
  }

  /** The reply counter: read it before `take`, then `changed` cannot miss a reply. */
  counter(): number {
    return Atomics.load(this.signal, 0);
  }

  /** Resolves once a reply has come since the counter read `seen`, the event loop free meanwhile. */
  async changed(seen: number): Promise<void> {
    const wait = (Atomics as unknown as AtomicsWithWaitAsync).waitAsync(this.signal, 0, seen);
    if (wait.async) await wait.value;
  }

  /** The next reply, waited for on the spot (the event loop stops meanwhile). */
  replyNow(): WorkerReply {
    const deadline = Date.now() + STUCK_AFTER_MS;
    for (;;) {
      const seen = this.counter();
      const reply = this.take();
      if (reply) return reply;
      if (Date.now() > deadline)
        throw new Error('The ledger\u2019s bulk writer did not answer within 2 minutes');
      Atomics.wait(this.signal, 0, seen, 1_000);
    }
  }

  /** A request answered on the spot (pragmas, closing). */
  callNow(request: WorkerRequest): unknown {
    this.post(request);
    const reply = this.replyNow();
    if ('error' in reply) throw workerError(reply.error);
    return reply.result;
  }

  close(): void {
    try {
      if (this.alive) this.callNow({ op: 'close' });
    } finally {
      void this.worker.terminate();
      this.replies.close();
    }
  }
}

/** The worker's error as the main thread's code expects it: message and SQLite code (ledger/health.ts reads it). */
export function workerError(error: { message: string; code?: string }): Error {
  return Object.assign(new Error(error.message), error.code ? { code: error.code } : {});
}

interface AtomicsWithWaitAsync {
  waitAsync(
    array: Int32Array,
    index: number,
    value: number,
  ): { async: false; value: string } | { async: true; value: Promise<string> };
}
