// What the sync keeps when SCM refuses a line names the cause: read through the reduction the
// clerk sees (src/shared/scm-refusal.ts), each refused line says what failed and for which value,
// also when SCM refused the journal's header rather than the line itself.
import { describe, expect } from 'vitest';
import { voidLine } from '../../src/main/corrections/void-and-correct';
import { linesQuerySchema } from '../../src/shared/queries';
import { explainScmRefusal } from '../../src/shared/scm-refusal';
import { author } from '../helpers/people';
import { syncTest } from '../helpers/sync-stack';

const line = (id: string, productId: string, extra: Record<string, unknown> = {}) => ({
  id,
  organizationId: 'usmf',
  productId,
  quantityDataSource: '@iv',
  physicalMeasure: 'adjustment',
  quantity: 2,
  dimensions: { siteId: '1', locationId: '13' },
  ...extra,
});

describe("an SCM refusal's cause, as kept", () => {
  syncTest('names the item, site, warehouse or journal name SCM did not know', async ({ stack }) => {
    await stack.open();
    const [item, site, warehouse, journalName, fine] = stack.add([
      line('c-item', 'ZZ9999'),
      line('c-site', 'D0003', { dimensions: { siteId: '9', locationId: '13' } }),
      line('c-wh', 'D0004', { dimensions: { siteId: '1', locationId: '99' } }),
      line('c-jn', 'D0005', { fnoJournalNameId: 'NOPE' }),
      line('c-ok', 'D0006'),
    ]);
    await stack.syncUntilSettled();
    const cause = (id: string | undefined) => {
      const agg = stack.aggregatedOf(id!);
      return { status: agg.status, ...explainScmRefusal(agg.lastError, { company: agg.organizationId }) };
    };
    expect(cause(item)).toMatchObject({ status: 'FnOCreateError', kind: 'unknownItem', value: 'ZZ9999' });
    expect(cause(site)).toMatchObject({ kind: 'unknownSite', value: '9' });
    expect(cause(warehouse)).toMatchObject({ kind: 'unknownWarehouse', value: '99' });
    // SCM refused the journal's header (its journal name); the line's own message says only that
    // its header was not found: the header's reason is kept with it and read first.
    const named = cause(journalName);
    expect(named).toMatchObject({ status: 'FnOCreateError', kind: 'unknownJournalName', value: 'NOPE' });
    expect(named.cause).toBe('SCM does not know journal name NOPE in usmf');
    expect(stack.aggregatedOf(fine!).status).toBe('FnOPosted');
  });
});

describe('what the counts count', () => {
  syncTest(
    "'not synced' is not yet in IV or not yet created in SCM; lines SCM created wait for its posting job apart; voided lines count in neither",
    async ({ stack }) => {
      const { l } = await stack.open({ emulator: { postingJobEnabled: false } });
      stack.add([
        line('n-created-1', 'D0001'),
        line('n-created-2', 'D0002', { quantity: 3 }),
        line('n-refused', 'ZZ9999'),
      ]);
      await stack.syncUntilSettled();
      // Two lines in a journal SCM created (its posting job is off), one refused before creation.
      expect(l.sync.status()).toMatchObject({ unsynced: 1, awaitingPosting: 2 });
      const [typo, waiting] = stack.add([line('n-typo', 'D0003'), line('n-waiting', 'D0004')]);
      await voidLine(l.ledger, l.sync, typo!, 'Scanned twice', author());
      const status = l.sync.status();
      expect(status.lineCounts.Voided).toBe(1);
      // The waiting line is not yet in IV; the voided one never goes anywhere.
      expect(status).toMatchObject({ unsynced: 2, awaitingPosting: 2 });
      expect(l.ledger.lines.get(waiting!)!.status).toBe('Created');
      // The status filter takes Voided.
      const voided = l.ledger.lines.list(linesQuerySchema.parse({ status: 'Voided' }));
      expect(voided.value.map((v) => v.id)).toEqual(['n-typo']);
    },
  );
});
