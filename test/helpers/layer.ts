import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type LocalServer, startLocalServer } from '../../src/main/api/local-server';
import { BusinessLayer } from '../../src/main/business-layer';
import { type Clock, systemClock } from '../../src/main/clock';
import { FileSecretStore } from '../../src/main/config/secret-store';
import type { SyncTiming } from '../../src/main/sync/timing';
import { type SignedIn, signedIn } from './people';

export const ENV_ID = 'store-env-1';
export const API_KEY = 'test-api-key-0123456789';

export function tempDir(prefix = 'store-ledger-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function openLayer(
  dataDir = tempDir(),
  options: { syncTiming?: Partial<SyncTiming>; clock?: Clock } = {},
): BusinessLayer {
  return BusinessLayer.open({
    ...options,
    clock: options.clock ?? systemClock,
    dataDir,
    secrets: new FileSecretStore(path.join(dataDir, 'secrets.json')),
    platform: 'headless',
    version: 'test',
    apiKeyOverride: API_KEY,
    upstreamTimeoutMs: 2000,
    log: () => {},
  });
}

export interface ApiFixture {
  layer: BusinessLayer;
  server: LocalServer;
  /** With an RPC token: the administrator signed in on the browser shell (helpers/people.ts). */
  admin: SignedIn | null;
  /** The headers the browser shell sends with an RPC: the run's token and the person's session. */
  rpcHeaders: Record<string, string>;
  /** `${base}/api/environment/${ENV_ID}/transaction` */
  api: string;
  close(): Promise<void>;
}

/**
 * A business layer with an environment ID and its API on a free loopback port. With an RPC
 * token, an administrator is signed in on the browser shell (the first start's person).
 */
export async function startApi(options: { rpcToken?: string } = {}): Promise<ApiFixture> {
  const layer = openLayer();
  layer.settings.update({ environmentId: ENV_ID });
  const server = await startLocalServer(layer, { port: 0, log: () => {}, ...options });
  const admin = options.rpcToken ? await signedIn(layer) : null;
  return {
    layer,
    server,
    admin,
    rpcHeaders: {
      ...(options.rpcToken && { 'x-store-ledger-token': options.rpcToken }),
      ...(admin && { 'x-store-ledger-session': admin.session }),
    },
    api: `${server.baseUrl}/api/environment/${ENV_ID}/transaction`,
    close: async () => {
      await server.close();
      await layer.close();
    },
  };
}

export function seedLine(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'seed-1',
    organizationId: 'usmf',
    productId: 'D0001',
    quantityDataSource: '@iv',
    physicalMeasure: 'adjustment',
    quantity: 5,
    dimensions: { siteId: '1', locationId: '13', colorId: 'red', sizeId: 'S', styleId: 'women' },
    ...overrides,
  };
}

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${API_KEY}` } });
  return { status: res.status, body: await res.json() };
}
