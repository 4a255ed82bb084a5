import { afterEach, describe, expect, it } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import { ingest } from '../../src/main/ingest/ingest';
import type { SyncStatus } from '../../src/shared/sync-status';
import { openLayer } from '../helpers/layer';
import { type Emulator, startEmulator } from '../upstream-emulator';
import { configure, dataset, FAST_TIMING, type PlannedLine, settled, waitFor } from './fixtures';

let emulator: Emulator | null = null;
let layer: BusinessLayer | null = null;

afterEach(async () => {
  await layer?.close();
  await emulator?.close();
  layer = null;
  emulator = null;
});

async function setup(transactions: Record<string, unknown> = {}): Promise<BusinessLayer> {
  emulator = await startEmulator({ importDelayMs: 10, postingDelayMs: 20 });
  layer = openLayer(undefined, { syncTiming: FAST_TIMING });
  configure(layer, emulator, { periodicSyncToIV: false, periodicSyncToFno: false, ...transactions });
  layer.sync.start();
  expect((await layer.sync.initialize()).initialized).toBe(true);
  return layer;
}

function add(
  l: BusinessLayer,
  planned: PlannedLine[] | Record<string, unknown>[],
  instantIv = false,
): string[] {
  const lines = planned.map((p) => ('line' in p ? (p as PlannedLine).line : p));
  const outcome = ingest(l.ledger, lines, { source: 'api', createdBy: 'test', instantIv });
  if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome));
  return outcome.results.map((r) => r.lineRecordId);
}

/** Sync now until nothing is in flight: SCM's posting job posts on its own recurrence, so wait between runs. */
async function syncUntilSettled(l: BusinessLayer): Promise<void> {
  await waitFor(
    'every line settled',
    async () => {
      await l.sync.run('all');
      return settled(l.ledger);
    },
    15_000,
    100,
  );
}

function aggregatedOf(l: BusinessLayer, lineRecordId: string) {
  return l.ledger.aggregated.get(l.ledger.lines.get(lineRecordId)!.aggregatedLineId!)!;
}

describe('Initialize and the jobs before it', () => {
  it('says what is missing, refuses to run, then reports each check and sets the flag', async () => {
    emulator = await startEmulator();
    layer = openLayer();
    layer.sync.start();
    const before = layer.sync.status();
    expect(before.initialized).toBe(false);
    expect(before.jobs.iv.state).toBe('needsConfiguration');
    expect(before.jobs.iv.message).toContain('environmentId');
    expect(before.upstream).toEqual({ iv: 'unconfigured', scm: 'unconfigured' });
    const skipped = await layer.sync.run('all');
    expect(skipped.runs.map((r) => r.outcome)).toEqual(['skipped', 'skipped']);
    expect(skipped.runs[0]!.message).toContain('Not initialized');

    const incomplete = await layer.sync.initialize();
    expect(incomplete.initialized).toBe(false);
    expect(incomplete.checks.find((c) => c.name === 'settings')).toMatchObject({ ok: false });
    expect(incomplete.checks.find((c) => c.name === 'settings')!.message).toContain('connection.tenantId');

    configure(layer, emulator);
    layer.settings.update({ connection: { clientSecret: 'wrong-secret' } });
    const wrong = await layer.sync.initialize();
    expect(wrong.initialized).toBe(false);
    const iv = wrong.checks.find((c) => c.name === 'iv')!;
    expect(iv.ok).toBe(false);
    expect(iv.message).toMatch(/AADSTS|secret/i);
    expect(iv.message).toContain('Check the connection settings');
    expect(layer.settings.read().isFeatureInitialized).toBe(false);

    layer.settings.update({ connection: { clientSecret: emulator.credentials.clientSecret } });
    const ok = await layer.sync.initialize();
    expect(ok.checks.map((c) => [c.name, c.ok])).toEqual([
      ['ledger', true],
      ['settings', true],
      ['iv', true],
      ['scm', true],
      ['activity', true],
      ['profile', true],
    ]);
    expect(ok.initialized).toBe(true);
    expect(layer.settings.read().isFeatureInitialized).toBe(true);
    expect(layer.sync.status().upstream).toEqual({ iv: 'online', scm: 'online' });
  });

  it('reports an unknown integration activity as its own failed check', async () => {
    emulator = await startEmulator();
    layer = openLayer();
    configure(layer, emulator, {
      fnoAdjustmentIntegrationActivityId: '11111111-2222-4333-8444-555555555555',
    });
    const result = await layer.sync.initialize();
    expect(result.checks.find((c) => c.name === 'scm')!.ok).toBe(true);
    const activity = result.checks.find((c) => c.name === 'activity')!;
    expect(activity.ok).toBe(false);
    expect(activity.message).toContain('No recurring data job');
    expect(result.initialized).toBe(false);
  });

  it('initializes by itself at start with a complete configuration (autoInitialize), retrying until it can', async () => {
    emulator = await startEmulator();
    await emulator.stop();
    layer = openLayer(undefined, { syncTiming: FAST_TIMING });
    configure(layer, emulator);
    layer.sync.start({ autoInitialize: true });
    const l = layer;
    await waitFor(
      'a failed check',
      () => (l.sync.status().jobs.iv.message ?? '').includes('Last check'),
      5000,
    );
    expect(layer.settings.read().isFeatureInitialized).toBe(false);
    await emulator.start();
    await waitFor('initialized', () => l.settings.read().isFeatureInitialized, 5000);
  });

  it("stops the jobs when 'Enable feature' is off and says so", async () => {
    const l = await setup({ periodicSyncToIV: true });
    l.settings.update({ enableFeature: false });
    const s = l.sync.status();
    expect(s.jobs.iv.state).toBe('disabled');
    expect(s.jobs.fno.state).toBe('disabled');
    expect(s.jobs.iv.nextRunAt).toBeNull();
    expect((await l.sync.run('iv')).runs[0]!.outcome).toBe('skipped');
    l.settings.update({ enableFeature: true });
    expect(l.sync.status().jobs.iv.nextRunAt).not.toBeNull();
  });
});

describe('the IV job', () => {
  it('sends instant lines at once with the periodic IV sync off, and only those', async () => {
    const l = await setup();
    const [later] = add(l, [dataset('inst')[0]!]);
    const [now] = add(l, [dataset('inst')[1]!], true);
    l.sync.linesAdded(true);
    await waitFor('the instant line in IV', () => l.ledger.lines.get(now!)!.status === 'IVPosted', 5000);
    expect(l.ledger.lines.get(later!)!.status).toBe('Created');
    expect(emulator!.admin.events().map((e) => e.id)).toEqual([now]);
    // Sync now takes the rest.
    await l.sync.run('iv');
    expect(l.ledger.lines.get(later!)!.status).toBe('IVPosted');
  });

  it('holds a line IV rejects back with its message, without blocking the others', async () => {
    const l = await setup({
      periodicSyncToIV: true,
      ivSyncFrequencyMinutes: 1,
      ivDimensionDataSource: 'pos',
    });
    // Two external dimensions IV reads as one (its keys are case-insensitive): IV refuses the event.
    const bad = {
      ...(dataset('rej')[0]!.line as Record<string, unknown>),
      id: 'rej-bad',
      dimensions: { siteId: '1', locationId: '13', Channel: 'a', channel: 'b' },
    };
    const [badId, ...goodIds] = add(l, [
      bad,
      ...dataset('rej')
        .slice(1, 6)
        .map((p) => p.line),
    ]);
    await l.sync.run('iv');
    const rejected = l.ledger.lines.get(badId!)!;
    expect(rejected.status).toBe('Created');
    expect(rejected.lastError).toContain('given twice');
    expect(rejected.lastErrorKind).toBe('data');
    for (const id of goodIds) expect(l.ledger.lines.get(id)!.status).toBe('IVPosted');
    // The periodic run leaves it alone while it is held back...
    const runsBefore = l.sync.runs(100).length;
    await waitFor(
      'two periodic IV runs',
      () => l.sync.runs(100).filter((r) => r.job === 'iv').length >= 3,
      5000,
    );
    expect(l.sync.runs(100).length).toBeGreaterThan(runsBefore);
    expect(emulator!.admin.counters().ivEventsRejected).toBe(1);
    // ...and "Sync now" offers it again (someone may have fixed IV's configuration).
    await l.sync.run('iv');
    expect(emulator!.admin.counters().ivEventsRejected).toBe(2);
    const attempts = l.sync.attemptsFor(badId!);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatchObject({ job: 'iv', outcome: 'data' });
    expect(attempts[0]!.response).toContain('given twice');
  });

  it('backs off honouring Retry-After when IV throttles, and says when it retries', async () => {
    const l = await setup({ periodicSyncToIV: true, ivSyncFrequencyMinutes: 1 });
    add(l, dataset('thr').slice(0, 3));
    emulator!.admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['429'], retryAfterSeconds: 2 });
    const t0 = Date.now();
    const result = await l.sync.run('iv');
    expect(result.runs[0]).toMatchObject({ outcome: 'failed' });
    expect(result.runs[0]!.message).toContain('429');
    const s: SyncStatus = l.sync.status();
    expect(s.jobs.iv.state).toBe('backingOff');
    expect(s.jobs.iv.consecutiveFailures).toBe(1);
    expect(Date.parse(s.jobs.iv.nextRunAt!) - t0).toBeGreaterThanOrEqual(1900);
    expect(s.jobs.iv.message).toContain('retrying at');
    emulator!.admin.clearFaults();
    await waitFor('the retry', () => l.sync.status().lineCounts.IVPosted === 3, 5000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
  });
});

describe('settings take effect at once', () => {
  it('reschedules the timers when a frequency or a periodic switch changes', async () => {
    const l = await setup({ periodicSyncToFno: true, fnoSyncFrequencyMinutes: 100 });
    await l.sync.run('fno');
    const far = Date.parse(l.sync.status().jobs.fno.nextRunAt!);
    expect(far - Date.now()).toBeGreaterThan(30_000);
    l.settings.update({ transactions: { fnoSyncFrequencyMinutes: 1 } });
    const near = Date.parse(l.sync.status().jobs.fno.nextRunAt!);
    expect(near).toBeLessThan(far);
    l.settings.update({ transactions: { periodicSyncToFno: false } });
    expect(l.sync.status().jobs.fno.nextRunAt).toBeNull();
    expect(l.sync.status().jobs.fno.message).toContain('Periodic sync is off');
  });
});

describe('troubleshooting', () => {
  it('retries an FnOCreateError after the cause is fixed in SCM, reading back before resending', async () => {
    const l = await setup();
    const planned = dataset('fix').filter((p) => p.expected === 'FnOCreateError');
    const [id] = add(l, planned);
    await syncUntilSettled(l);
    const failed = aggregatedOf(l, id!);
    expect(failed.status).toBe('FnOCreateError');

    emulator!.admin.addItem({ organizationId: 'usmf', itemNumber: 'X9999' });
    expect(l.sync.retry([failed.aggregatedLineId])).toEqual({ changed: 1, refused: [] });
    expect(l.ledger.aggregated.get(failed.aggregatedLineId)!.status).toBe('FnOSent');
    await syncUntilSettled(l);
    const fixed = l.ledger.aggregated.get(failed.aggregatedLineId)!;
    expect(fixed.status).toBe('FnOPosted');
    expect(fixed.journalNumber).toMatch(/^IVJ-/);
    const actions = l.sync
      .attemptsFor(failed.aggregatedLineId)
      .map((a) => a.action)
      .reverse();
    // First send, its read back (missing), then the retry: read back first, then the resend.
    expect(actions.slice(0, 4)).toEqual(['enqueue', 'readBack', 'readBack', 'enqueue']);
  });

  it('retries an FnOPostError by following the posting again, and sets lines aside with a reason', async () => {
    const l = await setup();
    const planned = dataset('pe');
    const ids = add(l, [...planned.filter((p) => p.expected === 'FnOPostError'), planned[0]!]);
    await syncUntilSettled(l);
    const postError = aggregatedOf(l, ids[0]!);
    const posted = aggregatedOf(l, ids[ids.length - 1]!);
    expect(postError.status).toBe('FnOPostError');
    expect(postError.lastError).toContain(`has not posted journal ${postError.journalNumber}`);
    expect(posted.status).toBe('FnOPosted');

    const retried = l.sync.retry([postError.aggregatedLineId, posted.aggregatedLineId, 'nope']);
    expect(retried.changed).toBe(1);
    expect(retried.refused).toEqual([
      { aggregatedLineId: posted.aggregatedLineId, message: expect.stringContaining('already posted') },
      { aggregatedLineId: 'nope', message: 'No aggregated line with this ID.' },
    ]);
    expect(l.ledger.aggregated.get(postError.aggregatedLineId)!.status).toBe('FnOCreated');
    // A fresh overdue window from the retry; SCM's posting job still cannot post it: PostError again.
    await syncUntilSettled(l);
    expect(l.ledger.aggregated.get(postError.aggregatedLineId)!.status).toBe('FnOPostError');

    const marked = l.sync.markDoNotSync(
      [postError.aggregatedLineId, posted.aggregatedLineId],
      'Counted again by hand; not needed in SCM',
    );
    expect(marked.changed).toBe(1);
    expect(marked.refused[0]!.message).toContain('FnOPosted');
    const aside = l.ledger.aggregated.get(postError.aggregatedLineId)!;
    expect(aside.status).toBe('DoNotSync');
    expect(aside.statusReason).toBe('Counted again by hand; not needed in SCM');
    expect(l.sync.status().unsynced).toBe(0);
  });

  it("a journal SCM's posting job has not posted in time is FnOPostError naming it; once SCM posts it, FnOPosted by itself, posted once", async () => {
    const l = await setup();
    // Two issues of 40 against an on-hand of 50, one aggregated line of -80 in its own journal.
    const [id] = add(
      l,
      dataset('rp').filter((p) => p.expected === 'FnOPostError'),
    );
    await syncUntilSettled(l);
    const failed = aggregatedOf(l, id!);
    expect(failed.status).toBe('FnOPostError');
    const journal = () => emulator!.admin.journals().find((j) => j.JournalNumber === failed.journalNumber)!;
    // SCM's header says only IsPosted: the words say which journal is holding the line and where to look.
    expect(journal().IsPosted).toBe('No');
    expect(failed.lastError).toContain(
      `SCM's posting job has not posted journal ${failed.journalNumber} (usmf) 1 hour after it was created`,
    );
    expect(failed.lastError).toContain(
      'Inventory management › Journal entries › Items › Inventory adjustment',
    );

    // The cause is fixed in SCM; its recurring posting job posts the journal on its next pass.
    emulator!.admin.addOnHand({
      organizationId: 'usmf',
      itemNumber: 'D0002',
      dimensions: { siteId: '1', locationId: '11' },
      quantity: 30,
    });
    await emulator!.admin.idle();
    expect(journal().IsPosted).toBe('Yes');
    // No clerk's action needed: the next SCM run reads the journal again and sees it posted.
    await l.sync.run('fno');
    const fixed = l.ledger.aggregated.get(failed.aggregatedLineId)!;
    expect(fixed).toMatchObject({
      status: 'FnOPosted',
      journalNumber: failed.journalNumber,
      journalLineNumber: failed.journalLineNumber,
      lastError: null,
    });
    // Not sent again, posted once, the offset applied once: IV's external measure is back at 0.
    expect(emulator!.admin.counters()).toMatchObject({
      scmRowsImported: 1,
      journals: 1,
      journalsPosted: 1,
      journalsPostError: 1,
    });
    const [cell] = emulator!.admin.onHand({ organizationId: 'usmf', productId: 'D0002' });
    expect(cell?.quantities).toEqual({ '@iv': { adjustment: 0 }, fno: { physicalinvent: 0 } });
  });
});
