/**
 * Reads a zip-based file in the zip worker (src/main/zip-worker.ts), so the event loop keeps answering: on
 * the loop, a 44 KB package whose manifest unpacks to 45 MB held it for 4 s, and a 100,000-row
 * workbook for 1.4 s. The main thread checks the zip's directory (cheap, and a refusal needs no
 * thread), posts the bytes and awaits plain data or a refusal in words. The worker runs under
 * a heap limit (Worker resourceLimits: https://nodejs.org/api/worker_threads.html#new-workerfilename-options)
 * and a time limit; past either it is stopped and the file refused in words. Whatever happens
 * to the worker, the app goes on.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { checkDirectory, isZip, ZipRefusal } from './limits';
import type { ZipReply } from './protocol';
import { RULES, type ZipKind } from './rules';

export interface ZipWorkOptions {
  /** Overrides the kind's budget (tests run a worker out of memory or time on small files). */
  memoryMb?: number;
  timeMs?: number;
}

/** Workers reading at once: each may take gigabytes, so a third file waits its turn. */
const MAX_RUNNING = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function turn(): Promise<() => void> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
}

/**
 * The worker's code. Built, it is out/main/zip-worker.js, beside the entries (this code may sit
 * in out/main/chunks/). From the sources (vitest, tsx) it is src/main/zip-worker.ts, loaded through tsx.
 */
function workerScript(): { script: string; eval: boolean } {
  if (__filename.endsWith('.ts')) {
    const tsx = createRequire(__filename).resolve('tsx/cjs');
    const entry = join(__dirname, '..', 'zip-worker.ts');
    return { script: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`, eval: true };
  }
  const out = basename(__dirname) === 'chunks' ? dirname(__dirname) : __dirname;
  const script = join(out, 'zip-worker.js');
  if (!existsSync(script)) throw new Error(`the zip worker is missing from the build (${script})`);
  return { script, eval: false };
}

/**
 * The file's content as the worker read it: for a workbook `{ rows, notes }`, for a package the
 * profile. `T` is the caller's type for it; this folder passes it along unread.
 */
export async function readZipInWorker<T>(
  kind: ZipKind,
  bytes: Uint8Array,
  options: ZipWorkOptions = {},
): Promise<T> {
  const rules = RULES[kind];
  // Refused from the directory before any work (a workbook is always a zip; a profile may be
  // the bare Manifest.xml, which the worker holds to its size).
  if (kind === 'xlsx' || isZip(bytes)) checkDirectory(bytes, rules);
  const release = await turn();
  try {
    return (await inWorker(kind, bytes, {
      memoryMb: options.memoryMb ?? rules.memoryMb,
      timeMs: options.timeMs ?? rules.timeMs,
    })) as T;
  } finally {
    release();
  }
}

function inWorker(kind: ZipKind, bytes: Uint8Array, budget: Required<ZipWorkOptions>): Promise<unknown> {
  const words = RULES[kind].budgetWords;
  const { script, eval: isEval } = workerScript();
  return new Promise((resolve, reject) => {
    const rows: unknown[] = [];
    let settled = false;
    // The worker gets its own copy, moved rather than cloned: `bytes` may be a view of a larger
    // buffer, which a clone would copy whole, and the caller keeps its bytes.
    const copy = bytes.slice();
    const worker = new Worker(script, {
      eval: isEval,
      workerData: { kind, bytes: copy },
      transferList: [copy.buffer],
      resourceLimits: { maxOldGenerationSizeMb: budget.memoryMb },
    });
    // Once it has answered the worker exits by itself: stopping it instead held this loop for
    // 80-350 ms while a heap of a few GB was torn down (a natural exit: under 15 ms).
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const timer = setTimeout(() => {
      finish(() => reject(new ZipRefusal(words.time)));
      void worker.terminate();
    }, budget.timeMs);
    worker.on('message', (reply: ZipReply) => {
      if ('rows' in reply) {
        for (const row of reply.rows) rows.push(row);
        worker.postMessage('more');
      } else if ('done' in reply) {
        const done = reply.done;
        finish(() => resolve('profile' in done ? done : { rows, notes: done.notes }));
      } else if ('refused' in reply) {
        finish(() => reject(new ZipRefusal(reply.refused.message, reply.refused.problems)));
      } else {
        console.error(`The ${kind} reader stopped: ${reply.failed}`);
        finish(() => reject(new ZipRefusal(words.stopped)));
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code !== 'ERR_WORKER_OUT_OF_MEMORY') console.error(`The ${kind} reader stopped:`, error);
      finish(() =>
        reject(new ZipRefusal(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? words.memory : words.stopped)),
      );
    });
    worker.on('exit', () => finish(() => reject(new ZipRefusal(words.stopped))));
  });
}
