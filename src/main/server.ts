/**
 * Headless Store Ledger: the business layer without Electron. Serves the adjustment API,
 * the RPC table over HTTP and the built UI on one loopback port.
 *
 *   npm run serve -- --data-dir DIR [--port N] [--config FILE]
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { version } from '../../package.json';
import { DEFAULT_PORT, startLocalServer } from './api/local-server';
import { BusinessLayer } from './business-layer';
import { systemClock } from './clock';
import { FileSecretStore, SecretsFileError } from './config/secret-store';
import { AppError } from './errors';
import { LedgerDamagedError, LedgerOpenError, LedgerTooNewError } from './ledger';
import { folderError } from './ledger/open-errors';

/** Who a provisioning file's changes are recorded as. */
const PROVISIONING = {
  kind: 'os-user',
  id: null,
  name: 'provisioning file',
  role: 'administrator',
} as const;

const USAGE = 'Usage: npm run serve -- --data-dir DIR [--port N] [--config FILE]';

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

function readArgs() {
  try {
    const { values } = parseArgs({
      options: {
        'data-dir': { type: 'string', default: '.data' },
        port: { type: 'string', default: String(DEFAULT_PORT) },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      fail(`--port must be a whole number from 0 to 65535\n${USAGE}`);
    return { dataDir: path.resolve(values['data-dir']), port, config: values.config };
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
}

function readConfig(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    fail(
      `--config ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
}

async function main(): Promise<void> {
  const args = readArgs();
  try {
    fs.mkdirSync(args.dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    fail(folderError(args.dataDir, error).message);
  }
  let layer: BusinessLayer;
  try {
    const secrets = new FileSecretStore(path.join(args.dataDir, 'secrets.json'));
    secrets.check();
    layer = BusinessLayer.open({
      dataDir: args.dataDir,
      secrets,
      platform: 'headless',
      version,
      clock: systemClock,
    });
  } catch (error) {
    if (
      error instanceof LedgerTooNewError ||
      error instanceof LedgerDamagedError ||
      error instanceof LedgerOpenError ||
      error instanceof SecretsFileError
    )
      fail(error.message);
    throw error;
  }
  if (args.config) {
    try {
      const outcome = layer.settings.applyProvisioning(readConfig(args.config), {
        apiKeys: (keys) => layer.apiKeys.provision(keys, PROVISIONING),
      });
      console.log(
        outcome === 'applied'
          ? `Provisioning file ${args.config} applied`
          : `Provisioning file ${args.config} unchanged since it was applied: settings changed on the settings page are kept`,
      );
    } catch (error) {
      await layer.close();
      if (error instanceof AppError) fail(`--config ${args.config}: ${error.message}`);
      throw error;
    }
  }

  const rpcToken = randomBytes(24).toString('base64url');
  const server = await startLocalServer(layer, {
    port: args.port,
    rpcToken,
    rendererDir: path.join(__dirname, '../renderer'),
  }).catch(async (error: NodeJS.ErrnoException) => {
    await layer.close();
    if (error.code === 'EADDRINUSE')
      fail(`Port ${args.port} is in use: is Store Ledger already running? Use --port to pick another.`);
    throw error;
  });
  layer.sync.start({ autoInitialize: args.config !== undefined });
  layer.masterData.start();
  // The audit trail is checked in the background: the store works meanwhile, a finding is a warning.
  layer.audit.checkInBackground();

  // The token travels in the fragment: browsers never send it to a server or in a Referer.
  const uiUrl = `${server.baseUrl}/#token=${rpcToken}`;
  const apiUrl = `${server.baseUrl}/api/environment/${layer.settings.read().environmentId ?? '{environmentId}'}/transaction`;
  console.log(`Store Ledger UI: ${uiUrl}`);
  console.log(`Store Ledger API: ${apiUrl}`);
  // Whatever port was picked (--port 0 too), a shell gets both addresses from one pasted line.
  console.log(`For a shell: export STORE_LEDGER_UI='${uiUrl}' STORE_LEDGER_API='${apiUrl}'`);
  console.log(`Ledger: ${layer.info().ledgerPath}`);
  const { backupPath } = layer.ledger.migration;
  if (backupPath) console.log(`Ledger upgraded; the copy taken before the upgrade: ${backupPath}`);
  const keys = layer.apiKeys.list().filter((k) => !k.revokedAt);
  console.log(
    keys.length === 0
      ? 'API keys: none yet. An administrator creates one per store system under Settings → API keys.'
      : `API keys: ${keys.map((k) => `'${k.name}'`).join(', ')} (Settings → API keys)`,
  );
  const mode = layer.people.mode();
  if (mode === 'unset')
    console.log('Sign-in: not set up yet. The first screen asks for the first manager, or single clerk.');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests in flight and closing the ledger`);
    await server.close();
    await layer.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error('Store Ledger could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
