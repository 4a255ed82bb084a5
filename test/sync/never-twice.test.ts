// Never post twice. A journal name may delete a journal's lines once it is posted (the headers
// entity's AreLinesDeletedAfterPosting): if SCM's posting job runs before the app reads the
// package back (the store PC off overnight), reading back by transaction ID finds nothing. The
// app then finds the journal by its header Description and settles its lines FnOPosted, instead
// of calling them "not created", which a Retry would have sent, and SCM posted, a second time.
import { describe, expect } from 'vitest';
import { aggregatedQuerySchema } from '../../src/shared/queries';
import { seedLine } from '../helpers/layer';
import { type SyncStack, syncTest } from '../helpers/sync-stack';

/** One line per item: each its own aggregated line, so each its own journal line. */
const lines = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    seedLine({
      id: `${prefix}-${i}`,
      productId: ['D0001', 'D0005', 'D0006'][i],
      quantity: 2,
      fnoJournalNameId: 'IVDel',
      dimensions: { siteId: '1', locationId: '13' },
    }),
  );

/** SCM's posting job only when asked, and a journal name IVDel that deletes its lines once posted. */
async function openWithDeletingJournalName(stack: SyncStack) {
  const opened = await stack.open({ emulator: { postingJobEnabled: false } });
  opened.emu.admin.addJournalName({
    organizationId: 'usmf',
    journalNameId: 'IVDel',
    deleteLinesAfterPosting: true,
  });
  return opened;
}

describe('never post twice', () => {
  syncTest(
    'settles lines FnOPosted when their journal was posted and its lines deleted before the app read them back',
    async ({ stack }) => {
      const { l, emu } = await openWithDeletingJournalName(stack);
      const ids = stack.add(lines('del', 3));
      await l.sync.run('iv');
      // The package leaves; then the PC is off: no job status is read back.
      emu.admin.setFault({ endpoint: 'scmJobStatus', rate: 1, kinds: ['500'] });
      await l.sync.run('fno');
      await stack.untilScmIdle();
      expect(emu.admin.counters()).toMatchObject({ scmRowsImported: 3, journals: 1 });
      // Overnight SCM's posting job posts the journal, and the journal name deletes its lines.
      await emu.admin.runPostingJob();
      expect(emu.admin.journals()[0]).toMatchObject({ IsPosted: 'Yes', AreLinesDeletedAfterPosting: 'Yes' });

      emu.admin.clearFaults();
      await stack.syncUntilSettled();
      const aggregated = stack.aggregatedOf(ids[0]!);
      expect(aggregated).toMatchObject({
        status: 'FnOPosted',
        journalNumber: emu.admin.journals()[0]!.JournalNumber,
        lastError: null,
      });
      // Initialize tells IT that this journal name deletes posted lines, and what the app does.
      const scm = (await l.sync.initialize()).checks.find((c) => c.name === 'scm')!;
      expect(scm.message).toContain(
        "uses a journal name that deletes a journal's lines once it is posted: Store Ledger then finds a posted journal by its description",
      );
      // Nothing was sent again: one import, one journal, posted once.
      await l.sync.run('all');
      expect(emu.admin.counters()).toMatchObject({
        scmEnqueueCalls: 1,
        scmRowsImported: 3,
        journals: 1,
        journalsPosted: 1,
      });
    },
  );

  syncTest(
    'looks the journal up before resending a package whose first send had no answer, and sends nothing already posted',
    async ({ stack }) => {
      const { l, emu } = await openWithDeletingJournalName(stack);
      stack.add(lines('lost', 2));
      await l.sync.run('iv');
      // SCM queues the package but its answer never arrives: the outcome is unknown.
      emu.admin.setFault({ endpoint: 'scmEnqueue', rate: 1, kinds: ['lost'] });
      await l.sync.run('fno');
      emu.admin.clearFaults();
      await stack.untilScmIdle();
      await emu.admin.runPostingJob();
      await stack.syncUntilSettled();
      expect(emu.admin.counters()).toMatchObject({ scmRowsImported: 2, journals: 1, journalsPosted: 1 });
      const all = l.ledger.aggregated.list(aggregatedQuerySchema.parse({}));
      expect(all.value.map((a) => a.status)).toEqual(['FnOPosted', 'FnOPosted']);
    },
  );

  syncTest(
    'after an import with failing rows, a line missing from a posted journal whose lines were deleted is not called posted: its words say to check before Retry',
    async ({ stack }) => {
      const { l, emu } = await openWithDeletingJournalName(stack);
      const [good, unknown] = stack.add([
        ...lines('mixed', 1),
        seedLine({
          id: 'mixed-x',
          productId: 'X9999',
          quantity: 1,
          fnoJournalNameId: 'IVDel',
          dimensions: { siteId: '1', locationId: '13' },
        }),
      ]);
      await l.sync.run('iv');
      emu.admin.setFault({ endpoint: 'scmJobStatus', rate: 1, kinds: ['500'] });
      await l.sync.run('fno');
      await stack.untilScmIdle();
      await emu.admin.runPostingJob();
      emu.admin.clearFaults();
      await stack.syncUntilSettled();
      for (const id of [good!, unknown!]) {
        const a = stack.aggregatedOf(id);
        expect(a.status).toBe('FnOCreateError');
        expect(a.lastError).toContain('Careful: SCM posted journal');
        expect(a.lastError).toContain('before Retry');
      }
    },
  );
});
