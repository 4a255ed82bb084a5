import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UpstreamConnection } from '../../src/main/upstream/config';
import type { JournalHeader, ScmJobStatus } from '../../src/main/upstream/scm-answers';
import { ScmClient } from '../../src/main/upstream/scm-client';
import { type Emulator, startEmulator } from '../upstream-emulator/index';
import { journalPackage, journalRow } from './helpers';

let emu: Emulator;
let conn: UpstreamConnection;
let scm: ScmClient;

beforeAll(async () => {
  // SCM's posting job runs only when a test says so (admin.runPostingJob), as on its own recurrence.
  emu = await startEmulator({ importDelayMs: 30, postingJobEnabled: false });
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
  it('enqueue a package → job status → GetExecutionErrors → read back → headers posted by the posting job', async () => {
    const posted = journalPackage(
      [
        journalRow("agg-1'q", { InventoryQuantity: -2.5 }),
        journalRow('agg-2', { ItemNumber: 'NOPE,"x"' }),
        journalRow('agg-3', {
          ItemNumber: 'D0002',
          InventoryWarehouseId: '11',
          InventoryQuantity: 1e-7,
          UnitCost: 3.25,
        }),
      ],
      { expected: 'Posted' },
    );
    const messageId = await scm.enqueue('usmf', 'batch-42', posted);
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);

    const status = await waitFinal(messageId);
    expect(status.state).toBe('ProcessedWithErrors');
    expect(status.executionId).toBeTruthy();
    expect(status.log).not.toContain('agg-2');
    expect(status.details.map((d) => d.entityName)).toContain('Inventory service adjustment journal entry');
    const errors = await scm.executionErrors(status.executionId!);
    expect(
      errors.some(
        (e) => e.includes('agg-2') && e.includes(`The value 'NOPE,"x"' in field 'Item number' is not found`),
      ),
    ).toBe(true);
    expect(errors.some((e) => e.includes("agg-1'q"))).toBe(false);

    const createdOnly = await waitFinal(
      await scm.enqueue('usmf', 'batch-43', journalPackage([journalRow('agg-4')])),
    );
    expect(createdOnly.state).toBe('Processed');

    const entries = await scm.readBackEntries(["agg-1'q", 'agg-2', 'agg-3', 'agg-4']);
    expect(entries.map((e) => e.transactionId).sort()).toEqual(["agg-1'q", 'agg-3', 'agg-4']);
    for (const e of entries) {
      expect(e.dataAreaId).toBe('usmf');
      expect(e.journalNumber).toMatch(/^IVJ-/);
      expect(e.lineNumber).toBeGreaterThan(0);
    }
    const lines = emu.admin.journals().flatMap((j) => j.lines);
    expect(lines.find((l) => l.InventoryServiceTransactionId === "agg-1'q")?.InventoryQuantity).toBe(-2.5);
    expect(lines.find((l) => l.InventoryServiceTransactionId === 'agg-3')).toMatchObject({
      InventoryQuantity: 1e-7,
      UnitCost: 3.25,
    });

    const postedJournal = entries.find((e) => e.transactionId === "agg-1'q")!.journalNumber;
    const createdJournal = entries.find((e) => e.transactionId === 'agg-4')!.journalNumber;
    const wanted = [postedJournal, createdJournal].map((journalNumber) => ({
      dataAreaId: 'usmf',
      journalNumber,
    }));
    // Import never posts: only SCM's posting job does.
    expect((await scm.readJournalHeaders(wanted)).map((h) => h.isPosted)).toEqual([false, false]);
    emu.admin.runPostingJob();
    const headers = await waitHeaders(wanted, (h) => h.some((x) => x.isPosted));
    expect(headers.find((h) => h.journalNumber === postedJournal)).toEqual({
      dataAreaId: 'usmf',
      journalNumber: postedJournal,
      isPosted: true,
      postedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      expectedStatus: 'Posted',
      description: 'test journal',
      linesDeletedAfterPosting: false,
    });
    expect(headers.find((h) => h.journalNumber === createdJournal)).toMatchObject({
      isPosted: false,
      postedAt: null,
      expectedStatus: 'Created',
    });
  });

  it('a journal that cannot post stays IsPosted No, with no reason on the header; a numeric job state reads', async () => {
    emu.admin.updateSettings({ jobStateAsNumber: true });
    const id = await scm.enqueue(
      'usmf',
      'batch-neg',
      journalPackage([journalRow('neg-1', { InventoryQuantity: -1000 })], { expected: 'Posted' }),
    );
    expect((await waitFinal(id)).state).toBe('Processed');
    const [entry] = await scm.readBackEntries(['neg-1']);
    const ref = { dataAreaId: entry!.dataAreaId, journalNumber: entry!.journalNumber };
    const run = emu.admin.runPostingJob();
    expect(run.failed[0]?.message).toContain('cannot become negative');
    const [header] = await scm.readJournalHeaders([ref]);
    expect(header).toEqual({
      ...ref,
      isPosted: false,
      postedAt: null,
      expectedStatus: 'Posted',
      description: expect.any(String),
      linesDeletedAfterPosting: false,
    });
  });

  it('a duplicate row fails with "already exists" and the line reads back from the first import', async () => {
    const pkg = journalPackage([journalRow('dup-1')]);
    await waitFinal(await scm.enqueue('usmf', 'b1', pkg));
    const second = await waitFinal(await scm.enqueue('usmf', 'b2', pkg));
    expect(second.state).toBe('ProcessedWithErrors');
    expect((await scm.executionErrors(second.executionId!)).join(' ')).toContain('The record already exists');
    expect(await scm.readBackEntries(['DUP-1'])).toHaveLength(1);
  });

  it('reads back 300 lines in chunks under 6 KB and follows nextLink pages', async () => {
    const ids = Array.from(
      { length: 300 },
      (_, i) => `bulk-${String(i).padStart(4, '0')}-0f8fad5b-d9cb-469f`,
    );
    const status = await waitFinal(
      await scm.enqueue('usmf', 'big', journalPackage(ids.map((id) => journalRow(id)))),
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

  it("halves a read-back the server refuses as too long (IIS's 404.15), and keeps the shorter length", async () => {
    const ids = Array.from(
      { length: 120 },
      (_, i) => `long-${String(i).padStart(4, '0')}-0f8fad5b-d9cb-469f`,
    );
    await waitFinal(await scm.enqueue('usmf', 'long', journalPackage(ids.map((id) => journalRow(id)))));
    emu.admin.updateSettings({ maxQueryStringLength: 2048 });
    const client = new ScmClient(conn);
    const spy = vi.spyOn(globalThis, 'fetch');
    try {
      const entries = await client.readBackEntries(ids);
      expect(entries.map((e) => e.transactionId).sort()).toEqual([...ids].sort());
      const first = spy.mock.calls.map((c) => String(c[0])).filter((u) => u.includes('/data/'));
      expect(Math.max(...first.map((u) => u.length))).toBeGreaterThan(2048);
      // The next read back starts under the learned length: no query is refused again.
      spy.mockClear();
      expect(await client.readBackEntries(ids)).toHaveLength(120);
      const again = spy.mock.calls.map((c) => String(c[0])).filter((u) => u.includes('/data/'));
      expect(Math.max(...again.map((u) => new URL(u).search.length))).toBeLessThanOrEqual(2048);
    } finally {
      spy.mockRestore();
      emu.admin.updateSettings({ maxQueryStringLength: null });
    }
  });

  it("measures a read-back's URL as it is sent: OData quotes go out as %27, so a client told 2,048 is never refused at 2,048", async () => {
    const ids = Array.from({ length: 80 }, (_, i) => `quote-${String(i).padStart(3, '0')}-d9cb`);
    await waitFinal(await scm.enqueue('usmf', 'quotes', journalPackage(ids.map((id) => journalRow(id)))));
    emu.admin.updateSettings({ maxQueryStringLength: 2048 });
    const client = new ScmClient(conn, undefined, { maxUrlLength: 2048 });
    const spy = vi.spyOn(globalThis, 'fetch');
    try {
      expect(await client.readBackEntries(ids)).toHaveLength(80);
      const urls = spy.mock.calls.map((c) => String(c[0])).filter((u) => u.includes('/data/'));
      // Before, each literal's two quotes grew by four characters on the wire and the first query was refused.
      expect(urls.length).toBeGreaterThan(1);
      for (const u of urls) expect(new URL(u).href.length).toBeLessThanOrEqual(2048);
      expect(urls.every((u) => !u.includes("'"))).toBe(true);
    } finally {
      spy.mockRestore();
      emu.admin.updateSettings({ maxQueryStringLength: null });
    }
  });

  it('readBackJournal reads one journal of one company whole, following nextLink pages', async () => {
    const usrt = { InventoryWarehouseId: '11' };
    const ids = Array.from({ length: 7 }, (_, i) => `j-${i}`);
    const status = await waitFinal(
      await scm.enqueue('usmf', 'usmf-journal', journalPackage(ids.map((id) => journalRow(id)))),
    );
    expect(status.state).toBe('Processed');
    const other = await waitFinal(
      await scm.enqueue(
        'usrt',
        'usrt-journal',
        journalPackage([journalRow('r-1', usrt), journalRow('r-2', usrt)]),
      ),
    );
    expect(other.state).toBe('Processed');
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

  it('ping verifies an activity only on an answer that names its probe; any other answer leaves it unverified, in words', async () => {
    await expect(scm.ping()).resolves.toEqual({ verified: true });
    const wrong = new ScmClient({ ...conn, activityId: '99999999-9999-4999-8999-999999999999' });
    const probe = await wrong.ping();
    expect(probe).toEqual({
      verified: false,
      answer: expect.stringMatching(/^HTTP 404: No recurring data job with activity ID/),
    });
    await expect(wrong.enqueue('usmf', 'b', journalPackage([journalRow('w-1')]))).rejects.toMatchObject({
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
