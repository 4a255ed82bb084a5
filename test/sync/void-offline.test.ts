// Void and Correct offline, against the emulator. What decides a void is
// whether an IV call may have applied the line, not how often the IV job tried; a void issued
// while the call carrying the line is on the wire waits for its outcome; and whatever happens,
// no line is Voided in the ledger while IV counted it (the emulator's own read-out says so).
import { describe, expect } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import { correctLine, voidLine } from '../../src/main/corrections/void-and-correct';
import { connectionOf } from '../../src/main/ledger/internal';
import { WHY } from '../../src/shared/line-actions';
import { seedLine } from '../helpers/layer';
import { author } from '../helpers/people';
import { type SyncStack, syncTest } from '../helpers/sync-stack';
import type { Emulator } from '../upstream-emulator';
import { waitFor } from './fixtures';

const at = (site: string, location: string) => ({ siteId: site, locationId: location });
const add = (stack: SyncStack, id: string, quantity = 5, extra: Record<string, unknown> = {}) =>
  stack.add([seedLine({ id, quantity, dimensions: at('1', '13'), ...extra })])[0]!;
const line = (l: BusinessLayer, lineRecordId: string) => l.ledger.lines.get(lineRecordId)!;
/** What IV counted: the emulator keeps every event it accepted, once. */
const counted = (emu: Emulator) => new Set(emu.admin.events().map((e) => e.id));

/** Never Voided while IV counted it: checked against the emulator, for every line of the ledger. */
function expectNoVoidedLineInIv(l: BusinessLayer, emu: Emulator): void {
  const inIv = counted(emu);
  const voided = connectionOf(l.ledger)
    .db.prepare("SELECT line_record_id FROM adjustment_lines WHERE status = 'Voided'")
    .pluck()
    .all() as string[];
  expect(voided.filter((id) => inIv.has(id))).toEqual([]);
}

describe('void offline', () => {
  syncTest(
    'voids a typo after three failed offline runs, and nothing of it reaches IV when IV returns',
    async ({ stack }) => {
      const { l, emu } = await stack.open();
      await emu.stop();
      const typo = add(stack, 'typo-1', 50);
      const control = add(stack, 'control-1', 2);
      for (let run = 0; run < 3; run++) await l.sync.run('iv');
      expect(line(l, typo)).toMatchObject({ status: 'Created', attempts: 3 });
      expect(line(l, typo).lastError).toMatch(/ECONNREFUSED|cannot be reached|fetch failed/i);

      const voided = await voidLine(l.ledger, l.sync, typo, 'Typed 50 for 5', author());
      expect(voided).toMatchObject({ status: 'Voided', voidReason: 'Typed 50 for 5' });
      // None of the three attempts reached IV: none may have applied it.
      expect(voided.ivMaybeApplied).toBe(false);

      await emu.start();
      await l.sync.run('iv');
      expect(line(l, control).status).toBe('IVPosted');
      expect(counted(emu).has(typo)).toBe(false);
      expect(counted(emu).has(control)).toBe(true);
      expect(line(l, typo).status).toBe('Voided');
    },
  );

  syncTest(
    'marks a line IV may have applied (lost answer, timeout, server error) and refuses Void in words that offer Correct',
    async ({ stack }) => {
      const { l, emu } = await stack.open({ upstreamTimeoutMs: 400 });
      const tries: [string, 'lost' | 'hang' | '500'][] = [
        ['lost-1', 'lost'],
        ['hang-1', 'hang'],
        ['err-1', '500'],
      ];
      const ids: Record<string, string> = {};
      for (const [id, kind] of tries) {
        emu.admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: [kind] });
        ids[id] = add(stack, id);
        await l.sync.run('iv');
        emu.admin.clearFaults();
        await expect(voidLine(l.ledger, l.sync, ids[id]!, 'Wrong item', author())).rejects.toThrow(
          WHY.maybeInIv,
        );
        expect(line(l, ids[id]!)).toMatchObject({ status: 'Created', attempts: 1, ivMaybeApplied: true });
        expect(WHY.maybeInIv).toMatch(/Correct it instead/);
        expect(line(l, ids[id]!).status).toBe('Created');
      }
      // The answer was lost after IV applied it: IV counts it, the ledger must never say Voided.
      expect(counted(emu).has(ids['lost-1']!)).toBe(true);

      // Correct is offered and works on such a Created line: the reversing line is its own event.
      const { correction } = correctLine(l.ledger, l.entry, ids['lost-1']!, { author: author() });
      expect(correction).toMatchObject({ quantity: -5, corrects: ids['lost-1'] });
      await l.sync.run('iv');
      for (const id of Object.values(ids)) expect(line(l, id).status).toBe('IVPosted');
      expect(line(l, correction.lineRecordId).status).toBe('IVPosted');
      expect(emu.admin.counters().ivEventsDuplicate).toBe(1);
      expectNoVoidedLineInIv(l, emu);
    },
  );

  syncTest('leaves voidable a line IV refused outright, or that was throttled', async ({ stack }) => {
    // An external dimension under a data source IV has no mapping for: IV refuses the event by name.
    const { l, emu } = await stack.open({ transactions: { ivDimensionDataSource: 'unmapped' } });
    const refused = stack.add([
      seedLine({ id: 'refused-1', dimensions: { ...at('1', '13'), shelf: 'A4' } }),
    ])[0]!;
    await l.sync.run('iv');
    expect(line(l, refused)).toMatchObject({ status: 'Created', lastErrorKind: 'data', attempts: 1 });
    emu.admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['429'] });
    const throttled = add(stack, 'throttled-1');
    await l.sync.run('iv');
    emu.admin.clearFaults();
    expect(line(l, throttled)).toMatchObject({ status: 'Created', attempts: 1 });
    for (const id of [refused, throttled]) {
      const voided = await voidLine(l.ledger, l.sync, id, 'Not needed', author());
      expect(voided).toMatchObject({ status: 'Voided', ivMaybeApplied: false });
    }
    await l.sync.run('iv');
    expectNoVoidedLineInIv(l, emu);
  });
});

describe('a void while the IV call carrying the line is in flight', () => {
  /**
   * Starts an IV run and answers once the call carrying the line has left: the ledger marks the
   * line before the call leaves (`ivSending`). The code before this mark kept no such mark; there,
   * 250 ms into the run stands in for it, so that these tests fail on its behaviour (its void
   * refused while the job ran) rather than here. `marked` says which it was: each test checks it
   * last. The run's promise is wrapped: an async function returning it would wait for it.
   */
  async function onTheWire(l: BusinessLayer, lineRecordId: string) {
    const run = l.sync.run('iv');
    await waitFor('the IV run', () => l.sync.status().jobs.iv.state === 'running', 5000, 5);
    const since = Date.now();
    await waitFor(
      'the line on the wire',
      () => line(l, lineRecordId).ivSending || Date.now() - since > 250,
      5000,
      5,
    );
    return { run, marked: line(l, lineRecordId).ivSending === true };
  }

  syncTest('waits for IV to take it, then refuses and offers Correct', async ({ stack }) => {
    const { l, emu } = await stack.open();
    const id = add(stack, 'slow-ok');
    emu.admin.updateSettings({ latencyMs: 700 });
    const { run, marked } = await onTheWire(l, id);
    const started = Date.now();
    await expect(voidLine(l.ledger, l.sync, id, 'Too late', author())).rejects.toThrow(WHY.inIv);
    expect(Date.now() - started).toBeGreaterThan(300);
    await run;
    expect(line(l, id).status).toBe('IVPosted');
    expect(counted(emu).has(id)).toBe(true);
    expectNoVoidedLineInIv(l, emu);
    expect(marked).toBe(true);
  });

  syncTest('waits for a call that never reached IV, then voids it', async ({ stack }) => {
    const { l, emu } = await stack.open();
    const id = add(stack, 'slow-throttled');
    emu.admin.updateSettings({ latencyMs: 700 });
    emu.admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['429'] });
    const { run, marked } = await onTheWire(l, id);
    const voided = await voidLine(l.ledger, l.sync, id, 'Scanned twice', author());
    expect(voided.status).toBe('Voided');
    await run;
    emu.admin.clearFaults();
    emu.admin.updateSettings({ latencyMs: 0 });
    await l.sync.run('iv');
    expect(counted(emu).has(id)).toBe(false);
    expect(line(l, id).status).toBe('Voided');
    expect(marked).toBe(true);
  });

  syncTest(
    'waits for a call that hangs until its timeout, then refuses: IV may have it',
    async ({ stack }) => {
      const { l, emu } = await stack.open({ upstreamTimeoutMs: 800 });
      const id = add(stack, 'hung');
      emu.admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['hang'] });
      const { run, marked } = await onTheWire(l, id);
      await expect(voidLine(l.ledger, l.sync, id, 'Wrong shelf', author())).rejects.toThrow(WHY.maybeInIv);
      await run;
      emu.admin.clearFaults();
      expect(line(l, id)).toMatchObject({ status: 'Created', ivMaybeApplied: true, ivSending: false });
      expect(marked).toBe(true);
    },
  );

  syncTest('gives up after its bound while the call is still on the wire, and says so', async ({ stack }) => {
    const { l, emu } = await stack.open({ upstreamTimeoutMs: 1500, timing: { voidWaitMs: 200 } });
    const id = add(stack, 'hung-long');
    emu.admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['hang'] });
    const { run, marked } = await onTheWire(l, id);
    const refused = expect(voidLine(l.ledger, l.sync, id, 'Wrong shelf', author())).rejects.toThrow(
      /sending this line to Inventory Visibility right now/,
    );
    // Void's bound passes on the engine's clock while the call still hangs (until 1.5 s, real).
    await stack.clock.advance(200);
    await refused;
    expect(line(l, id).status).toBe('Created');
    await run;
    emu.admin.clearFaults();
    expect(marked).toBe(true);
  });

  syncTest(
    'supersedes the claim of a line claimed for the next call: voided at once, and that call leaves without it',
    async ({ stack }) => {
      const { l, emu } = await stack.open({ transactions: { upstreamCallsInFlight: 1 } });
      const lines = Array.from({ length: 600 }, (_, i) =>
        seedLine({ id: `claimed-${i}`, quantity: 1, dimensions: at('1', '13') }),
      );
      const ids = stack.add(lines);
      emu.admin.updateSettings({ latencyMs: 600 });
      // The first 512 are on the wire; the lane has claimed the other 88 for its next call.
      const { run, marked } = await onTheWire(l, ids[0]!);
      const last = ids[599]!;
      expect(line(l, last).ivSending).toBeFalsy();
      const started = Date.now();
      expect((await voidLine(l.ledger, l.sync, last, 'Counted twice', author())).status).toBe('Voided');
      expect(Date.now() - started).toBeLessThan(400);
      await run;
      emu.admin.updateSettings({ latencyMs: 0 });
      const inIv = counted(emu);
      expect(inIv.has(last)).toBe(false);
      expect(ids.filter((id) => id !== last && !inIv.has(id))).toEqual([]);
      expectNoVoidedLineInIv(l, emu);
      expect(marked).toBe(true);
    },
  );
});

describe('correct with another place', () => {
  syncTest(
    'posts the reversing line and the replacing line at the right site once, linked to the original',
    async ({ stack }) => {
      const { l, emu } = await stack.open();
      const original = add(stack, 'wrong-site', 4);
      await l.sync.run('iv');
      expect(line(l, original).status).toBe('IVPosted');

      const replacement = { quantity: 4, dimensions: at('2', '21') };
      const first = correctLine(l.ledger, l.entry, original, { replacement, author: author() });
      expect(first.created).toBe(true);
      expect(first.correction).toMatchObject({ quantity: -4, dimensions: at('1', '13'), corrects: original });
      expect(first.replacement).toMatchObject({ quantity: 4, dimensions: at('2', '21'), replaces: original });
      expect(line(l, original)).toMatchObject({
        correctedBy: first.correction.lineRecordId,
        replacedBy: first.replacement!.lineRecordId,
      });
      // A second click finds both instead of posting more.
      const second = correctLine(l.ledger, l.entry, original, { replacement, author: author() });
      expect(second).toMatchObject({
        created: false,
        correction: { lineRecordId: first.correction.lineRecordId },
        replacement: { lineRecordId: first.replacement!.lineRecordId },
      });
      expect(l.ledger.lines.countByStatus()).toMatchObject({ Created: 2, IVPosted: 1 });

      await l.sync.run('iv');
      const onHand = (site: string) =>
        emu.admin
          .onHand({ productId: 'D0001' })
          .filter((r) => r.dimensions.siteid === site || r.dimensions.siteId === site)
          .reduce((sum, r) => sum + (r.quantities['@iv']?.adjustment ?? 0), 0);
      expect(onHand('1')).toBe(0);
      expect(onHand('2')).toBe(4);
      expect(emu.admin.counters().ivEventsDuplicate).toBe(0);
    },
  );
});
