import { describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/test-clock';

/** Real time passing (I/O standing in): the test clock must not move meanwhile. */
const realWait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the test clock', () => {
  it('fires timers in order, each at its own time, and only when time is moved past them', async () => {
    const clock = new TestClock(1_000);
    const fired: [string, number][] = [];
    clock.setTimer(() => fired.push(['b', clock.now()]), 30);
    clock.setTimer(() => fired.push(['a', clock.now()]), 10);
    const cancelled = clock.setTimer(() => fired.push(['never', clock.now()]), 20);
    clock.setTimer(() => fired.push(['a2', clock.now()]), 10);
    cancelled.cancel();
    await realWait(20);
    expect(fired).toEqual([]);
    expect(clock.now()).toBe(1_000);
    await clock.advance(29);
    expect(fired).toEqual([
      ['a', 1_010],
      ['a2', 1_010],
    ]);
    expect(clock.now()).toBe(1_029);
    await clock.advance(1);
    expect(fired.map(([name]) => name)).toEqual(['a', 'a2', 'b']);
    expect(clock.elapsed()).toBe(30);
    expect(clock.dueTimes()).toEqual([]);
  });

  it('waits for the work a timer starts before moving on, and fires the timers that work sets in the same advance', async () => {
    const clock = new TestClock(0);
    const seen: string[] = [];
    clock.setTimer(async () => {
      seen.push(`run starts at ${clock.now()}`);
      await realWait(30);
      seen.push(`run ends at ${clock.now()}`);
      clock.setTimer(() => seen.push(`follow-up at ${clock.now()}`), 5);
    }, 10);
    clock.setTimer(() => seen.push(`next timer at ${clock.now()}`), 12);
    await clock.advance(20);
    expect(seen).toEqual(['run starts at 10', 'run ends at 10', 'next timer at 12', 'follow-up at 15']);
    expect(clock.now()).toBe(20);
  });

  it('moves time on by a sleep at once, firing what falls due meanwhile', async () => {
    const clock = new TestClock(0);
    const seen: string[] = [];
    clock.setTimer(() => seen.push(`import at ${clock.now()}`), 10);
    clock.setTimer(() => seen.push(`later at ${clock.now()}`), 80);
    await clock.sleep(50);
    expect(clock.now()).toBe(50);
    expect(seen).toEqual(['import at 10']);
    await clock.next();
    expect(seen).toEqual(['import at 10', 'later at 80']);
    expect(await clock.next()).toBe(false);
  });

  it('lets a run started by a timer sleep inside it without waiting for the test', async () => {
    const clock = new TestClock(0);
    const polls: number[] = [];
    clock.setTimer(async () => {
      for (let i = 0; i < 3; i++) {
        polls.push(clock.now());
        await clock.sleep(100);
      }
    }, 5);
    await clock.advance(5);
    expect(polls).toEqual([5, 105, 205]);
    expect(clock.now()).toBe(305);
  });

  it('answers an advance once the work started by timers a sleep fired is done too, and reports its failure', async () => {
    const clock = new TestClock(0);
    const seen: string[] = [];
    clock.setTimer(async () => {
      await clock.sleep(50);
      seen.push(`polling run done at ${clock.now()}`);
    }, 10);
    clock.setTimer(async () => {
      await realWait(30);
      seen.push(`run queued meanwhile done at ${clock.now()}`);
    }, 30);
    await clock.advance(10);
    expect(seen).toEqual(['polling run done at 60', 'run queued meanwhile done at 60']);

    clock.setTimer(async () => {
      await realWait(5);
      throw new Error('the run failed');
    }, 1);
    await expect(clock.advance(1)).rejects.toThrow('the run failed');
    await clock.advance(1);
  });
});
