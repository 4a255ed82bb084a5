// Long work (exports, large bulks, aggregation) takes turns with what people wait on: the
// order of events on a real event loop, not durations (speed is for the benchmarks).
import { describe, expect, it } from 'vitest';
import { backgroundTurn, FOREGROUND_MAX_MS, inForeground, STEP_BACK_MAX_MS } from '../../src/main/event-loop';

/** Holds the thread for `ms`, as a slice of long work does. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** A long task: `slices` slices of 2 ms, each after a turn, each logged. */
async function longTask(name: string, slices: number, log: string[]): Promise<void> {
  for (let i = 0; i < slices; i++) {
    await backgroundTurn();
    busy(2);
    log.push(name);
  }
}

/** A foreground request in flight until `answer()` is called; `then` runs once it is answered. */
function foregroundRequest(then: () => void = () => {}): { answer: () => void; request: Promise<void> } {
  let answer!: () => void;
  const request = inForeground(
    () =>
      new Promise<void>((resolve) => {
        answer = resolve;
      }),
  ).then(then);
  return { answer, request };
}

describe('long work and the requests people wait on', () => {
  it('gives one slice of long work per turn of the loop: timers and I/O run between two slices', async () => {
    const log: string[] = [];
    const tasks = [longTask('A', 3, log), longTask('B', 3, log)];
    // Like a request arriving: due at once, it must not wait for a slice of every task.
    setTimeout(() => log.push('request'), 0);
    await Promise.all(tasks);
    const first = log.indexOf('request');
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThanOrEqual(1);
    // The tasks take turns.
    expect(log.filter((e) => e !== 'request')).toEqual(['A', 'B', 'A', 'B', 'A', 'B']);
  });

  it('holds long work back while a foreground request is in flight, and lets it go on once answered', async () => {
    const log: string[] = [];
    const { answer, request } = foregroundRequest(() => log.push('answered'));
    const task = longTask('slice', 1, log);
    // Well before STEP_BACK_MAX_MS: the slice has not run, the request is answered first.
    await new Promise((r) => setTimeout(r, STEP_BACK_MAX_MS / 5));
    expect(log).toEqual([]);
    answer();
    await Promise.all([request, task]);
    expect(log).toEqual(['answered', 'slice']);
  });

  it('never stops long work: a request that takes long only slows it down', async () => {
    const log: string[] = [];
    const { answer, request } = foregroundRequest();
    await longTask('slice', 2, log);
    expect(log).toEqual(['slice', 'slice']);
    answer();
    await request;
  });

  it('holds long work back for a request only so long: one still running later is not waited on', async () => {
    const log: string[] = [];
    const { answer, request } = foregroundRequest();
    await new Promise((r) => setTimeout(r, FOREGROUND_MAX_MS + 20));
    // Five slices held back would take five step-backs; after the limit they run at once.
    setTimeout(() => log.push('one step-back'), STEP_BACK_MAX_MS);
    await longTask('slice', 5, log);
    expect(log).toEqual(['slice', 'slice', 'slice', 'slice', 'slice']);
    answer();
    await request;
  });

  it('does not hold back a foreground request on its own long steps', async () => {
    const log: string[] = [];
    await inForeground(async () => {
      setTimeout(() => log.push('step-back limit'), STEP_BACK_MAX_MS / 2);
      await backgroundTurn();
      log.push('own step');
    });
    expect(log[0]).toBe('own step');
  });
});
