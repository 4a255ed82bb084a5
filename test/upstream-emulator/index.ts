// Upstream emulator for Store Ledger: Entra, Inventory Visibility and SCM over loopback HTTP.
// Contract: docs/dynamics-contract.md, which names the public source of each point.
import type { RequestListener } from 'node:http';
import { createAdmin } from './admin';
import { demoCatalog, parseCatalog } from './catalog';
import { DEFAULT_DATA_PROJECT, parseDataProject } from './data-project';
import { createRequestHandler, Listener } from './server';
import { EmulatorState } from './state';
import type { Emulator, EmulatorClock, EmulatorCredentials, EmulatorOptions, OffsetPair } from './types';

export { IV_ENTRA_SCOPE, IV_EXCHANGE_SCOPE } from './auth';
export { CatalogError, demoCatalog, parseCatalog } from './catalog';
export { parseCsv, toCsv } from './csv';
export {
  DataProjectError,
  DEFAULT_DATA_PROJECT,
  HEADER_ENTITY_FIELDS,
  LINE_ENTITY_FIELDS,
  parseDataProject,
} from './data-project';
export { IV_BULK_LIMIT } from './iv';
export type * from './types';

export const EMULATOR_TENANT_ID = '00000000-0000-4000-8000-0000000000a1';
export const EMULATOR_ENVIRONMENT_ID = '00000000-0000-4000-8000-0000000000e1';
export const EMULATOR_ACTIVITY_ID = '00000000-0000-4000-8000-0000000000ac';
export const EMULATOR_CLIENT_ID = 'store-ledger-emulator';
export const EMULATOR_CLIENT_SECRET = 'emulator-secret';

function credentialsFor(url: string): EmulatorCredentials {
  return {
    authorityHost: `${url}/entra`,
    tenantId: EMULATOR_TENANT_ID,
    clientId: EMULATOR_CLIENT_ID,
    clientSecret: EMULATOR_CLIENT_SECRET,
    ivEndpoint: `${url}/iv`,
    ivSecurityServiceUrl: `${url}/ivsec`,
    fnoEnvironmentUrl: `${url}/scm`,
    environmentId: EMULATOR_ENVIRONMENT_ID,
    activityId: EMULATOR_ACTIVITY_ID,
  };
}

/**
 * Pairs on SCM's offset tab by default: what the sync tests post
 * (https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-adjustment-offset).
 */
export const DEFAULT_OFFSET_PAIRS: OffsetPair[] = [
  { dataSource: '@iv', measure: 'adjustment' },
  { dataSource: 'pos', measure: 'adjustment' },
];

/** The computer's clock, its timers unref'd (the emulator never holds a test process open). */
const systemClock: EmulatorClock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const catalog = parseCatalog(options.catalog ?? demoCatalog);
  const dataProject = parseDataProject(options.dataProject ?? DEFAULT_DATA_PROJECT);
  // The state needs the URL (token scopes, nextLinks), which exists only once listening.
  let handler: RequestListener = (_req, res) => {
    res.writeHead(503).end();
  };
  const listener = new Listener((req, res) => handler(req, res));
  const port = await listener.listen(options.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  const credentials = credentialsFor(url);
  const state = new EmulatorState({
    url,
    credentials,
    catalog,
    dataProject,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
    seed: options.seed ?? 1,
    clock: options.clock ?? systemClock,
    settings: {
      importDelayMs: options.importDelayMs ?? 150,
      postingDelayMs: options.postingDelayMs ?? 250,
      postingJobEnabled: options.postingJobEnabled ?? true,
      ivTokenRedirect: options.ivTokenRedirect ?? false,
      jobStateAsNumber: false,
      jobStatusShape: 'ris',
      unknownMessageAnswer: 'namedNotFound',
      executionErrorsShape: 'records',
      duplicateTransactionId: 'refuse',
      journalNamesEntitySet: null,
      maxQueryStringLength: null,
      dataManagementReadable: true,
      odataPageSize: 10_000,
      latencyMs: 0,
      ivAnswerShape: 'successFailure',
      dimensionDataSources: options.dimensionDataSources ?? ['pos'],
      offsetPairs: options.offsetPairs ?? DEFAULT_OFFSET_PAIRS,
      offsetLagMs: options.offsetLagMs ?? 10,
    },
  });
  const admin = createAdmin(state);
  handler = createRequestHandler(state, admin);

  return {
    url,
    port,
    credentials,
    defaultCompany: state.defaultCompany(),
    admin,
    stop: () => listener.close(),
    start: async () => {
      await listener.listen(port);
    },
    close: async () => {
      await listener.close();
      state.scm.cancel();
    },
  };
}

/**
 * The provisioning file the app imports to point at this emulator (no "mappings": the app keeps
 * its own). It carries the data project's shape as the app's import profile, as store IT would
 * after loading the project's exported package, and the catalog's first company as the store's
 * default organization, which Count, drafts and imports fill in when a line names none.
 */
export function provisioningConfig(e: Emulator): object {
  const c = e.credentials;
  const { defaultExpectedStatus: _status, ...profile } = e.admin.dataProject();
  return {
    environmentId: c.environmentId,
    enableFeature: true,
    defaultOrganizationId: e.defaultCompany,
    connection: {
      authorityHost: c.authorityHost,
      tenantId: c.tenantId,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      ivEndpoint: c.ivEndpoint,
      ivSecurityServiceUrl: c.ivSecurityServiceUrl,
      fnoEnvironmentUrl: c.fnoEnvironmentUrl,
    },
    transactions: {
      fnoAdjustmentIntegrationActivityId: c.activityId,
      fnoSyncMaxLineCount: 10000,
      periodicSyncToIV: true,
      ivSyncFrequencyMinutes: 1,
      periodicSyncToFno: true,
      fnoSyncFrequencyMinutes: 2,
      scmImportProfile: profile,
    },
  };
}
