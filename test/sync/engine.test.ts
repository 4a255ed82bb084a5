import { describe, expect } from 'vitest';
import type { SyncStatus } from '../../src/shared/sync-status';
import { seedLine } from '../helpers/layer';
import { syncTest } from '../helpers/sync-stack';
import { configure, dataset, type PlannedLine } from './fixtures';

const _lines = (planned: PlannedLine[]) => planned.map((p) => p.line);

describe('Initialize and the jobs before it', () => {
  syncTest(
    'says what is missing, refuses to run, then reports each check and sets the flag',
    async ({ stack }) => {
      const { l: layer, emu: emulator } = await stack.open({ provision: false, start: 'no' });
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
      expect(iv.message).toContain(
        'check the tenant ID, client ID and client secret under Settings › Connection',
      );
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
    },
  );

  syncTest(
    'names the two real causes when IV or SCM refuses the app (401/403), in Initialize and in the job status',
    async ({ stack }) => {
      const { l, emu } = await stack.open({ start: 'no' });
      emu.admin.setFault({ endpoint: 'ivQuery', rate: 1, kinds: ['403'] });
      emu.admin.setFault({ endpoint: 'scmOData', rate: 1, kinds: ['403'] });
      const result = await l.sync.initialize();
      const iv = result.checks.find((c) => c.name === 'iv')!;
      expect(iv.ok).toBe(false);
      expect(iv.message).toContain(
        'the client ID must be the app registration Inventory Visibility was installed with',
      );
      const scm = result.checks.find((c) => c.name === 'scm')!;
      expect(scm.message).toContain("it must be on the recurring data job's authorization policy");

      emu.admin.clearFaults();
      expect((await l.sync.initialize()).initialized).toBe(true);
      l.sync.start();
      emu.admin.setFault({ endpoint: 'scmEnqueue', rate: 1, kinds: ['403'] });
      stack.add([seedLine({ id: 'auth-403', dimensions: { siteId: '1', locationId: '13' } })]);
      await l.sync.run('all');
      const fno = l.sync.status().jobs.fno;
      expect(fno.state).toBe('needsConfiguration');
      expect(fno.message).toContain('Supply Chain Management refused the app. The two usual causes:');
    },
  );

  // What SCM answers jobstatus for a message it never saw is not public: only an answer that can
  // come from nothing but a found activity verifies it; anything else warns and lets sync run.
  syncTest.for(['genericNotFound', 'noState', 'badRequest', 'serverError'] as const)(
    'passes the activity check with a warning when SCM answers an unknown message with %s, and the first package confirms it',
    async (answer, { stack }) => {
      const { l, emu } = await stack.open({ start: 'no' });
      emu.admin.updateSettings({ unknownMessageAnswer: answer });
      const result = await l.sync.initialize();
      const activity = result.checks.find((c) => c.name === 'activity')!;
      expect(activity).toMatchObject({ ok: true, warning: true });
      expect(activity.message).toMatch(
        /^Not verified yet: SCM answered the check for an unknown message with HTTP \d{3}/,
      );
      expect(result.initialized).toBe(true);

      l.sync.start();
      const [id] = stack.add([
        seedLine({ id: `act-${answer}`, dimensions: { siteId: '1', locationId: '13' } }),
      ]);
      await stack.syncUntilSettled();
      expect(stack.aggregatedOf(id!).status).toBe('FnOPosted');
      const again = (await l.sync.initialize()).checks.find((c) => c.name === 'activity')!;
      expect(again.warning).toBeUndefined();
      expect(again.message).toContain("SCM's job status confirmed the integration activity");
      expect(again.message).toContain(`data project "${emu.admin.dataProject().projectName}"`);
    },
  );

  syncTest(
    'lets an unknown integration activity through Initialize with a warning, and the first package says what SCM said',
    async ({ stack }) => {
      const { l: layer } = await stack.open({
        start: 'no',
        transactions: { fnoAdjustmentIntegrationActivityId: '11111111-2222-4333-8444-555555555555' },
      });
      const result = await layer.sync.initialize();
      expect(result.checks.find((c) => c.name === 'scm')!.ok).toBe(true);
      const activity = result.checks.find((c) => c.name === 'activity')!;
      expect(activity).toMatchObject({ ok: true, warning: true });
      expect(activity.message).toContain('No recurring data job');
      layer.sync.start();
      stack.add([seedLine({ id: 'act-unknown', dimensions: { siteId: '1', locationId: '13' } })]);
      const summary = await layer.sync.run('all');
      const fno = summary.runs.find((r) => r.job === 'fno')!;
      expect(fno.outcome).toBe('failed');
      expect(fno.message).toContain('No recurring data job');
    },
  );

  syncTest(
    'initializes by itself at start with a complete configuration (autoInitialize), retrying until it can',
    async ({ stack }) => {
      const { l, emu: emulator } = await stack.open({
        start: 'no',
        transactions: { periodicSyncToIV: true, periodicSyncToFno: true },
      });
      await emulator.stop();
      l.sync.start({ autoInitialize: true });
      // The first attempt is due at once; moving the clock waits for it.
      await stack.clock.advance(0);
      expect(l.sync.status().jobs.iv.message).toContain('Last check');
      expect(l.settings.read().isFeatureInitialized).toBe(false);
      await emulator.start();
      // It retries on its own backoff (minBackoffMs 50 with its jitter: 25 to 50 ms), not before.
      await stack.clock.advance(24);
      expect(l.settings.read().isFeatureInitialized).toBe(false);
      await stack.clock.advance(26);
      expect(l.settings.read().isFeatureInitialized).toBe(true);
    },
  );

  syncTest("stops the jobs when 'Enable feature' is off and says so", async ({ stack }) => {
    const { l } = await stack.open({ transactions: { periodicSyncToIV: true } });
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
  syncTest('sends instant lines at once with the periodic IV sync off, and only those', async ({ stack }) => {
    const { l, emu: emulator } = await stack.open();
    const [later] = stack.add([dataset('inst')[0]!]);
    const [now] = stack.add([dataset('inst')[1]!], true);
    l.sync.linesAdded(true);
    // The instant run starts at once; Sync now queues behind it and takes the rest.
    await l.sync.run('iv');
    const [demand, instant] = l.sync.runs(2);
    expect(instant).toMatchObject({ trigger: 'instant', outcome: 'ok', counts: { accepted: 1 } });
    expect(demand).toMatchObject({ trigger: 'demand', outcome: 'ok', counts: { accepted: 1 } });
    expect(emulator.admin.events().map((e) => e.id)).toEqual([now, later]);
    expect(l.ledger.lines.get(later!)!.status).toBe('IVPosted');
  });

  syncTest(
    'holds a line IV rejects back with its message, without blocking the others',
    async ({ stack }) => {
      const { l, emu: emulator } = await stack.open({
        transactions: {
          periodicSyncToIV: true,
          ivSyncFrequencyMinutes: 1,
          ivDimensionDataSource: 'pos',
        },
      });
      // Two external dimensions IV reads as one (its keys are case-insensitive): IV refuses the event.
      const bad = {
        ...(dataset('rej')[0]!.line as Record<string, unknown>),
        id: 'rej-bad',
        dimensions: { siteId: '1', locationId: '13', Channel: 'a', channel: 'b' },
      };
      const [badId, ...goodIds] = stack.add([
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
      // The periodic runs leave it alone while it is held back: one "minute" (400 ms) apart.
      await stack.clock.advance(2 * 400);
      expect(l.sync.runs(100).map((r) => [r.job, r.trigger])).toEqual([
        ['iv', 'timer'],
        ['iv', 'timer'],
        ['iv', 'demand'],
      ]);
      expect(emulator.admin.counters().ivEventsRejected).toBe(1);
      // ...and "Sync now" offers it again (someone may have fixed IV's configuration).
      await l.sync.run('iv');
      expect(emulator.admin.counters().ivEventsRejected).toBe(2);
      const attempts = l.sync.attemptsFor(badId!);
      expect(attempts).toHaveLength(2);
      expect(attempts[0]).toMatchObject({ job: 'iv', outcome: 'data' });
      expect(attempts[0]!.response).toContain('given twice');
    },
  );

  syncTest(
    'backs off honouring Retry-After when IV throttles, and says when it retries',
    async ({ stack }) => {
      const { l, emu: emulator } = await stack.open({
        transactions: { periodicSyncToIV: true, ivSyncFrequencyMinutes: 1 },
      });
      stack.add(dataset('thr').slice(0, 3));
      emulator.admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['429'], retryAfterSeconds: 2 });
      const t0 = stack.clock.now();
      const result = await l.sync.run('iv');
      expect(result.runs[0]).toMatchObject({ outcome: 'failed' });
      expect(result.runs[0]!.message).toContain('429');
      const s: SyncStatus = l.sync.status();
      expect(s.jobs.iv.state).toBe('backingOff');
      expect(s.jobs.iv.consecutiveFailures).toBe(1);
      // Retry-After (2 s) beats the backoff (at most 50 ms here) and the interval (400 ms).
      expect(Date.parse(s.jobs.iv.nextRunAt!) - t0).toBe(2000);
      expect(s.jobs.iv.message).toContain(`retrying at ${new Date(t0 + 2000).toISOString()}`);
      emulator.admin.clearFaults();
      await stack.clock.advance(1999);
      expect(l.sync.status().lineCounts.IVPosted).toBe(0);
      await stack.clock.advance(1);
      expect(l.sync.status().lineCounts.IVPosted).toBe(3);
      expect(l.sync.runs(10)[0]).toMatchObject({ trigger: 'retry', outcome: 'ok' });
      expect(Date.parse(l.sync.runs(10)[0]!.startedAt) - t0).toBe(2000);
    },
  );
});

describe('settings take effect at once', () => {
  syncTest('reschedules the timers when a frequency or a periodic switch changes', async ({ stack }) => {
    const { l } = await stack.open({
      transactions: { periodicSyncToFno: true, fnoSyncFrequencyMinutes: 100 },
    });
    await l.sync.run('fno');
    const ended = stack.clock.now();
    // 100 "minutes" of 400 ms after the run; then 1.
    const far = Date.parse(l.sync.status().jobs.fno.nextRunAt!);
    expect(far - ended).toBe(100 * 400);
    l.settings.update({ transactions: { fnoSyncFrequencyMinutes: 1 } });
    const near = Date.parse(l.sync.status().jobs.fno.nextRunAt!);
    expect(near - ended).toBe(400);
    l.settings.update({ transactions: { periodicSyncToFno: false } });
    expect(l.sync.status().jobs.fno.nextRunAt).toBeNull();
    expect(l.sync.status().jobs.fno.message).toContain('Periodic sync is off');
  });
});

describe('troubleshooting', () => {
  syncTest(
    'says when SCM has not started importing a package for longer than the alert setting, and stops saying it once it has',
    async ({ stack }) => {
      // SCM's recurring data job slow to pick the package up: it starts 2 s after the enqueue
      // (half its import delay), over "1 hour" here (FAST_TIMING.hourMs: 1.5 s). No polling
      // inside a run: only the follow-up runs move, so the test holds the clock.
      const { l } = await stack.open({
        emulator: { importDelayMs: 4000 },
        transactions: { packageQueuedAlertHours: 1 },
        timing: { inRunFollowMs: 0 },
      });
      stack.add([seedLine({ id: 'queued-1', dimensions: { siteId: '1', locationId: '13' } })]);
      const sent = stack.clock.now();
      await l.sync.run('all');
      expect(l.sync.status().queuedPackages).toMatchObject({ count: 0, hours: 1 });
      await stack.clock.advanceTo(sent + 1499);
      expect(l.sync.status().queuedPackages.count).toBe(0);
      await stack.clock.advanceTo(sent + 1500);
      expect(l.sync.status().queuedPackages).toMatchObject({
        count: 1,
        oldestSince: new Date(sent).toISOString(),
      });
      // Once SCM has started on it, it is no longer "not started".
      await stack.clock.advanceTo(sent + 2000);
      await l.sync.run('fno');
      expect(l.sync.status().queuedPackages.count).toBe(0);
      await stack.clock.advanceTo(sent + 4000);
      await stack.syncUntilSettled();
      expect(l.sync.status().queuedPackages.count).toBe(0);
    },
  );

  syncTest(
    'retries an FnOCreateError after the cause is fixed in SCM, reading back before resending',
    async ({ stack }) => {
      const { l, emu: emulator } = await stack.open();
      const planned = dataset('fix').filter((p) => p.expected === 'FnOCreateError');
      const [id] = stack.add(planned);
      await stack.syncUntilSettled();
      const failed = stack.aggregatedOf(id!);
      expect(failed.status).toBe('FnOCreateError');

      emulator.admin.addItem({ organizationId: 'usmf', itemNumber: 'X9999' });
      expect(l.sync.retry([failed.aggregatedLineId])).toEqual({ changed: 1, refused: [] });
      expect(l.ledger.aggregated.get(failed.aggregatedLineId)!.status).toBe('FnOSent');
      await stack.syncUntilSettled();
      const fixed = l.ledger.aggregated.get(failed.aggregatedLineId)!;
      expect(fixed.status).toBe('FnOPosted');
      expect(fixed.journalNumber).toMatch(/^IVJ-/);
      const actions = l.sync
        .attemptsFor(failed.aggregatedLineId)
        .map((a) => a.action)
        .reverse();
      // First send, its read back (missing), then the retry: read back first, then the resend.
      expect(actions.slice(0, 4)).toEqual(['enqueue', 'readBack', 'readBack', 'enqueue']);
    },
  );

  syncTest(
    'retries an FnOPostError by following the posting again, and sets lines aside with a reason',
    async ({ stack }) => {
      const { l } = await stack.open();
      const planned = dataset('pe');
      const ids = stack.add([...planned.filter((p) => p.expected === 'FnOPostError'), planned[0]!]);
      await stack.syncUntilSettled();
      const postError = stack.aggregatedOf(ids[0]!);
      const posted = stack.aggregatedOf(ids[ids.length - 1]!);
      expect(postError.status).toBe('FnOPostError');
      expect(posted.status).toBe('FnOPosted');
      // The journal that posted was numbered after this one: SCM's posting job ran past it.
      expect(postError.lastError).toContain(
        `SCM's posting job has run since journal ${postError.journalNumber} (usmf) was created (it posted ${posted.journalNumber}) and did not post it.`,
      );

      const retried = l.sync.retry([postError.aggregatedLineId, posted.aggregatedLineId, 'nope']);
      expect(retried.changed).toBe(1);
      expect(retried.refused).toEqual([
        { aggregatedLineId: posted.aggregatedLineId, message: expect.stringContaining('already posted') },
        { aggregatedLineId: 'nope', message: 'No aggregated line with this ID.' },
      ]);
      expect(l.ledger.aggregated.get(postError.aggregatedLineId)!.status).toBe('FnOCreated');
      // Following the posting again: SCM's posting job still passes it over, PostError again.
      await stack.syncUntilSettled();
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
    },
  );

  syncTest(
    "a journal SCM's posting job has not posted in time is FnOPostError naming it; once SCM posts it, FnOPosted by itself, posted once",
    async ({ stack }) => {
      const { l, emu: emulator } = await stack.open();
      // Two issues of 40 against an on-hand of 50, one aggregated line of -80 in its own journal.
      const [id] = stack.add(dataset('rp').filter((p) => p.expected === 'FnOPostError'));
      // Sent, imported, and passed over by the posting job (on-hand too low): waiting for it.
      await l.sync.run('all');
      const created = stack.aggregatedOf(id!);
      expect(created.status).toBe('FnOCreated');
      // "Posting overdue after" 1 hour (FAST_TIMING.hourMs: 1.5 s): the follow-up runs meanwhile
      // find it still unposted, and once the hour is past, say so.
      await stack.clock.advance(1499);
      expect(stack.aggregatedOf(id!).status).toBe('FnOCreated');
      await stack.clock.advance(1);
      await l.sync.run('fno');
      const failed = stack.aggregatedOf(id!);
      expect(failed.status).toBe('FnOPostError');
      const journal = () => emulator.admin.journals().find((j) => j.JournalNumber === failed.journalNumber)!;
      // SCM's header says only IsPosted: the words say which journal is holding the line and where to look.
      expect(journal().IsPosted).toBe('No');
      expect(failed.lastError).toContain(
        `SCM's posting job has not posted journal ${failed.journalNumber} (usmf) 1 hour after it was created`,
      );
      expect(failed.lastError).toContain(
        'Inventory management › Journal entries › Items › Inventory adjustment',
      );

      // The cause is fixed in SCM; its recurring posting job posts the journal on its next pass.
      emulator.admin.addOnHand({
        organizationId: 'usmf',
        itemNumber: 'D0002',
        dimensions: { siteId: '1', locationId: '11' },
        quantity: 30,
      });
      // Its next pass, one recurrence on.
      await stack.clock.advance(emulator.admin.settings().postingDelayMs);
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
      // Not sent again, posted once, the offset applied once (its lag after the posting): IV's
      // external measure is back at 0.
      await stack.clock.advance(emulator.admin.settings().offsetLagMs);
      expect(emulator.admin.counters()).toMatchObject({
        scmRowsImported: 1,
        journals: 1,
        journalsPosted: 1,
        journalsPostError: 1,
      });
      const [cell] = emulator.admin.onHand({ organizationId: 'usmf', productId: 'D0002' });
      expect(cell?.quantities).toEqual({ '@iv': { adjustment: 0 }, fno: { physicalinvent: 0 } });
    },
  );
});
