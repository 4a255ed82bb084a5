import { useCallback, useRef, useState } from 'react';

/**
 * Entry screens never make the clerk wait: a post (or a record) is queued and the screen is
 * ready for the next scan at once, so keystrokes that arrive while an answer is awaited land in
 * the next line's fields, never in the one being sent. Tasks run one after another, in the order
 * they were queued; `busy` says whether any is in flight.
 */
export function useSerialQueue(): { enqueue: (task: () => Promise<void>) => Promise<void>; busy: boolean } {
  const tail = useRef<Promise<void>>(Promise.resolve());
  const pending = useRef(0);
  const [busy, setBusy] = useState(false);
  const enqueue = useCallback((task: () => Promise<void>) => {
    pending.current += 1;
    setBusy(true);
    // A task's failure is its own to show (the promise answered here): the queue goes on with the next one.
    const run = tail.current.then(task);
    tail.current = run
      .catch(() => undefined)
      .finally(() => {
        pending.current -= 1;
        if (pending.current === 0) setBusy(false);
      });
    return run;
  }, []);
  return { enqueue, busy };
}
