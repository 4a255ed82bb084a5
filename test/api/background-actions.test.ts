// Long actions step back for requests someone waits on, whichever transport started them.
import { describe, expect, it } from 'vitest';
import { backgroundTurn, inForeground, STEP_BACK_MAX_MS } from '../../src/main/event-loop';
import { osUserActor } from '../../src/main/people/actor';
import type { RpcHandlers } from '../../src/main/rpc/context';
import { BACKGROUND_ACTIONS, dispatch, type RpcTable } from '../../src/main/rpc/dispatch';

/** A handler table whose one action times its next background turn, called by the computer's user. */
const timing = (name: string): RpcTable => ({
  handlers: {
    [name]: async () => {
      const started = performance.now();
      await backgroundTurn();
      return performance.now() - started;
    },
  } as unknown as RpcHandlers,
  people: { resolve: () => ({ actor: osUserActor() }) },
});
const OS_USER = { session: null };

describe('background actions', () => {
  it('a long action answered in the foreground still steps back for a request in flight', async () => {
    let answer: () => void = () => {};
    // A till's post, in flight while the export runs.
    const till = inForeground(() => new Promise<void>((resolve) => (answer = resolve)));
    const reply = await inForeground(() =>
      dispatch(timing('export.xlsx'), 'export.xlsx', { kind: 'lines', query: {} }, OS_USER),
    );
    answer();
    await till;
    expect(reply.ok).toBe(true);
    // Before, the transport's foreground reached the export's slices: they never stepped back (~0 ms).
    expect((reply as { value: number }).value).toBeGreaterThanOrEqual(STEP_BACK_MAX_MS - 5);
  });

  it('an action someone waits on is answered at once', async () => {
    let answer: () => void = () => {};
    const other = inForeground(() => new Promise<void>((resolve) => (answer = resolve)));
    const reply = await inForeground(() => dispatch(timing('lines.list'), 'lines.list', {}, OS_USER));
    answer();
    await other;
    expect((reply as { value: number }).value).toBeLessThan(STEP_BACK_MAX_MS / 2);
  });

  it('names long work only', () => {
    for (const name of [
      'export.xlsx',
      'sync.run',
      'masterData.refresh',
      'diagnostics.create',
      'drafts.import',
    ])
      expect(BACKGROUND_ACTIONS.has(name as never)).toBe(true);
    for (const name of ['lines.create', 'lines.list', 'aggregated.list', 'sync.status'])
      expect(BACKGROUND_ACTIONS.has(name as never)).toBe(false);
  });
});
