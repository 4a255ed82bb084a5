import { setImmediate as nextTurn } from 'node:timers/promises';

/** Work between two yields: well under the 100 ms any other request may wait. */
export const SLICE_BUDGET_MS = 10;

/**
 * Returns a function to await inside a long loop: it gives the event loop a turn once the
 * slice's time budget is spent, and costs nothing otherwise. Time, not a count, decides,
 * so slices stay short on a slow machine too.
 */
export function yieldEvery(budgetMs = SLICE_BUDGET_MS): () => Promise<void> | undefined {
  let sliceStart = performance.now();
  return () => {
    if (performance.now() - sliceStart < budgetMs) return undefined;
    return nextTurn().then(() => {
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
    await pause();
  }
}
