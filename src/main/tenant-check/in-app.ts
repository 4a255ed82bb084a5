/**
 * The tenant check from Settings › Initialize (RPC `sync.tenantCheck`): the same run as the CLI,
 * on the saved connection and import profile, one at a time, its report written under the data
 * folder. The input schema has already refused a run without the sandbox tick and a test item.
 */
import path from 'node:path';
import type { TenantCheckOptions, TenantCheckResult } from '../../shared/tenant-check';
import type { SettingsService } from '../config/settings-service';
import { AppError, InputError } from '../errors';
import { Redactor } from '../upstream/redaction';
import { defaultReportPath, writeReport } from './report';
import { runTenantCheck } from './run';

export interface TenantCheckDeps {
  settings: SettingsService;
  dataDir: string;
  version: string;
  timeoutMs?: number;
}

let running = false;

export async function tenantCheckInApp(
  deps: TenantCheckDeps,
  input: TenantCheckOptions,
): Promise<TenantCheckResult> {
  if (running) throw new AppError('conflict', 'A tenant check is already running: wait for its report.');
  const conn = deps.settings.connection(deps.timeoutMs);
  if (!conn)
    throw new AppError(
      'not_configured',
      'Fill in and save every connection setting first (Settings › Connection): the tenant check uses them.',
    );
  const settings = deps.settings.read();
  const organization = input.organization ?? settings.defaultOrganizationId;
  if (!organization)
    throw new InputError('The tenant check needs a company', [
      { field: 'organization', message: 'must be filled in (no default organization is set)' },
    ]);
  running = true;
  try {
    const report = await runTenantCheck({
      conn,
      profile: settings.transactions.scmImportProfile,
      options: { ...input, organization },
      version: deps.version,
    });
    const redactor = new Redactor();
    redactor.addSecret(conn.clientSecret);
    const target = defaultReportPath(path.join(deps.dataDir, 'tenant-checks'));
    const written = writeReport(report, target, (t) => redactor.redact(t));
    return { report: written.report, markdownPath: written.markdownPath, jsonPath: written.jsonPath };
  } finally {
    running = false;
  }
}
