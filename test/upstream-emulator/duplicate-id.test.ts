// The `duplicateTransactionId` switch: whether SCM refuses a line whose transaction ID it already
// holds ("The record already exists", the default) or updates it in place (upsert). What a tenant
// does is not public; the tenant check asks it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './index';
import { buildPackage, client, journal, line } from './test-client';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ importDelayMs: 10, postingDelayMs: 3_600_000 });
});
afterAll(() => emu.close());
beforeEach(() => emu.admin.reset());

const { scmToken, enqueue, waitJob, executionErrors, entries } = client(() => emu);

async function send(ref: string, quantity: number, expected = 'Created') {
  const token = await scmToken();
  const id = await enqueue(
    token,
    buildPackage(emu.admin.dataProject(), [
      journal(ref, expected, [line({ InventoryServiceTransactionId: 'dup-1', InventoryQuantity: quantity })]),
    ]),
  );
  const status = await waitJob(token, id);
  const errors = await executionErrors(token, status.DataJobStatus.ExecutionIdentifier);
  const lines = await entries(token, "InventoryServiceTransactionId eq 'dup-1'");
  return { state: status.DataJobStatus.DataJobState, errors, lines };
}

describe('a repeated transaction ID', () => {
  it('is refused by default: "The record already exists", the line unchanged', async () => {
    expect(emu.admin.settings().duplicateTransactionId).toBe('refuse');
    await send('SL-1', 1);
    const again = await send('SL-2', 2);
    expect(again.state).toBe('ProcessedWithErrors');
    expect(again.errors[0]).toMatch(/dup-1\. The record already exists\./);
    expect(again.lines).toHaveLength(1);
    expect(again.lines[0]).toMatchObject({
      JournalNumber: 'IVJ-000001',
      LineNumber: 1,
      InventoryQuantity: 1,
    });
    expect(emu.admin.counters()).toMatchObject({ scmRowsImported: 1, scmRowsDuplicate: 1 });
  });

  it('is updated in place under upsert: same journal and line number, the new quantity', async () => {
    emu.admin.updateSettings({ duplicateTransactionId: 'upsert' });
    await send('SL-1', 1);
    const again = await send('SL-2', 2);
    expect(again.state).toBe('Processed');
    expect(again.errors).toEqual([]);
    expect(again.lines).toHaveLength(1);
    expect(again.lines[0]).toMatchObject({
      JournalNumber: 'IVJ-000001',
      LineNumber: 1,
      InventoryQuantity: 2,
    });
    // The second package's header is still a journal of its own, with no line.
    expect(emu.admin.journals().map((j) => [j.JournalNumber, j.lines.length])).toEqual([
      ['IVJ-000001', 1],
      ['IVJ-000002', 0],
    ]);
    expect(emu.admin.counters()).toMatchObject({ scmRowsImported: 2, scmRowsDuplicate: 0 });
  });

  it('is refused under upsert when its journal is posted', async () => {
    emu.admin.updateSettings({ duplicateTransactionId: 'upsert' });
    await send('SL-1', 1, 'Posted');
    expect(emu.admin.runPostingJob().posted).toHaveLength(1);
    const again = await send('SL-2', 2);
    expect(again.state).toBe('ProcessedWithErrors');
    expect(again.errors[0]).toMatch(/journal IVJ-000001, which is posted/);
    expect(again.lines[0]).toMatchObject({ InventoryQuantity: 1 });
  });

  it('is refused within one upload under upsert too', async () => {
    emu.admin.updateSettings({ duplicateTransactionId: 'upsert' });
    const token = await scmToken();
    const id = await enqueue(
      token,
      buildPackage(emu.admin.dataProject(), [
        journal('SL-1', 'Created', [
          line({ InventoryServiceTransactionId: 'twice' }),
          line({ InventoryServiceTransactionId: 'twice', InventoryQuantity: 7 }),
        ]),
      ]),
    );
    const status = await waitJob(token, id);
    expect(status.DataJobStatus.DataJobState).toBe('ProcessedWithErrors');
    expect(await executionErrors(token, status.DataJobStatus.ExecutionIdentifier)).toEqual([
      expect.stringMatching(/twice\. The record already exists\./),
    ]);
  });

  it('is refused as a setting value other than refuse or upsert', () => {
    expect(() => emu.admin.updateSettings({ duplicateTransactionId: 'merge' as 'upsert' })).toThrow(
      /duplicateTransactionId/,
    );
  });
});
