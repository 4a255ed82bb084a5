// The RPC behind Settings › Initialize › "Check this tenant…": never without the sandbox tick and
// a test item; otherwise the same check as the CLI, on the saved settings, its report written
// under the data folder.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import type { TenantCheckResult } from '../../src/shared/tenant-check';
import { openLayer } from '../helpers/layer';
import { asAdmin, call } from '../helpers/people';
import { type Emulator, provisioningConfig, startEmulator } from '../upstream-emulator';

let emu: Emulator;
let layer: BusinessLayer;

beforeAll(async () => {
  emu = await startEmulator({ importDelayMs: 20, postingDelayMs: 3_600_000 });
});
afterAll(() => emu.close());
afterEach(async () => {
  await layer?.close();
  emu.admin.reset();
});

const PLACE = { item: 'D0001', site: '1', warehouse: '13', organization: 'usmf' };
const check = async (input: unknown) => call(layer, await asAdmin(layer), 'sync.tenantCheck', input);

describe('sync.tenantCheck', () => {
  it('refuses without the sandbox tick, in words, and sends nothing', async () => {
    layer = openLayer();
    layer.settings.applyProvisioning(provisioningConfig(emu));
    for (const input of [PLACE, { ...PLACE, confirmSandbox: false }]) {
      const reply = await check(input);
      expect(reply.ok).toBe(false);
      if (reply.ok) return;
      expect(reply.error.code).toBe('invalid_input');
      expect(reply.error.errors?.[0]?.field).toBe('confirmSandbox');
      expect(reply.error.message).toMatch(/sandbox, not production/);
    }
    expect(emu.admin.counters()).toMatchObject({ ivBulkCalls: 0, scmEnqueueCalls: 0, scmODataCalls: 0 });
  });

  it('refuses without a test item, a site or a warehouse', async () => {
    layer = openLayer();
    layer.settings.applyProvisioning(provisioningConfig(emu));
    const reply = await check({ confirmSandbox: true, item: ' ', site: '1' });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.errors?.map((e) => e.field).sort()).toEqual(['item', 'warehouse']);
    expect(emu.admin.counters()).toMatchObject({ ivBulkCalls: 0, scmEnqueueCalls: 0 });
  });

  it('says to fill in the connection first when it is not saved', async () => {
    layer = openLayer();
    const reply = await check({ ...PLACE, confirmSandbox: true });
    expect(reply).toMatchObject({ ok: false, error: { code: 'not_configured' } });
  });

  it('runs the check on the saved settings and writes its report under the data folder', async () => {
    layer = openLayer();
    layer.settings.applyProvisioning(provisioningConfig(emu));
    const reply = await check({ ...PLACE, confirmSandbox: true });
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    const { report, markdownPath, jsonPath } = reply.value as TenantCheckResult;
    expect(report.outcome).toBe('ran');
    expect(report.answers.map((a) => a.key)).toEqual([
      'jobStatusUnknownMessage',
      'ivBulkAnswer',
      'dataProject',
      'package',
      'repeatedTransactionId',
      'blankFields',
      'urlLimit',
      'linesDeletedAfterPosting',
      'posting',
    ]);
    expect(report.answers.find((a) => a.key === 'repeatedTransactionId')?.facts).toMatchObject({
      outcome: 'refused',
    });
    expect(path.dirname(markdownPath)).toBe(path.join(layer.info().dataDir, 'tenant-checks'));
    expect(fs.readFileSync(markdownPath, 'utf8')).toContain(`tenant-check-${report.runId}`);
    expect(fs.readFileSync(jsonPath, 'utf8')).not.toContain(emu.credentials.clientSecret);
  });

  it('reads back anyway when jobstatus carries no state, and says an unverified activity in words', async () => {
    emu.admin.updateSettings({ jobStatusShape: 'noState', unknownMessageAnswer: 'genericNotFound' });
    layer = openLayer();
    layer.settings.applyProvisioning(provisioningConfig(emu));
    const reply = await check({ ...PLACE, confirmSandbox: true });
    if (!reply.ok) throw new Error(reply.error.message);
    const answers = Object.fromEntries(
      (reply.value as TenantCheckResult).report.answers.map((a) => [a.key, a]),
    );
    expect(answers.jobStatusUnknownMessage?.facts).toMatchObject({ status: 404, verifiesActivity: false });
    expect(answers.jobStatusUnknownMessage?.answer).toMatch(/passes the activity with a warning/);
    expect(answers.package?.facts).toMatchObject({ state: null, journalNumber: 'IVJ-000001' });
    expect(answers.package?.answer).toMatch(/carried no known state after .* read back instead/);
    expect(answers.repeatedTransactionId?.facts).toMatchObject({ outcome: 'refused' });
  });
});
