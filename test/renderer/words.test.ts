import { describe, expect, it } from 'vitest';
import { clerkWords, runVerdict, runWords } from '../../src/renderer/src/components/words';
import type { SyncRunSummary } from '../../src/shared/sync-status';

const run = (over: Partial<SyncRunSummary>): SyncRunSummary => ({
  runId: 1,
  job: 'fno',
  trigger: 'timer',
  startedAt: '2026-11-30T10:00:00.000Z',
  finishedAt: '2026-11-30T10:00:01.000Z',
  outcome: 'ok',
  message: null,
  counts: {},
  ...over,
});

describe('words a clerk reads', () => {
  it('turns transport errors into what they mean for the lines', () => {
    expect(
      clerkWords(
        'SCM: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:1 (POST http://127.0.0.1:1/data/x)',
        'scm',
      ),
    ).toBe('SCM cannot be reached; your lines are safe and will be sent when it is back.');
    expect(clerkWords('no answer within 30000 ms (GET https://iv.example.com/x)', 'iv')).toBe(
      'Inventory Visibility did not answer in time; your lines are safe and will be sent again.',
    );
  });

  it('keeps the upstream message but drops request lines and UTC timestamps', () => {
    const said = clerkWords(
      '503 Service Unavailable from POST https://scm.example.com/api/x; since 2026-11-30T10:00:00Z',
    );
    expect(said).not.toMatch(/https?:|POST|T10:00:00Z/);
    expect(said).toContain('503 Service Unavailable');
  });

  it('never calls a run with an error ok, and says what a run did', () => {
    expect(runVerdict(run({ message: 'Nothing to send; SCM cannot be reached' }))).toBe('problem');
    expect(runVerdict(run({ outcome: 'partial' }))).toBe('problem');
    expect(runVerdict(run({}))).toBe('nothing');
    expect(runWords(run({ job: 'iv', counts: { calls: 1, sent: 12, accepted: 12 } }))).toBe(
      'Sent 12 lines to IV',
    );
    expect(runWords(run({ counts: { journalsSent: 1, linesSent: 3, created: 3 } }))).toBe(
      'Sent 1 journal to SCM, with 3 lines, 3 lines created in SCM',
    );
  });
});
