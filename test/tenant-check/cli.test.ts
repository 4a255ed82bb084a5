// `npm run tenant-check` end to end: the built CLI (out/main/tenant-check.js, what the script
// runs) against the in-process emulator, its report's answers, that nothing net changed, and its
// refusals. No network beyond loopback.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../bench/harness';
import type { TenantAnswer, TenantCheckReport } from '../../src/shared/tenant-check';
import { ensureBuiltServer } from '../helpers/built-server';
import { tempDir } from '../helpers/layer';
import { type Emulator, provisioningConfig, startEmulator } from '../upstream-emulator';

const CLI = path.join(ROOT, 'out/main/tenant-check.js');
let emu: Emulator;

beforeAll(async () => {
  ensureBuiltServer(CLI);
  emu = await startEmulator({ importDelayMs: 20, postingDelayMs: 3_600_000, offsetLagMs: 5 });
});
afterAll(() => emu.close());
beforeEach(() => emu.admin.reset());

/** Spawned, never spawnSync: the emulator answers from this process's event loop. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: tempDir() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function configFile(content: unknown = provisioningConfig(emu)): string {
  const file = path.join(tempDir(), 'provisioning.json');
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

const PLACE = ['--item', 'D0001', '--site', '1', '--warehouse', '13', '--organization', 'usmf'];

async function check(extra: string[] = []) {
  const report = path.join(tempDir(), 'report.md');
  const result = await run([
    '--config',
    configFile(),
    ...PLACE,
    '--i-confirm-sandbox',
    '--report',
    report,
    ...extra,
  ]);
  const json = JSON.parse(fs.readFileSync(report.replace(/\.md$/, '.json'), 'utf8')) as TenantCheckReport;
  const markdown = fs.readFileSync(report, 'utf8');
  const answers = Object.fromEntries(json.answers.map((a) => [a.key, a])) as Record<
    TenantAnswer['key'],
    TenantAnswer
  >;
  return { ...result, json, markdown, answers };
}

/** IV's on-hand of D0001 in usmf, zeros left out: what "nothing net changed" compares. */
function onHand(): string {
  const rows = emu.admin.onHand({ organizationId: 'usmf', productId: 'D0001' }).map((r) => ({
    dims: r.dimensions,
    q: Object.fromEntries(
      Object.entries(r.quantities).flatMap(([ds, m]) =>
        Object.entries(m)
          .filter(([, v]) => v !== 0)
          .map(([k, v]) => [`${ds}.${k}`, v]),
      ),
    ),
  }));
  return JSON.stringify(rows.filter((r) => Object.keys(r.q).length > 0));
}

function netZero(): void {
  for (const j of emu.admin.journals())
    expect(
      j.lines.reduce((sum, l) => sum + l.InventoryQuantity, 0),
      j.JournalNumber,
    ).toBe(0);
}

describe('npm run tenant-check against the emulator', () => {
  it('answers each question in words with its evidence, changing nothing net (refuse mode)', async () => {
    emu.admin.updateSettings({ maxQueryStringLength: 4096 });
    const before = onHand();
    const r = await check();
    expect(r.code, r.stderr).toBe(0);
    const tag = `tenant-check-${r.json.runId}`;
    expect(r.json.outcome).toBe('ran');

    expect(r.answers.jobStatusUnknownMessage.facts).toMatchObject({
      status: 404,
      namesMessageId: true,
      verifiesActivity: true,
    });
    expect(r.answers.jobStatusUnknownMessage.settles).toMatch(/§5, "jobstatus for a message SCM never saw"/);
    expect(r.answers.ivBulkAnswer.facts).toMatchObject({
      firstShape: '{success: a list of 2 (string), failure: an empty list}',
      first: { accepted: [`${tag}-iv-in`, `${tag}-iv-out`], held: [] },
      onHandBefore: 0,
      onHandAfter: 0,
    });
    expect(r.answers.dataProject.facts).toMatchObject({ state: 'checked' });
    expect(r.answers.package.facts).toMatchObject({
      state: 'Processed',
      journalNumber: 'IVJ-000001',
      referenceReplaced: true,
      headerFoundByDescription: true,
      lineNumbers: { [`${tag}-in`]: 1, [`${tag}-out`]: 2 },
    });
    expect(r.answers.repeatedTransactionId.facts).toMatchObject({
      outcome: 'refused',
      quantities: { [`${tag}-in`]: [1], [`${tag}-out`]: [-1] },
    });
    expect(r.answers.repeatedTransactionId.answer).toMatch(/The record already exists/);
    expect(r.answers.blankFields.facts).toEqual({
      unitCost: 0,
      lineJournalNameId: 'IVAdj',
      headerJournalNameId: 'IVAdj',
    });
    const url = r.answers.urlLimit.facts as {
      longestAccepted: { queryLength: number };
      firstRefused: { queryLength: number; status: number };
    };
    expect(url.longestAccepted.queryLength).toBeLessThanOrEqual(4096);
    expect(url.longestAccepted.queryLength).toBeGreaterThan(3500);
    expect(url.firstRefused).toMatchObject({ status: 404 });
    expect(url.firstRefused.queryLength).toBeGreaterThan(4096);
    expect(r.answers.urlLimit.answer).toMatch(/halved/);
    expect(r.answers.linesDeletedAfterPosting.facts).toMatchObject({ fieldPresent: true, value: 'No' });
    expect(r.answers.posting.asked).toBe(false);

    // Nothing net changed; everything sent is tagged and zero-net; nothing posted.
    await emu.admin.idle();
    expect(onHand()).toBe(before);
    expect(emu.admin.events().map((e) => e.id)).toEqual([`${tag}-iv-in`, `${tag}-iv-out`]);
    netZero();
    for (const j of emu.admin.journals()) {
      expect(j.Description.startsWith(`${tag}-`)).toBe(true);
      expect(j).toMatchObject({ IsPosted: 'No', InventoryServiceJournalExpectedStatus: 'Created' });
    }
    expect(emu.admin.counters().journalsPosted).toBe(0);

    expect(r.stdout).toContain(`Report: `);
    expect(r.markdown).toContain('**Settles:** docs/dynamics-contract.md §5');
    for (const text of [r.markdown, JSON.stringify(r.json), r.stdout, r.stderr]) {
      expect(text).not.toContain(emu.credentials.clientSecret);
      expect(text).not.toMatch(/eyJ[\w-]{4,}\./);
    }
  });

  it('reads an upsert when the emulator updates a repeated transaction ID', async () => {
    emu.admin.updateSettings({ duplicateTransactionId: 'upsert' });
    const before = onHand();
    const r = await check();
    expect(r.code, r.stderr).toBe(0);
    const tag = `tenant-check-${r.json.runId}`;
    expect(r.answers.repeatedTransactionId.facts).toMatchObject({
      outcome: 'upserted',
      quantities: { [`${tag}-in`]: [2], [`${tag}-out`]: [-2] },
      errors: [],
    });
    expect(r.answers.urlLimit.facts).toMatchObject({ firstRefused: null });
    netZero();
    await emu.admin.idle();
    expect(onHand()).toBe(before);
  });

  it('with --post waits for the posting job, sees the lines deleted, and physical on-hand is unchanged', async () => {
    emu.admin.addJournalName({
      organizationId: 'usmf',
      journalNameId: 'IVDel',
      default: true,
      deleteLinesAfterPosting: true,
    });
    emu.admin.updateSettings({ postingJobEnabled: false });
    const before = onHand();
    const running = check(['--post']);
    // The posting job runs only once the repeat has been imported, so that it meets a line SCM holds.
    while (emu.admin.journals().length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    emu.admin.updateSettings({ postingJobEnabled: true, postingDelayMs: 20 });
    const r = await running;
    expect(r.code, r.stderr).toBe(0);
    expect(r.answers.posting.facts).toMatchObject({ posted: true, journalNumber: 'IVJ-000001' });
    expect(r.answers.repeatedTransactionId.facts).toMatchObject({ outcome: 'refused' });
    expect(r.answers.linesDeletedAfterPosting.facts).toMatchObject({
      fieldPresent: true,
      value: 'Yes',
      journalNameId: 'IVDel',
      linesAfterPosting: 'deleted',
    });
    expect(emu.admin.counters().journalsPosted).toBe(1);
    await emu.admin.idle();
    expect(onHand()).toBe(before);
  });
});

describe('npm run tenant-check refuses', () => {
  const nothingSent = () =>
    expect(emu.admin.counters()).toMatchObject({ ivBulkCalls: 0, scmEnqueueCalls: 0 });

  it('without the sandbox confirmation, in words, exit 2', async () => {
    const r = await run(['--config', configFile(), ...PLACE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Refused: .*sandbox, not production.*--i-confirm-sandbox/s);
    nothingSent();
  });

  it('without a test item, exit 2', async () => {
    const r = await run([
      '--config',
      configFile(),
      '--site',
      '1',
      '--warehouse',
      '13',
      '--i-confirm-sandbox',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Refused: name a test item with --item/);
    nothingSent();
  });

  it('a bad argument, a bad provisioning file or a missing warehouse, exit 2', async () => {
    const unknown = await run(['--config', configFile(), ...PLACE, '--i-confirm-sandbox', '--colour', 'red']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Usage: npm run tenant-check');
    const bad = await run([
      '--config',
      configFile({ environmentId: 'e', colour: 'red' }),
      ...PLACE,
      '--i-confirm-sandbox',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a valid provisioning file: .*colour/);
    const incomplete = await run([
      '--config',
      configFile({ environmentId: 'e' }),
      ...PLACE,
      '--i-confirm-sandbox',
    ]);
    expect(incomplete.code).toBe(2);
    expect(incomplete.stderr).toMatch(
      /fill in connection\.tenantId.*transactions\.fnoAdjustmentIntegrationActivityId/,
    );
    const noWarehouse = await run([
      '--config',
      configFile(),
      '--item',
      'D0001',
      '--site',
      '1',
      '--organization',
      'usmf',
      '--i-confirm-sandbox',
    ]);
    expect(noWarehouse.code).toBe(2);
    expect(noWarehouse.stderr).toMatch(/--warehouse must be a warehouse/);
    nothingSent();
  });

  it('exits 1 with a report saying so when the tenant cannot be reached, sending nothing', async () => {
    const config = configFile();
    await emu.stop();
    try {
      const report = path.join(tempDir(), 'down.md');
      const r = await run([
        '--config',
        config,
        ...PLACE,
        '--i-confirm-sandbox',
        '--report',
        report,
        '--wait-minutes',
        '1',
      ]);
      expect(r.code).toBe(1);
      const json = JSON.parse(fs.readFileSync(report.replace(/\.md$/, '.json'), 'utf8')) as TenantCheckReport;
      expect(json).toMatchObject({ outcome: 'unreachable', answers: [], sent: [] });
      expect(json.unreachable).toMatch(/could not be reached.*Nothing was sent/s);
    } finally {
      await emu.start();
    }
    nothingSent();
  });
});
