/**
 * The diagnostics bundle for store IT: one zip (fflate) with what is needed to understand a
 * store's ledger without opening it, and nothing that opens anything: the client secret, the
 * API key and every token are blanked (by value and by shape), upstream URLs keep their host only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AsyncZippable, strToU8, zip } from 'fflate';
import type { IntegrityReport } from '../../shared/ledger-health';
import type { AppInfo } from '../../shared/rpc';
import type { Settings } from '../../shared/settings';
import type { Ledger } from '../ledger';
import { runIntegrityCheck } from '../ledger/integrity';
import { Redactor } from '../upstream/redaction';

const LOG_TAIL_BYTES = 256 * 1024;
const ATTEMPTS = 200;
const RUNS = 50;

export interface DiagnosticsBundle {
  fileName: string;
  path: string;
  bytes: number;
  zip: Uint8Array;
}

/** `https://host:port/any/path?q` → `https://host:port`: tenant IDs and paths stay out. */
export function hostOnly(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return '(not a URL)';
  }
}

/** A GUID-like identifier shown by its last 4 characters, enough to tell two stores apart. */
const masked = (id: string | null | undefined) => (id ? `…${id.slice(-4)}` : null);

/** Bundles kept in `<data dir>/diagnostics/` when none is configured: one per click used to pile up. */
export const DEFAULT_BUNDLES_KEPT = 10;

/**
 * What the bundle reads, and nothing else: the business layer passes itself, but the bundle
 * sees only these reads, so it can neither write nor call upstream, and no cycle runs back
 * from diagnostics to the layer that wires everything.
 */
export interface DiagnosticsSources {
  readonly ledger: Pick<Ledger, 'diagnostics' | 'mappings' | 'drafts'>;
  readonly settings: {
    read(): Settings;
    view(): { hasClientSecret: boolean };
    connection(): { clientSecret: string } | null;
  };
  /** Keys known in plain text (STORE_LEDGER_API_KEY): blanked wherever they appear. */
  readonly apiKeys: { plainKeys(): string[] };
  readonly sync: { runs(limit: number): unknown; status(): unknown };
  readonly masterData: { status(): unknown };
  readonly options: { readonly dataDir: string; readonly nativeBinding?: string };
  info(): AppInfo;
}

export function buildDiagnostics(
  layer: DiagnosticsSources,
  integrity: IntegrityReport,
  now = new Date(),
): Record<string, unknown> {
  const settings = layer.settings.read();
  const info = layer.info();
  const { ledger } = layer;
  const c = settings.connection;
  return {
    'about.json': {
      generatedAt: now.toISOString(),
      app: { version: info.version, platform: info.platform },
      runtime: {
        node: process.versions.node,
        electron: process.versions.electron ?? null,
        v8: process.versions.v8,
      },
      os: { type: os.type(), release: os.release(), arch: os.arch(), platform: os.platform() },
      ledger: { schemaVersion: ledger.diagnostics.schemaVersion() },
    },
    'settings.json': {
      environmentId: settings.environmentId,
      enableFeature: settings.enableFeature,
      isFeatureInitialized: settings.isFeatureInitialized,
      defaultOrganizationId: settings.defaultOrganizationId,
      connection: {
        authorityHost: hostOnly(c.authorityHost),
        tenantId: masked(c.tenantId),
        clientId: masked(c.clientId),
        clientSecretSet: layer.settings.view().hasClientSecret,
        ivEndpoint: hostOnly(c.ivEndpoint),
        ivSecurityServiceUrl: hostOnly(c.ivSecurityServiceUrl),
        fnoEnvironmentUrl: hostOnly(c.fnoEnvironmentUrl),
      },
      // The import profile names entities and columns only: nothing secret in it.
      transactions: settings.transactions,
      mappings: ledger.mappings.list(),
    },
    'counts.json': ledger.diagnostics.statusCounts(),
    'sync-runs.json': layer.sync.runs(RUNS),
    'sync-attempts.json': ledger.diagnostics.recentAttempts(ATTEMPTS),
    'sync-status.json': layer.sync.status(),
    'integrity-check.json': integrity,
    'master-data.json': layer.masterData.status(),
    'drafts.json': ledger.drafts.list(),
  };
}

function logTail(dataDir: string): string {
  const file = path.join(dataDir, 'logs', 'main.log');
  try {
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r');
    try {
      const length = Math.min(size, LOG_TAIL_BYTES);
      const buffer = Buffer.alloc(length);
      fs.readSync(fd, buffer, 0, length, size - length);
      return buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return 'No log file: headless, Store Ledger writes its log to the terminal that started it.\n';
  }
}

/**
 * Writes the bundle into `<data dir>/diagnostics/` and answers it, without holding the event
 * loop: the integrity check runs in a worker on its own read-only connection (a quick check by
 * default, the full one on request: seconds on a large ledger), and the zip is compressed off
 * the loop (fflate's asynchronous zip). Only the last `kept` bundles stay in the folder.
 */
export async function writeDiagnosticsBundle(
  layer: DiagnosticsSources,
  options: { full?: boolean; kept?: number; now?: Date } = {},
): Promise<DiagnosticsBundle> {
  const now = options.now ?? new Date();
  const info = layer.info();
  const integrity = await runIntegrityCheck(info.ledgerPath, layer.options.nativeBinding, {
    full: options.full ?? false,
  });
  const redactor = new Redactor();
  const secret = layer.settings.connection()?.clientSecret;
  if (secret) redactor.addSecret(secret);
  for (const key of layer.apiKeys.plainKeys()) redactor.addSecret(key);
  const files: AsyncZippable = {};
  for (const [name, value] of Object.entries(
    buildDiagnostics(layer, { ...integrity, full: options.full ?? false } as IntegrityReport, now),
  ))
    files[name] = strToU8(redactor.redact(JSON.stringify(value, null, 2)));
  files['log-tail.txt'] = strToU8(redactor.redact(logTail(layer.options.dataDir)));
  const bytes = await new Promise<Uint8Array>((resolve, reject) =>
    zip(files, { level: 6, mtime: now }, (error, data) => (error ? reject(error) : resolve(data))),
  );
  const dir = path.join(layer.options.dataDir, 'diagnostics');
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  const fileName = `store-ledger-diagnostics-${now.toISOString().replace(/[:.]/g, '-')}.zip`;
  const file = path.join(dir, fileName);
  await fs.promises.writeFile(file, bytes, { mode: 0o600 });
  await pruneBundles(dir, options.kept ?? DEFAULT_BUNDLES_KEPT);
  return { fileName, path: file, bytes: bytes.length, zip: bytes };
}

/** Removes all but the newest `kept` bundles (their names sort by time). */
async function pruneBundles(dir: string, kept: number): Promise<void> {
  const bundles = (await fs.promises.readdir(dir))
    .filter((f) => /^store-ledger-diagnostics-.*\.zip$/.test(f))
    .sort();
  for (const old of bundles.slice(0, Math.max(0, bundles.length - kept)))
    await fs.promises.rm(path.join(dir, old), { force: true });
}
