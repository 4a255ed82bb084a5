/**
 * The diagnostics bundle for store IT: one zip (fflate) with what is needed to understand a
 * store's ledger without opening it, and nothing that opens anything: the client secret, the
 * API key and every token are blanked (by value and by shape), upstream URLs keep their host only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { BusinessLayer } from '../business-layer';
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

export function buildDiagnostics(layer: BusinessLayer, now = new Date()): Record<string, unknown> {
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
    'integrity-check.json': { problems: ledger.diagnostics.integrityCheck() },
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

/** Writes the bundle into `<data dir>/diagnostics/` and answers it. */
export function writeDiagnosticsBundle(layer: BusinessLayer, now = new Date()): DiagnosticsBundle {
  const redactor = new Redactor();
  const secret = layer.settings.connection()?.clientSecret;
  if (secret) redactor.addSecret(secret);
  redactor.addSecret(layer.apiKeys.current());
  const files: Record<string, Uint8Array> = {};
  for (const [name, value] of Object.entries(buildDiagnostics(layer, now)))
    files[name] = strToU8(redactor.redact(JSON.stringify(value, null, 2)));
  files['log-tail.txt'] = strToU8(redactor.redact(logTail(layer.options.dataDir)));
  const zip = zipSync(files, { level: 6, mtime: now });
  const dir = path.join(layer.options.dataDir, 'diagnostics');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fileName = `store-ledger-diagnostics-${now.toISOString().replace(/[:.]/g, '-')}.zip`;
  const file = path.join(dir, fileName);
  fs.writeFileSync(file, zip, { mode: 0o600 });
  return { fileName, path: file, bytes: zip.length, zip };
}
