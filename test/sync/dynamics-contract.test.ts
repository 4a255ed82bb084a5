// The SCM and IV contracts end to end against the emulator (docs/dynamics-contract.md): the data
// project's shape as data, bounded polling, IV answers held unless confirmed, packages of journals.
import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { connectionOf } from '../../src/main/ledger/internal';
import { MAX_HOLDS } from '../../src/main/sync/iv-holds';
import { inSyncWindow } from '../../src/main/sync/window';
import { exportedManifest } from '../helpers/exported-manifest';
import { seedLine } from '../helpers/layer';
import { syncTest } from '../helpers/sync-stack';
import { type DataProject, DEFAULT_DATA_PROJECT } from '../upstream-emulator';
import { dataset, waitFor } from './fixtures';

const postedLines = (prefix: string, n: number) =>
  dataset(prefix)
    .filter((p) => p.expected === 'FnOPosted')
    .slice(0, n)
    .map((p) => p.line);

/** The project's exported Manifest.xml, as the bytes a clerk loads. */
const exportedManifestBytes = (project: DataProject) => strToU8(exportedManifest(project));

describe('the import profile is data', () => {
  syncTest(
    "a project shaped otherwise refuses the package with SCM's words; its exported manifest fixes it, and Retry sends once",
    async ({ stack }) => {
      const { l, emu } = await stack.open();
      // The customer's project calls the item column "Item number" (not public: any name is possible).
      const project: DataProject = {
        ...DEFAULT_DATA_PROJECT,
        projectName: 'Contoso IV journals',
        lines: {
          ...DEFAULT_DATA_PROJECT.lines,
          columns: DEFAULT_DATA_PROJECT.lines.columns.map((c) =>
            c.field === 'ItemNumber' ? { ...c, column: 'Item number' } : c,
          ),
        },
      };
      emu.admin.setDataProject(project);
      const [id] = stack.add(postedLines('profile', 1));
      await stack.syncUntilSettled();
      const refused = stack.aggregatedOf(id!);
      expect(refused.status).toBe('FnOCreateError');
      expect(refused.lastError).toContain('PreProcessError');
      expect(refused.lastError).toContain('ITEMNUMBER');
      expect(refused.lastError).toMatch(
        /Look up message [0-9a-f-]{36} in System administration › Data management IT › Recurring data jobs/,
      );
      expect(emu.admin.counters()).toMatchObject({ scmMessagesRefused: 1, scmRowsImported: 0 });

      const loaded = await l.settings.loadImportProfile(exportedManifestBytes(project));
      expect(loaded.settings.transactions.scmImportProfile.projectName).toBe('Contoso IV journals');
      expect(loaded.settings.transactions.scmImportProfile.lines.columns).toContainEqual({
        field: 'ItemNumber',
        column: 'Item number',
        entityField: 'ITEMNUMBER',
      });
      expect(l.sync.retry([refused.aggregatedLineId])).toEqual({ changed: 1, refused: [] });
      await stack.syncUntilSettled();
      expect(l.ledger.aggregated.get(refused.aggregatedLineId)).toMatchObject({
        status: 'FnOPosted',
        lastError: null,
      });
      expect(emu.admin.counters()).toMatchObject({ scmRowsImported: 1, journalsPosted: 1 });
    },
  );

  syncTest(
    'a profile change never resends what SCM already holds: the lost package is read back first',
    async ({ stack }) => {
      const { l, emu } = await stack.open();
      const ids = stack.add(postedLines('lost', 5));
      // SCM takes the package but the answer never arrives: the outcome is unknown.
      emu.admin.setFault({ endpoint: 'scmEnqueue', rate: 1, kinds: ['lost'] });
      await l.sync.run('all');
      emu.admin.clearFaults();
      // SCM imports it meanwhile: it holds the lines.
      await stack.untilScmIdle();
      // Store IT loads the project's manifest meanwhile (same shape, another name for the project).
      await l.settings.loadImportProfile(
        exportedManifestBytes({ ...DEFAULT_DATA_PROJECT, projectName: 'Renamed project' }),
      );
      await stack.syncUntilSettled();
      for (const id of ids) expect(stack.aggregatedOf(id).status).toBe('FnOPosted');
      const c = emu.admin.counters();
      expect(c.scmEnqueueCalls).toBe(1);
      expect(c.scmRowsDuplicate).toBe(0);
      expect(c.scmRowsImported).toBe(new Set(ids.map((id) => stack.aggregatedOf(id).aggregatedLineId)).size);
    },
  );

  syncTest('refuses a package without a lines entity, in words, and changes nothing', async ({ stack }) => {
    const { l } = await stack.open();
    const before = l.settings.read().transactions.scmImportProfile;
    const headersOnly = exportedManifestBytes({
      ...DEFAULT_DATA_PROJECT,
      lines: { ...DEFAULT_DATA_PROJECT.lines, columns: [] },
    });
    await expect(l.settings.loadImportProfile(headersOnly)).rejects.toThrow(/names no lines entity/);
    expect(l.settings.read().transactions.scmImportProfile).toEqual(before);
  });

  syncTest('packs up to "journals per package" journals into one data package', async ({ stack }) => {
    const { l, emu } = await stack.open({
      transactions: { fnoSyncMaxLineCount: 2, fnoSyncMaxJournalCountInPackage: 2 },
    });
    stack.add(postedLines('pack', 40).slice(0, 10));
    await stack.syncUntilSettled();
    const aggregated = [...l.ledger.aggregated.iterate({})];
    const journals = emu.admin.journals();
    expect(journals.every((j) => j.lines.length <= 2)).toBe(true);
    expect(journals.flatMap((j) => j.lines)).toHaveLength(aggregated.length);
    // Two journals per package, so about half as many messages as journals.
    expect(emu.admin.messages()).toHaveLength(Math.ceil(journals.length / 2));
    expect(aggregated.every((a) => a.status === 'FnOPosted')).toBe(true);
  });
});

describe('following SCM when it says little', () => {
  syncTest(
    'a job status without a state is polled a bounded time, then the lines are settled by reading back',
    async ({ stack }) => {
      const { l, emu } = await stack.open();
      emu.admin.updateSettings({ jobStatusShape: 'noState' });
      const [id] = stack.add(postedLines('nostate', 1));
      await stack.syncUntilSettled();
      const line = stack.aggregatedOf(id!);
      expect(line.status).toBe('FnOPosted');
      const actions = l.sync.attemptsFor(line.aggregatedLineId).map((a) => a.response ?? '');
      expect(actions.some((a) => a.startsWith('found: journal'))).toBe(true);
      const batch = connectionOf(l.ledger)
        .db.prepare('SELECT job_state, unknown_polls, execution_log FROM journal_batches')
        .get() as {
        job_state: string;
        unknown_polls: number;
        execution_log: string;
      };
      expect(batch.job_state).toBe('unknown');
      expect(batch.unknown_polls).toBeGreaterThanOrEqual(10);
      expect(batch.execution_log).toContain('the lines were read back to settle them');
    },
  );

  syncTest(
    'an IV answer that does not confirm the events holds the lines; they go again once it does, counted once',
    async ({ stack }) => {
      const { l, emu } = await stack.open();
      emu.admin.updateSettings({ ivAnswerShape: 'bodyStatus' });
      const ids = stack.add(postedLines('held', 3));
      await l.sync.run('iv');
      for (const id of ids) {
        const line = l.ledger.lines.get(id)!;
        expect(line.status).toBe('Created');
        expect(line.lastError).toContain('it will be sent again (IV counts it once)');
        expect(line.lastErrorKind).toBe('retry');
      }
      emu.admin.updateSettings({ ivAnswerShape: 'successFailure' });
      // Held back briefly (minBackoffMs) from the periodic run; Sync now offers them at once.
      await l.sync.run('iv');
      expect(ids.map((id) => l.ledger.lines.get(id)!.status)).toEqual(['IVPosted', 'IVPosted', 'IVPosted']);
      expect(emu.admin.counters().ivEventsAccepted).toBe(3);
    },
  );
});

describe('an IV answer that never confirms', () => {
  syncTest(
    'turns a line into an error in words with the raw answer after MAX_HOLDS unconfirmed answers, instead of resending forever',
    async ({ stack }) => {
      const { l, emu } = await stack.open();
      emu.admin.updateSettings({ ivAnswerShape: 'bodyStatus' });
      const [id] = stack.add(postedLines('never', 1));
      for (let run = 1; run < MAX_HOLDS; run++) {
        await l.sync.run('iv');
        expect(l.ledger.lines.get(id!)).toMatchObject({ status: 'Created', lastErrorKind: 'retry' });
      }
      await l.sync.run('iv');
      const line = l.ledger.lines.get(id!)!;
      expect(line).toMatchObject({ status: 'Created', lastErrorKind: 'data', attempts: MAX_HOLDS });
      expect(line.lastError).toContain(
        `Inventory Visibility has answered ${MAX_HOLDS} times without confirming this line`,
      );
      expect(line.lastError).toContain('"statusCode":500');
      // It is an error a clerk sees, and it can only be corrected: IV may have it.
      expect(l.sync.status().jobs.iv.lastError).toBeNull();
    },
  );
});

describe("IV's published answer shapes", () => {
  syncTest.for(['sixLists', 'perEvent'] as const)(
    'takes every event IV answers as taken in the %s shape (ids with the API prefix)',
    async (shape, { stack }) => {
      const { l, emu } = await stack.open();
      emu.admin.updateSettings({ ivAnswerShape: shape });
      const ids = stack.add(postedLines(`six-${shape}`, 2));
      await l.sync.run('iv');
      expect(ids.map((id) => l.ledger.lines.get(id)!.status)).toEqual(['IVPosted', 'IVPosted']);
      expect(emu.admin.counters().ivEventsAccepted).toBe(2);
    },
  );
});

describe('catching up', () => {
  syncTest(
    'keeps up to "upstream calls in flight" IV calls open at once, each line accepted once',
    async ({ stack }) => {
      // Real time: the attempt log's real times show the calls overlapping.
      const { l, emu } = await stack.open({ transactions: { upstreamCallsInFlight: 4 }, realTime: true });
      emu.admin.updateSettings({ latencyMs: 150 });
      const lines = Array.from({ length: 4 * 512 }, (_, i) =>
        seedLine({ id: `c-${i}`, quantity: 1, dimensions: { siteId: '1', locationId: '13' } }),
      );
      const ids = stack.add(lines);
      await l.sync.run('iv');
      expect(ids.every((id) => l.ledger.lines.get(id)!.status === 'IVPosted')).toBe(true);
      expect(emu.admin.counters()).toMatchObject({
        ivBulkCalls: 4,
        ivEventsAccepted: 2048,
        ivEventsDuplicate: 0,
      });
      // The four calls were open at the same time: each started before any of them ended.
      const calls = connectionOf(l.ledger)
        .db.prepare("SELECT at, duration_ms FROM sync_attempts WHERE action = 'onhand/bulk'")
        .all() as { at: string; duration_ms: number }[];
      expect(calls).toHaveLength(4);
      const started = calls.map((c) => Date.parse(c.at) - c.duration_ms);
      const ended = calls.map((c) => Date.parse(c.at));
      expect(Math.max(...started)).toBeLessThan(Math.min(...ended));
    },
  );
});

describe('the status while a run goes on', () => {
  syncTest('says a call failed as soon as it fails, before the run ends', async ({ stack }) => {
    const { l, emu } = await stack.open({ transactions: { upstreamCallsInFlight: 4 } });
    stack.add(
      Array.from({ length: 4 * 512 }, (_, i) =>
        seedLine({ id: `amber-${i}`, quantity: 1, dimensions: { siteId: '1', locationId: '13' } }),
      ),
    );
    // One lane's call is cut at once; the others take a cloud's second to answer.
    emu.admin.updateSettings({ latencyMs: 1000 });
    emu.admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['drop'] });
    let calls = 0;
    const seen: { state: string; lastError: string | null }[] = [];
    l.events.on('sync.status', (s) => seen.push({ state: s.jobs.iv.state, lastError: s.jobs.iv.lastError }));
    const run = l.sync.run('iv');
    // Let the first call go out and fail (real I/O), then let the other lanes' calls through (slowly).
    await waitFor('the dropped call recorded', () => l.sync.status().jobs.iv.lastError !== null, 5000, 5);
    emu.admin.clearFaults();
    calls = emu.admin.counters().ivBulkCalls;
    // The status goes out once its coalescing delay (200 ms) has passed: while the run goes on.
    await stack.clock.advance(200);
    expect(seen).toEqual([{ state: 'running', lastError: expect.any(String) }]);
    await run;
    expect(calls).toBeLessThan(4);
  });
});

describe('catching up in SCM', () => {
  syncTest(
    'keeps up to "SCM packages in flight" packages moving at once, each line imported once',
    async ({ stack }) => {
      // Real time: the attempt log's real times show the enqueues overlapping.
      const { l, emu } = await stack.open({
        transactions: { scmPackagesInFlight: 3, fnoSyncMaxLineCount: 1 },
        realTime: true,
      });
      stack.add(postedLines('lanes', 40).slice(0, 6));
      await l.sync.run('iv');
      emu.admin.updateSettings({ latencyMs: 150 });
      await stack.syncUntilSettled();
      const enqueues = connectionOf(l.ledger)
        .db.prepare("SELECT at, duration_ms FROM sync_attempts WHERE action = 'enqueue' ORDER BY attempt_id")
        .all() as { at: string; duration_ms: number }[];
      expect(enqueues.length).toBeGreaterThanOrEqual(3);
      // The first three enqueues were open at the same time.
      const first = enqueues.slice(0, 3);
      expect(Math.max(...first.map((c) => Date.parse(c.at) - c.duration_ms))).toBeLessThan(
        Math.min(...first.map((c) => Date.parse(c.at))),
      );
      const c = emu.admin.counters();
      expect(c.scmRowsDuplicate).toBe(0);
      expect(c.scmRowsImported).toBe([...l.ledger.aggregated.iterate({})].length);
    },
  );
});

describe('the Fno sync window', () => {
  it('is all day without one, and half-open [start, end) in local time with one', () => {
    const at = (h: number, m: number) => new Date(2026, 10, 30, h, m);
    expect(inSyncWindow(null, at(12, 0))).toBe(true);
    const night = { start: '20:00', end: '23:30' };
    expect([at(19, 59), at(20, 0), at(23, 29), at(23, 30)].map((d) => inSyncWindow(night, d))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });
});
