import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UpstreamConnection } from '../../src/main/upstream/config';
import { buildJournalCsv } from '../../src/main/upstream/journal-csv';
import { type JournalHeader, ScmClient, type ScmJobStatus } from '../../src/main/upstream/scm-client';
import { type Emulator, startEmulator } from '../upstream-emulator/index';
import { journalRow } from './helpers';

let emu: Emulator;
let conn: UpstreamConnection;
let scm: ScmClient;

beforeAll(async () => {
  emu = await startEmulator({ importDelayMs: 30, postingDelayMs: 30 });
  conn = { ...emu.credentials, timeoutMs: 3000 };
  scm = new ScmClient(conn);
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  emu.admin.reset();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFinal(messageId: string): Promise<ScmJobStatus> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const s = await scm.jobStatus(messageId);
    if (s.final) return s;
    if (Date.now() > deadline) throw new Error(`message ${messageId} still ${s.state}`);
    await sleep(20);
  }
}

async function waitHeaders(
  journals: { dataAreaId: string; journalNumber: string }[],
  done: (h: JournalHeader[]) => boolean,
): Promise<JournalHeader[]> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const h = await scm.readJournalHeaders(journals);
    if (done(h) || Date.now() > deadline) return h;
    await sleep(20);
  }
}

describe('ScmClient', () => {
  it('enqueue → job status → read back lines → headers through to Posted', async () => {
    const csv = buildJournalCsv([
      journalRow("agg-1'q", { InventoryServiceJournalExpectedStatus: 'Posted', InventoryQuantity: -2.5 }),
      journalRow('agg-2', { ItemNumber: 'NOPE,"x"' }),
      journalRow('agg-3', {
        ItemNumber: 'D0002',
        InventoryWarehouseId: '11',
        InventoryQuantity: 1e-7,
        UnitCost: 3.25,
      }),
    ]);
    const messageId = await scm.enqueue('usmf', 'batch-42', csv);
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);

    const status = await waitFinal(messageId);
    expect(status.state).toBe('ProcessedWithErrors');
    expect(status.rowErrors.get('agg-2')).toContain(
      `The value 'NOPE,"x"' in field 'Item number' is not found`,
    );
    expect(status.rowErrors.has("agg-1'q")).toBe(false);
    expect(status.log).toContain('Import finished');
    expect(status.details.length).toBeGreaterThan(0);

    const entries = await scm.readBackEntries(["agg-1'q", 'agg-2', 'agg-3']);
    expect(entries.map((e) => e.transactionId).sort()).toEqual(["agg-1'q", 'agg-3']);
    for (const e of entries) {
      expect(e.dataAreaId).toBe('usmf');
      expect(e.journalNumber).toMatch(/^IVJ-/);
      expect(e.lineNumber).toBeGreaterThan(0);
    }
    const journals = emu.admin.journals();
    expect(journals.every((j) => j.externalIdentifier === 'batch-42')).toBe(true);
    const lines = journals.flatMap((j) => j.lines);
    expect(lines.find((l) => l.InventoryServiceTransactionId === "agg-1'q")?.InventoryQuantity).toBe(-2.5);
    expect(lines.find((l) => l.InventoryServiceTransactionId === 'agg-3')).toMatchObject({
      InventoryQuantity: 1e-7,
      UnitCost: 3.25,
    });

    const wanted = [...new Map(entries.map((e) => [e.journalNumber, e])).values()].map((e) => ({
      dataAreaId: e.dataAreaId,
      journalNumber: e.journalNumber,
    }));
    const postedJournal = entries.find((e) => e.transactionId === "agg-1'q")!.journalNumber;
    const headers = await waitHeaders(wanted, (h) =>
      h.some((x) => x.journalNumber === postedJournal && x.postingStatus === 'Posted'),
    );
    expect(headers).toHaveLength(2);
    expect(headers.find((h) => h.journalNumber === postedJournal)).toEqual({
      dataAreaId: 'usmf',
      journalNumber: postedJournal,
      isPosted: true,
      postingStatus: 'Posted',
      postingError: null,
    });
    expect(headers.find((h) => h.journalNumber !== postedJournal)).toMatchObject({
      isPosted: false,
      postingStatus: 'NotPosted',
    });
  });

  it('reports a posting error and reads a numeric job state', async () => {
    emu.admin.updateSettings({ jobStateAsNumber: true });
    const id = await scm.enqueue(
      'usmf',
      'batch-neg',
      buildJournalCsv([
        journalRow('neg-1', { InventoryServiceJournalExpectedStatus: 'Posted', InventoryQuantity: -1000 }),
      ]),
    );
    expect((await waitFinal(id)).state).toBe('Processed');
    const [entry] = await scm.readBackEntries(['neg-1']);
    const ref = { dataAreaId: entry!.dataAreaId, journalNumber: entry!.journalNumber };
    const [header] = await waitHeaders([ref], (h) => h[0]?.postingStatus === 'PostError');
    expect(header).toMatchObject({ isPosted: false, postingStatus: 'PostError' });
    expect(header?.postingError).toContain('cannot become negative');
  });

  it('a duplicate row fails with "already exists" and the line reads back from the first import', async () => {
    const csv = buildJournalCsv([journalRow('dup-1')]);
    await waitFinal(await scm.enqueue('usmf', 'b1', csv));
    const second = await waitFinal(await scm.enqueue('usmf', 'b2', csv));
    expect(second.state).toBe('ProcessedWithErrors');
    expect(second.rowErrors.get('dup-1')).toContain('The record already exists');
    expect(await scm.readBackEntries(['DUP-1'])).toHaveLength(1);
  });

  it('reads back 300 lines in chunks under 6 KB and follows nextLink pages', async () => {
    const ids = Array.from(
      { length: 300 },
      (_, i) => `bulk-${String(i).padStart(4, '0')}-0f8fad5b-d9cb-469f`,
    );
    const status = await waitFinal(
      await scm.enqueue('usmf', 'big', buildJournalCsv(ids.map((id) => journalRow(id)))),
    );
    expect(status.state).toBe('Processed');

    const spy = vi.spyOn(globalThis, 'fetch');
    try {
      const entries = await scm.readBackEntries([...ids, 'missing-1']);
      expect(entries.map((e) => e.transactionId).sort()).toEqual([...ids].sort());
      const urls = spy.mock.calls.map((c) => String(c[0])).filter((u) => u.includes('/data/'));
      expect(urls.length).toBeGreaterThan(1);
      expect(Math.max(...urls.map((u) => u.length))).toBeLessThan(6000);
      expect(urls.every((u) => !/\$filter=[^&]*%20in%20/.test(u))).toBe(true);

      spy.mockClear();
      emu.admin.updateSettings({ odataPageSize: 25 });
      const paged = await scm.readBackEntries(ids);
      expect(paged).toHaveLength(300);
      expect(new Set(paged.map((e) => e.lineNumber)).size).toBe(300);
      const pageUrls = spy.mock.calls.map((c) => String(c[0])).filter((u) => u.includes('/data/'));
      expect(pageUrls.some((u) => u.includes('skip'))).toBe(true);
      expect(pageUrls.length).toBeGreaterThanOrEqual(12);
    } finally {
      spy.mockRestore();
    }
  });

  it('readBackJournal reads one journal of one company whole, following nextLink pages', async () => {
    const usrt = { dataAreaId: 'usrt', InventoryWarehouseId: '11' };
    const ids = Array.from({ length: 7 }, (_, i) => `j-${i}`);
    const status = await waitFinal(
      await scm.enqueue(
        'usmf',
        'two-companies',
        buildJournalCsv([
          ...ids.map((id) => journalRow(id)),
          journalRow('r-1', usrt),
          journalRow('r-2', usrt),
        ]),
      ),
    );
    expect(status.state).toBe('Processed');
    // Both companies numbered their journal IVJ-000001.
    expect(emu.admin.journals().map((j) => `${j.dataAreaId}/${j.JournalNumber}`)).toEqual([
      'usmf/IVJ-000001',
      'usrt/IVJ-000001',
    ]);

    const spy = vi.spyOn(globalThis, 'fetch');
    try {
      emu.admin.updateSettings({ odataPageSize: 3 });
      const usmf = await scm.readBackJournal('USMF', 'IVJ-000001');
      expect(usmf.map((e) => [e.dataAreaId, e.journalNumber, e.lineNumber, e.transactionId])).toEqual(
        ids.map((id, i) => ['usmf', 'IVJ-000001', i + 1, id]),
      );
      const urls = spy.mock.calls
        .map((c) => decodeURIComponent(String(c[0])))
        .filter((u) => u.includes('/data/'));
      expect(urls).toHaveLength(3);
      expect(urls[0]).toContain("$filter=JournalNumber eq 'IVJ-000001' and dataAreaId eq 'USMF'");
      expect(urls[0]).toContain('cross-company=true');
      expect(urls.slice(1).every((u) => u.includes('$skip='))).toBe(true);
    } finally {
      spy.mockRestore();
    }
    expect((await scm.readBackJournal('usrt', 'IVJ-000001')).map((e) => e.transactionId)).toEqual([
      'r-1',
      'r-2',
    ]);
    expect(await scm.readBackJournal('usmf', 'IVJ-000009')).toEqual([]);
  });

  it('ping tells a reachable activity from an unknown one', async () => {
    await expect(scm.ping()).resolves.toBeUndefined();
    const wrong = new ScmClient({ ...conn, activityId: '99999999-9999-4999-8999-999999999999' });
    const err = await wrong.ping().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'config', service: 'scm', status: 404 });
    expect((err as Error).message).toContain('No recurring data job with activity ID');
    await expect(wrong.enqueue('usmf', 'b', buildJournalCsv([journalRow('w-1')]))).rejects.toMatchObject({
      kind: 'config',
      status: 404,
    });
  });

  it('an unknown message ID is a retryable 404 with the upstream message', async () => {
    await expect(scm.jobStatus('00000000-0000-4000-8000-00000000dead')).rejects.toMatchObject({
      kind: 'retry',
      status: 404,
      upstreamMessage: expect.stringContaining('No message with ID'),
    });
  });
});
