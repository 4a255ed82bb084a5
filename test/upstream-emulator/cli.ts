// npx tsx test/upstream-emulator/cli.ts [--port N] [--catalog FILE] [--data-project FILE] [--write-config FILE]
//   [--import-delay-ms N] [--posting-interval-ms N] [--no-posting-job] [--seed N]
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type Catalog,
  CatalogError,
  type DataProject,
  DataProjectError,
  parseCatalog,
  parseDataProject,
  provisioningConfig,
  startEmulator,
} from './index';

const USAGE = [
  'Usage: tsx test/upstream-emulator/cli.ts [--port N] [--catalog FILE] [--data-project FILE] [--write-config FILE]',
  '         [--import-delay-ms N] [--posting-interval-ms N] [--no-posting-job] [--seed N]',
  "  --data-project FILE      the SCM data project (JSON, README.md); default: the contract's shipped default",
  '  --write-config FILE      where to write the provisioning file (it holds the client secret);',
  '                           default: a new folder in the OS temp folder, removed when the emulator stops',
  "  --posting-interval-ms N  how often SCM's posting job runs (default 250)",
  '  --no-posting-job         the posting job runs only when asked: POST {url}/admin/posting/run',
].join('\n');

class UsageError extends Error {}

function integer(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, not '${value}'.`);
  }
  return n;
}

/** A JSON file checked by `parse`; every failure is a T (exit 2 with its message). */
function loadJson<T>(
  file: string,
  what: string,
  parse: (json: unknown) => T,
  Err: new (m: string) => Error,
): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Err(`Cannot read ${what} file '${file}': ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Err(`${what} file '${file}' is not valid JSON: ${(err as Error).message}`);
  }
  try {
    return parse(json);
  } catch (err) {
    throw new Err(`${what} file '${file}': ${(err as Error).message}`);
  }
}

const loadCatalog = (file: string): Catalog => loadJson(file, 'Catalog', parseCatalog, CatalogError);
const loadDataProject = (file: string): DataProject =>
  loadJson(file, 'Data project', parseDataProject, DataProjectError);

/** A value pasted into a POSIX shell as one word. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/** Written under a temporary name and renamed, so a reader never sees half a file. */
function writeConfigAtomically(file: string, content: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, content, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      catalog: { type: 'string' },
      'data-project': { type: 'string' },
      'write-config': { type: 'string' },
      'import-delay-ms': { type: 'string' },
      'posting-interval-ms': { type: 'string' },
      'no-posting-job': { type: 'boolean' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const emulator = await startEmulator({
    port: integer(values.port, 'port', 0, 65535),
    catalog: values.catalog ? loadCatalog(values.catalog) : undefined,
    dataProject: values['data-project'] ? loadDataProject(values['data-project']) : undefined,
    importDelayMs: integer(values['import-delay-ms'], 'import-delay-ms', 0, 3_600_000),
    postingDelayMs: integer(values['posting-interval-ms'], 'posting-interval-ms', 0, 3_600_000),
    postingJobEnabled: !values['no-posting-job'],
    seed: integer(values.seed, 'seed', 0, 2 ** 32 - 1),
  });
  const c = emulator.credentials;
  console.log(`Upstream emulator: ${emulator.url}`);
  console.log(`  Entra authority host:   ${c.authorityHost}`);
  console.log(`  Tenant ID:              ${c.tenantId}`);
  console.log(`  Client ID / secret:     ${c.clientId} / ${c.clientSecret}`);
  console.log(`  IV endpoint:            ${c.ivEndpoint}`);
  console.log(`  IV security service:    ${c.ivSecurityServiceUrl}`);
  console.log(`  SCM environment URL:    ${c.fnoEnvironmentUrl}`);
  console.log(`  Environment ID:         ${c.environmentId}`);
  console.log(`  Activity ID:            ${c.activityId}`);
  const admin = emulator.admin;
  const posting = admin.settings().postingJobEnabled
    ? `every ${admin.settings().postingDelayMs} ms`
    : 'off (runs only when asked)';
  console.log(
    `  Data project:           ${admin.dataProject().projectName} (${admin.dataProject().kind}, ${admin.dataProject().format})`,
  );
  console.log(`  Admin API:              ${emulator.url}/admin/counters`);
  console.log(
    `  Posting job:            ${posting}; run it now: curl -X POST ${emulator.url}/admin/posting/run`,
  );
  // The file holds the client secret, so by default it goes outside the project (where it could be
  // committed) into a fresh owner-only folder of the OS temp folder, removed again on exit.
  const ownFolder = values['write-config'] ? null : mkdtempSync(join(tmpdir(), 'store-ledger-emulator-'));
  const configFile = resolve(values['write-config'] ?? join(ownFolder!, 'provisioning.json'));
  writeConfigAtomically(configFile, `${JSON.stringify(provisioningConfig(emulator), null, 2)}\n`);
  console.log(`  Provisioning file:      ${configFile}`);
  console.log(`  Default organization:   ${emulator.defaultCompany}`);
  console.log('For the next steps, paste this line into your other terminals:');
  console.log(`export EMULATOR=${shellWord(emulator.url)} EMULATOR_CONFIG=${shellWord(configFile)}`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`Upstream emulator: ${signal}, closing.`);
    if (ownFolder) rmSync(ownFolder, { recursive: true, force: true });
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  const badFile = err instanceof CatalogError || err instanceof DataProjectError;
  if (badFile || err instanceof UsageError || isParseArgsError(err)) {
    console.error(`upstream emulator: ${(err as Error).message}`);
    if (!badFile) console.error(USAGE);
    process.exit(2);
  }
  console.error('upstream emulator failed:', err);
  process.exit(1);
});

function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
