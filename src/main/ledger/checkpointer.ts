import type { Worker } from 'node:worker_threads';
import { startSqliteWorker } from './sqlite-worker';

/** Copies the WAL into the ledger file off the event loop, never blocking anyone (PASSIVE). */
const CHECKPOINT_SOURCE = `
const db = open(false);
parentPort.on('message', () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  parentPort.postMessage('done');
});
`;

/**
 * A PASSIVE checkpoint on its own thread, for long work in slices on the main connection
 * (aggregation) that turns its own checkpoints off, so no slice's commit copies a big WAL
 * back inline. Asked while one runs, one more follows it, never a queue.
 */
export class Checkpointer {
  private worker: Worker | null = null;
  private running = false;
  private again = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly file: string,
    private readonly nativeBinding?: string,
  ) {}

  request(): void {
    if (this.file === ':memory:') return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.start();
  }

  /** Resolves once no checkpoint asked for so far is still to run (at once when none is). */
  done(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = null;
    this.again = false;
    this.settled();
  }

  private settled(): void {
    this.running = false;
    for (const resolve of this.idle.splice(0)) resolve();
  }

  private start(): void {
    if (!this.worker) {
      const worker = startSqliteWorker(CHECKPOINT_SOURCE, {
        file: this.file,
        nativeBinding: this.nativeBinding,
      });
      worker.unref();
      worker.on('error', () => {
        this.worker = null;
        this.settled();
      });
      worker.on('message', () => {
        if (!this.again) return this.settled();
        this.again = false;
        this.start();
      });
      this.worker = worker;
    }
    this.running = true;
    this.worker.postMessage('checkpoint');
  }
}
