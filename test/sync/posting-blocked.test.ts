// A journal SCM's posting job passed over is shown the next time the job is known to have run
// (a later journal of ours read posted), not only once "Posting overdue after" has passed, and
// the line holding it is named from the store's last known on-hand (src/main/sync/scm/blocked-posting.ts).
import { describe, expect, it } from 'vitest';
import { laterOf, numberedAfter } from '../../src/main/sync/scm/blocked-posting';
import { seedLine } from '../helpers/layer';
import { syncTest } from '../helpers/sync-stack';

const line = (id: string, productId: string, location: string, quantity: number) =>
  seedLine({ id, productId, quantity, dimensions: { siteId: '1', locationId: location } });

describe('journal numbers', () => {
  it('orders journals of one number sequence, and never guesses across sequences', () => {
    expect(numberedAfter('IVJ-000010', 'IVJ-000009')).toBe(true);
    expect(numberedAfter('IVJ-000009', 'IVJ-000010')).toBe(false);
    expect(numberedAfter('IVJ-000010', 'IVJ-000010')).toBe(false);
    expect(numberedAfter('ABC-000010', 'IVJ-000009')).toBe(false);
    expect(numberedAfter('IVJ-X', 'IVJ-000009')).toBe(false);
    expect(laterOf(null, 'IVJ-000003')).toBe('IVJ-000003');
    expect(laterOf('IVJ-000004', 'IVJ-000003')).toBe('IVJ-000004');
  });
});

describe("SCM's posting job passing a journal over", () => {
  syncTest(
    'says so as soon as a later journal posts, and names the issue larger than the last known on-hand',
    async ({ stack }) => {
      const { l, emu } = await stack.open({
        emulator: { postingJobEnabled: false },
        transactions: { postingOverdueHours: 24 },
      });
      // The emulator's D0002 at 1/11 has 50 on hand: taking out 80 cannot post.
      const [issue] = stack.add([line('pb-issue', 'D0002', '11', -80)]);
      await l.sync.run('all');
      const [receipt] = stack.add([line('pb-receipt', 'D0001', '13', 3)]);
      await l.sync.run('all');
      const blocked = stack.aggregatedOf(issue!);
      const later = stack.aggregatedOf(receipt!);
      expect(blocked.status).toBe('FnOCreated');
      expect(numberedAfter(later.journalNumber!, blocked.journalNumber!)).toBe(true);
      // What the store knows of D0002 there: IV's answer (50 − 80) before SCM's job runs.
      const known = await l.onHand.get({
        organizationId: 'usmf',
        productId: 'D0002',
        siteId: '1',
        locationId: '11',
        live: true,
      });
      expect(known.rows[0]).toMatchObject({ total: -30 });

      await emu.admin.runPostingJob();
      await l.sync.run('fno');
      expect(l.ledger.aggregated.get(later.aggregatedLineId)!.status).toBe('FnOPosted');
      const passed = l.ledger.aggregated.get(blocked.aggregatedLineId)!;
      expect(passed.status).toBe('FnOPostError');
      expect(passed.lastError).toContain(
        `SCM's posting job has run since journal ${blocked.journalNumber} (usmf) was created (it posted ${later.journalNumber}) and did not post it.`,
      );
      expect(passed.lastError).toMatch(
        /This line is the likely cause: D0002 at site 1, warehouse 11 takes out 80, which leaves its last known on-hand at -30 \(Inventory Visibility said -30 on \d+ \w+, \d\d:\d\d\)/,
      );
      expect(passed.lastError).toContain('count the item or post its receipt first');

      // Fixed in SCM: the job's next pass posts it, and the line turns FnOPosted by itself.
      emu.admin.addOnHand({
        organizationId: 'usmf',
        itemNumber: 'D0002',
        dimensions: { siteId: '1', locationId: '11' },
        quantity: 40,
      });
      await emu.admin.runPostingJob();
      await l.sync.run('fno');
      expect(l.ledger.aggregated.get(blocked.aggregatedLineId)).toMatchObject({
        status: 'FnOPosted',
        lastError: null,
      });
    },
  );

  syncTest(
    'remembers a later posted journal across runs, and says nothing while no later journal posted',
    async ({ stack }) => {
      const { l, emu } = await stack.open({
        emulator: { postingJobEnabled: false },
        transactions: { postingOverdueHours: 24 },
      });
      const [issue] = stack.add([line('pr-issue', 'D0002', '11', -80)]);
      await l.sync.run('all');
      // The job ran, but no later journal exists: nothing says it ran past this one.
      await emu.admin.runPostingJob();
      await l.sync.run('fno');
      expect(stack.aggregatedOf(issue!).status).toBe('FnOCreated');

      const [receipt] = stack.add([line('pr-receipt', 'D0001', '13', 3)]);
      await l.sync.run('all');
      await emu.admin.runPostingJob();
      await l.sync.run('fno');
      expect(stack.aggregatedOf(receipt!).status).toBe('FnOPosted');
      const passed = stack.aggregatedOf(issue!);
      expect(passed.status).toBe('FnOPostError');
      // No on-hand was ever asked for D0002: the journal's only issue is named as the suspect.
      expect(passed.lastError).toContain(
        "This line is the likely cause: D0002 at site 1, warehouse 11 is the journal's only line that takes stock out (80)",
      );
    },
  );
});
