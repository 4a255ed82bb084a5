import { AsyncLocalStorage } from 'node:async_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Work between two yields. A request that arrives while long work runs waits for the rest of
 * the slice before the loop even reads it: under an export and bulk ingests, that wait was most
 * of a grid page's time. Grid page p95 under that load (bench/grid.bench.ts): 5 ms slices
 * (7 ms with the step that overran them) 24-26 ms; 3 ms, 17-18 ms; 2 ms, 15-17 ms. Alone, a
 * 1M-line export takes 15 s with any of them: a turn of the loop costs microseconds.
 */
export const SLICE_BUDGET_MS = 2;

/**
 * How long long work steps back for a request someone waits on, at most, before its next
 * slice: it slows down while a clerk or a till is being answered, it never stops.
 */
export const STEP_BACK_MAX_MS = 50;

/**
 * A request counts as waited on for this long at most: one still running after it (a master
 * data refresh over a slow network, a large import) is no longer interactive, and long work
 * goes on at full pace beside it.
 */
export const FOREGROUND_MAX_MS = 250;

const foreground = new AsyncLocalStorage<true>();
let answering = 0;
/** Long tasks waiting for their next slice, in turn. */
const turns: (() => void)[] = [];
let turnPending = false;
let steppingBack: NodeJS.Timeout | null = null;

/**
 * Answers a request someone waits on (a grid page, a till's line, /health) in the foreground:
 * while one is in flight, long work (an export, a large bulk, aggregation) gives up its next
 * turns to it (for up to STEP_BACK_MAX_MS at a time).
 */
export async function inForeground<T>(work: () => Promise<T>): Promise<T> {
  answering++;
  let counted = true;
  const release = () => {
    if (!counted) return;
    counted = false;
    if (--answering === 0 && steppingBack) {
      clearTimeout(steppingBack);
      steppingBack = null;
      setImmediate(giveTurn);
    }
  };
  const expiry = setTimeout(release, FOREGROUND_MAX_MS);
  expiry.unref();
  try {
    return await foreground.run(true, work);
  } finally {
    clearTimeout(expiry);
    release();
  }
}

/**
 * Long work a request starts and nobody stands waiting on slice by slice (an export): its
 * turns are background turns, so it steps back for the requests that come after it, while
 * the request that started it waits for its answer.
 */
export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return foreground.exit(work);
}

/**
 * The next slice of long work. Long tasks take turns, one slice per turn of the loop, each
 * after that turn's I/O: a request that arrives waits for one slice at most, not for a slice
 * of every long task under way (an export and two bulks made a 4 ms grid page take 30 ms).
 * While a foreground request is in flight, the next slice waits until it is answered or
 * STEP_BACK_MAX_MS have passed. Foreground work's own long steps do not wait.
 */
export function backgroundTurn(): Promise<void> {
  if (foreground.getStore()) return nextTurn();
  return new Promise<void>((resolve) => {
    turns.push(resolve);
    scheduleTurn();
  });
}

function scheduleTurn(): void {
  if (turnPending || turns.length === 0) return;
  turnPending = true;
  if (answering > 0) steppingBack = setTimeout(giveTurn, STEP_BACK_MAX_MS);
  else setImmediate(giveTurn);
}

function giveTurn(): void {
  if (steppingBack) clearTimeout(steppingBack);
  steppingBack = null;
  turnPending = false;
  // The task's slice runs right after this callback; the next task's turn is on the next loop turn.
  turns.shift()?.();
  scheduleTurn();
}

/**
 * Returns a function to call inside a long loop: once the slice's time budget is spent, it
 * answers the turn to await (backgroundTurn); otherwise undefined, not to be awaited. Time,
 * not a count, decides, so slices stay short on a slow machine too.
 */
export function yieldEvery(budgetMs = SLICE_BUDGET_MS): () => Promise<void> | undefined {
  let sliceStart = performance.now();
  return () => {
    if (performance.now() - sliceStart < budgetMs) return undefined;
    return backgroundTurn().then(() => {
      sliceStart = performance.now();
    });
  };
}

/** Runs a step generator to the end at once: for callers that are synchronous by contract. */
export function runAtOnce<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs a step generator, giving the event loop a turn whenever a slice's budget is spent. */
export async function runInSlices<T>(steps: Generator<void, T>, budgetMs = SLICE_BUDGET_MS): Promise<T> {
  const pause = yieldEvery(budgetMs);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    // Awaited only when it is a turn: awaiting nothing would still interleave every step with
    // other microtasks, and a request's own steps would wait out this whole slice.
    const turn = pause();
    if (turn) await turn;
  }
}
