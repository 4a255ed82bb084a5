// The lockout's words: a wait is said rounded up, in whole seconds under a minute, else minutes.
// A real clock moves between the lockout and its words: 59.9 s left is "1 minute", as the
// person was just told, never "60 seconds".
import { describe, expect, it } from 'vitest';
import { afterFailure, attemptsLeftWords, durationWords, NO_FAILURES } from '../../src/main/people/lockout';

describe('the lockout in words', () => {
  it.each([
    [400, '1 second'],
    [30_000, '30 seconds'],
    [59_001, '1 minute'],
    [59_999, '1 minute'],
    [60_000, '1 minute'],
    [60_001, '2 minutes'],
    [120_000, '2 minutes'],
  ])('%i ms reads "%s"', (ms, words) => {
    expect(durationWords(ms)).toBe(words);
  });

  it('warns from two attempts left, naming the wait the next lockout would be', () => {
    let state = NO_FAILURES;
    const said: string[] = [];
    for (let i = 0; i < 4; i++) {
      state = afterFailure(state, 0);
      said.push(attemptsLeftWords(state, 'wrong PIN'));
    }
    expect(said).toEqual([
      '',
      '',
      ' 2 more wrong PINs and sign-in waits 1 minute.',
      ' 1 more wrong PIN and sign-in waits 1 minute.',
    ]);
  });
});
