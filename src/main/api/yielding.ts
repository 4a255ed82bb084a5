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
