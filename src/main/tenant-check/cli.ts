/**
 * The tenant check from the command line, for a store's IT on a sandbox:
 *
 *   npm run tenant-check -- --config FILE --item ITEM --site SITE --warehouse WH
 *     [--organization ORG] --i-confirm-sandbox [--post] [--report FILE]
 *
 * Exit 0 when it ran (whatever it found), 2 on a refusal or a bad argument, 1 when the tenant
 * could not be reached.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { version } from '../../../package.json';
import { fieldErrors } from '../../shared/adjustment';
import { provisioningSchema } from '../../shared/settings';
import { SANDBOX_REFUSAL, tenantCheckInputSchema } from '../../shared/tenant-check';
import { Redactor } from '../upstream/redaction';
import { targetFromProvisioning } from './connection';
import { defaultReportPath, summary, writeReport } from './report';
import { runTenantCheck } from './run';

const USAGE = [
  'Usage: npm run tenant-check -- --config FILE --item ITEM --site SITE --warehouse WH',
  '         [--organization ORG] --i-confirm-sandbox [--post] [--report FILE]',
  '         [--data-source DS] [--measure M] [--wait-minutes N]',
  'Run it on a sandbox only: it records a zero-net pair of test lines (+1 and -1) on ITEM in IV and in an',
  'SCM journal that expects Created (Posted with --post), and writes a report of what SCM and IV answered.',
].join('\n');

/** The flag each input field comes from, to name it in a refusal. */
const FLAGS: Record<string, string> = {
  item: '--item',
  site: '--site',
  warehouse: '--warehouse',
  organization: '--organization',
  dataSource: '--data-source',
  measure: '--measure',
  waitMinutes: '--wait-minutes',
};

/** npm runs scripts from the project folder; INIT_CWD is where `npm run tenant-check` was typed. */
const HERE = process.env.INIT_CWD ?? process.cwd();

function refuse(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function readArgs() {
  try {
    return parseArgs({
      options: {
        config: { type: 'string' },
        item: { type: 'string' },
        site: { type: 'string' },
        warehouse: { type: 'string' },
        organization: { type: 'string' },
        'i-confirm-sandbox': { type: 'boolean', default: false },
        post: { type: 'boolean', default: false },
        report: { type: 'string' },
        'data-source': { type: 'string' },
        measure: { type: 'string' },
        'wait-minutes': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    refuse(`Refused: ${(error as Error).message}`);
  }
}

function readConfig(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path.resolve(HERE, file), 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    refuse(`Refused: --config ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

async function main(): Promise<void> {
  const args = readArgs();
  if (args.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!args['i-confirm-sandbox']) refuse(`Refused: ${SANDBOX_REFUSAL} Say so with --i-confirm-sandbox.`);
  if (!args.item?.trim())
    refuse(
      'Refused: name a test item with --item (an item kept for tests): the check records a +1 and a -1 on it.',
    );
  if (!args.config)
    refuse('Refused: name the provisioning file with --config (the file `npm run serve -- --config` takes).');
  const provisioning = provisioningSchema.safeParse(readConfig(args.config));
  if (!provisioning.success)
    refuse(
      `Refused: --config ${args.config} is not a valid provisioning file: ${fieldErrors(provisioning.error)
        .map((e) => `${e.field} ${e.message}`)
        .join('; ')}`,
    );
  const target = targetFromProvisioning(provisioning.data);
  if (!target.conn)
    refuse(
      `Refused: --config ${args.config} does not say how to reach the tenant; fill in ${target.missing.join(', ')}.`,
    );
  const organization = args.organization ?? target.defaultOrganizationId;
  if (!organization)
    refuse(
      'Refused: name the company with --organization (the provisioning file has no defaultOrganizationId).',
    );
  const waitMinutes = args['wait-minutes'] === undefined ? undefined : Number(args['wait-minutes']);
  const input = tenantCheckInputSchema.safeParse({
    item: args.item,
    site: args.site,
    warehouse: args.warehouse,
    organization,
    confirmSandbox: true,
    post: args.post,
    ...(args['data-source'] !== undefined && { dataSource: args['data-source'] }),
    ...(args.measure !== undefined && { measure: args.measure }),
    ...(waitMinutes !== undefined && { waitMinutes }),
  });
  if (!input.success)
    refuse(
      `Refused: ${fieldErrors(input.error)
        .map((e) => `${FLAGS[e.field] ?? e.field} ${e.message}`)
        .join('; ')}`,
    );

  const report = await runTenantCheck({
    conn: target.conn,
    profile: target.profile,
    options: { ...input.data, organization },
    progress: (line) => console.error(`… ${line}`),
    version,
  });
  const redactor = new Redactor();
  redactor.addSecret(target.conn.clientSecret);
  const reportPath = args.report ? path.resolve(HERE, args.report) : defaultReportPath(HERE);
  const written = writeReport(report, reportPath, (t) => redactor.redact(t));
  console.log(summary(written.report));
  console.log(`\nReport: ${written.markdownPath}\nJSON:   ${written.jsonPath}`);
  process.exit(report.outcome === 'unreachable' ? 1 : 0);
}

main().catch((error) => {
  console.error('The tenant check stopped:', error instanceof Error ? error.message : error);
  process.exit(1);
});
