import { z } from 'zod';
import { DEFAULT_IMPORT_PROFILE, importProfileSchema } from './import-profile';
import { type Mapping, mappingSchema } from './mappings';
import { patchOf } from './patch';
import { hasControlChars } from './text';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * An upstream base URL. https is required, except on loopback (the emulator, a local proxy):
 * plain http would send the client secret and tokens in clear.
 */
export const upstreamUrl = z
  .string({ error: 'must be a URL string' })
  .trim()
  .max(512, { error: 'must be at most 512 characters' })
  .refine(
    (s) => {
      try {
        const url = new URL(s);
        if (url.username || url.password || url.search || url.hash) return false;
        return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
      } catch {
        return false;
      }
    },
    { error: 'must be an https:// URL without credentials, query or fragment (http:// only on loopback)' },
  )
  .transform((s) => s.replace(/\/+$/, ''));

const guid = z
  .string({ error: 'must be a GUID string' })
  .trim()
  .regex(GUID, { error: 'must be a GUID like 0cdb527f-a8d1-4bf8-9436-b352c68682b2' });

export const environmentIdSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be blank' })
  .max(64, { error: 'must be at most 64 characters' })
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'must use only letters, digits, - and _' });

const tenantId = z
  .string({ error: 'must be a string' })
  .trim()
  .max(253, { error: 'must be at most 253 characters' })
  .regex(/^[A-Za-z0-9.-]+$/, { error: 'must be a tenant GUID or domain name' });

const plainText = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .trim()
    .max(max, { error: `must be at most ${max} characters` })
    .refine((s) => !hasControlChars(s), { error: 'must not contain control characters' });

export const clientSecretSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be blank' })
  .max(1024, { error: 'must be at most 1024 characters' });

const minutes = z
  .number({ error: 'must be a whole number of minutes' })
  .int({ error: 'must be a whole number of minutes' })
  .min(1, { error: 'must be at least 1 minute' })
  .max(1440, { error: 'must be at most 1440 minutes (a day)' });

export const connectionSettingsSchema = z.strictObject({
  authorityHost: upstreamUrl.default('https://login.microsoftonline.com'),
  tenantId: tenantId.nullable().default(null),
  clientId: plainText(128).nullable().default(null),
  ivEndpoint: upstreamUrl.nullable().default(null),
  ivSecurityServiceUrl: upstreamUrl.default('https://securityservice.operations365.dynamics.com'),
  fnoEnvironmentUrl: upstreamUrl.nullable().default(null),
});

const timeOfDay = z
  .string({ error: 'must be a time of day like 22:00' })
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time of day from 00:00 to 23:59, like 22:00' });

/**
 * The GA article's *Job settings* start and end time for the periodic SCM job: SCM traffic kept
 * to a part of the day. *Sync now* ignores it.
 */
export const syncWindowSchema = z
  .strictObject({ start: timeOfDay, end: timeOfDay })
  .refine((w) => w.end > w.start, { error: 'must end after it starts, on the same day', path: ['end'] });
export type SyncWindow = z.output<typeof syncWindowSchema>;

export const transactionSettingsSchema = z.strictObject({
  fnoAdjustmentIntegrationActivityId: guid.nullable().default(null),
  fnoSyncMaxLineCount: z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(100000, { error: 'must be at most 100000' })
    .default(10000),
  periodicSyncToIV: z.boolean({ error: 'must be true or false' }).default(true),
  ivSyncFrequencyMinutes: minutes.default(1),
  periodicSyncToFno: z.boolean({ error: 'must be true or false' }).default(true),
  fnoSyncFrequencyMinutes: minutes.default(2),
  /** GA article: journals per data package sent to SCM. */
  fnoSyncMaxJournalCountInPackage: z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(100, { error: 'must be at most 100' })
    .default(1),
  fnoSyncWindow: syncWindowSchema.nullable().default(null),
  /** A journal meant to post that SCM's posting job has not posted this long after creation shows FnOPostError. */
  postingOverdueHours: z
    .number({ error: 'must be a whole number of hours' })
    .int({ error: 'must be a whole number of hours' })
    .min(1, { error: 'must be at least 1 hour' })
    .max(720, { error: 'must be at most 720 hours (30 days)' })
    .default(24),
  /**
   * A data package still queued in SCM this long after it was sent is shown on Sync status and in
   * the header: SCM's recurring data job is not processing it (disabled, or its batch stopped),
   * and SCM deletes a queued file after seven days
   * (https://learn.microsoft.com/dynamics365/fin-ops-core/dev-itpro/data-entities/recurring-integrations).
   */
  packageQueuedAlertHours: z
    .number({ error: 'must be a whole number of hours' })
    .int({ error: 'must be a whole number of hours' })
    .min(1, { error: 'must be at least 1 hour' })
    .max(168, { error: 'must be at most 168 hours (7 days)' })
    .default(6),
  /** IV `dimensionDataSource` for external dimensions; without it they stay in the ledger. */
  ivDimensionDataSource: plainText(64)
    .refine((s) => s === '' || s.toLowerCase() !== 'fno', {
      error: 'must not be fno (IV refuses writes to it)',
    })
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .default(null),
  scmImportProfile: importProfileSchema.default(DEFAULT_IMPORT_PROFILE),
  /**
   * Data packages to SCM in flight at once. One by default: parallel DMF imports into one entity
   * are reported to deadlock or fail with "record already exists"; IV keeps its own lanes.
   */
  scmPackagesInFlight: z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(16, { error: 'must be at most 16' })
    .default(1),
  /**
   * The OData entity set of inventory journal names, for checking journal names at entry. No such
   * entity is in a live F&O's public $metadata, so by default journal names are not checked; a
   * tenant with one (a custom entity) names it here.
   */
  journalNamesEntitySet: plainText(128)
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .default(null),
  /** Bounded concurrency of IV calls during a catch-up. */
  upstreamCallsInFlight: z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(16, { error: 'must be at most 16' })
    .default(4),
});

/** How the store's entry screens and imports judge a line before it is stored (ingest/review.ts). */
export const entrySettingsSchema = z.strictObject({
  /**
   * A quantity at or beyond this (either sign) is asked about before it posts from Create,
   * Scan, a count or a draft, and cautioned in the bulk API's answer.
   */
  largeQuantityThreshold: z
    .number({ error: 'must be a number' })
    .min(1, { error: 'must be at least 1' })
    .max(1_000_000_000, { error: 'must be at most 1000000000' })
    .default(100),
  /** Every line names one of the store's reason codes (shared/reasons.ts). */
  reasonRequired: z.boolean({ error: 'must be true or false' }).default(false),
});

/**
 * When a clerk's line waits for a manager (ingest/approval-rule.ts): at or beyond a number of
 * units, or a value at the line's cost price when it has one. null: no such threshold.
 */
export const approvalSettingsSchema = z.strictObject({
  unitsThreshold: z
    .number({ error: 'must be a number' })
    .min(1, { error: 'must be at least 1' })
    .max(1_000_000_000, { error: 'must be at most 1000000000' })
    .nullable()
    .default(null),
  valueThreshold: z
    .number({ error: 'must be a number' })
    .min(1, { error: 'must be at least 1' })
    .max(1_000_000_000_000, { error: 'must be at most 1000000000000' })
    .nullable()
    .default(null),
  /** Lines from store systems (API keys) wait too. Off by default: a till cannot wait for a manager. */
  holdStoreSystems: z.boolean({ error: 'must be true or false' }).default(false),
});

/** How a window signs its person out by itself (people mode). */
export const signInSettingsSchema = z.strictObject({
  /** Minutes without a key press or a click before the window locks (and the next person signs in). */
  autoLockMinutes: z
    .number({ error: 'must be a whole number of minutes' })
    .int({ error: 'must be a whole number of minutes' })
    .min(1, { error: 'must be at least 1 minute' })
    .max(480, { error: 'must be at most 480 minutes (8 hours)' })
    .default(5),
});

const bundlesKept = z
  .number({ error: 'must be a whole number' })
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be at least 1' })
  .max(100, { error: 'must be at most 100' });

/** Everything of the feature page but the secret, which never lives in the ledger. */
export const settingsSchema = z.strictObject({
  environmentId: environmentIdSchema.nullable().default(null),
  enableFeature: z.boolean({ error: 'must be true or false' }).default(true),
  isFeatureInitialized: z.boolean().default(false),
  /** Organization suggested on the entry form of a fresh ledger. */
  defaultOrganizationId: plainText(64).nullable().default(null),
  connection: connectionSettingsSchema.prefault({}),
  transactions: transactionSettingsSchema.prefault({}),
  entry: entrySettingsSchema.prefault({}),
  approvals: approvalSettingsSchema.prefault({}),
  signIn: signInSettingsSchema.prefault({}),
  /** Diagnostics bundles kept in the data folder; older ones are removed as new ones are made. */
  diagnosticsBundlesKept: bundlesKept.default(10),
});
export type Settings = z.output<typeof settingsSchema>;
export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

/** A change from the settings page or RPC: any subset; the secret is write-only. */
export const settingsPatchSchema = z.strictObject({
  environmentId: environmentIdSchema.nullable().optional(),
  enableFeature: z.boolean({ error: 'must be true or false' }).optional(),
  defaultOrganizationId: plainText(64).nullable().optional(),
  connection: z
    .strictObject({
      authorityHost: upstreamUrl.optional(),
      tenantId: tenantId.nullable().optional(),
      clientId: plainText(128).nullable().optional(),
      clientSecret: clientSecretSchema.nullable().optional(),
      ivEndpoint: upstreamUrl.nullable().optional(),
      ivSecurityServiceUrl: upstreamUrl.optional(),
      fnoEnvironmentUrl: upstreamUrl.nullable().optional(),
    })
    .optional(),
  transactions: patchOf(transactionSettingsSchema).optional(),
  entry: patchOf(entrySettingsSchema).optional(),
  approvals: patchOf(approvalSettingsSchema).optional(),
  signIn: patchOf(signInSettingsSchema).optional(),
  diagnosticsBundlesKept: bundlesKept.optional(),
});
export type SettingsPatch = z.output<typeof settingsPatchSchema>;

/** What the UI sees: the settings, and whether a secret is stored (never the secret). */
export interface SettingsView extends Settings {
  hasClientSecret: boolean;
}

/**
 * The provisioning file of `npm run serve -- --config FILE` (docs/operations.md): how store IT sets up
 * many stores alike. Every key but environmentId may be left out.
 */
export const provisioningSchema = z.strictObject({
  environmentId: environmentIdSchema,
  enableFeature: z.boolean({ error: 'must be true or false' }).optional(),
  defaultOrganizationId: plainText(64).nullable().optional(),
  connection: z
    .strictObject({
      authorityHost: upstreamUrl.optional(),
      tenantId: tenantId.optional(),
      clientId: plainText(128).optional(),
      clientSecret: clientSecretSchema.optional(),
      ivEndpoint: upstreamUrl.optional(),
      ivSecurityServiceUrl: upstreamUrl.optional(),
      fnoEnvironmentUrl: upstreamUrl.optional(),
    })
    .optional(),
  transactions: patchOf(transactionSettingsSchema).optional(),
  entry: patchOf(entrySettingsSchema).optional(),
  approvals: patchOf(approvalSettingsSchema).optional(),
  signIn: patchOf(signInSettingsSchema).optional(),
  diagnosticsBundlesKept: bundlesKept.optional(),
  mappings: z.array(mappingSchema).optional(),
  /**
   * Keys for the store's systems, each named, with a role (clerk unless said): hashed when the
   * file is applied, never stored as written. A key already revoked stays revoked.
   */
  apiKeys: z
    .array(
      z.strictObject({
        name: plainText(80).min(1, { error: 'must not be blank' }),
        role: z
          .enum(['clerk', 'manager', 'administrator'], { error: 'must be clerk, manager or administrator' })
          .default('clerk'),
        key: z
          .string({ error: 'must be a string' })
          .min(32, { error: 'must be at least 32 characters (a random key, e.g. openssl rand -base64 32)' })
          .max(256, { error: 'must be at most 256 characters' })
          .refine((s) => !hasControlChars(s) && !/\s/.test(s), {
            error: 'must not contain spaces or control characters',
          }),
      }),
    )
    .max(100, { error: 'must list at most 100 keys' })
    .optional(),
});
export type Provisioning = z.output<typeof provisioningSchema>;

export type { Mapping };

/**
 * The settings only an administrator changes: where and as whom Store Ledger connects (a change
 * clears *Is feature initialized*) and the contract with SCM's data project. Paths in the patch.
 */
const ADMINISTRATOR_SETTINGS: readonly (readonly string[])[] = [
  ['environmentId'],
  ['connection'],
  ['transactions', 'fnoAdjustmentIntegrationActivityId'],
  ['transactions', 'scmImportProfile'],
];

/** Whether the setting at this path (as the patch names it) needs an administrator. */
export function needsAdministrator(path: readonly string[]): boolean {
  return ADMINISTRATOR_SETTINGS.some((p) => p.every((part, i) => path[i] === part));
}

/** The administrator-only settings a patch touches, as dotted paths. */
export function administratorSettingsIn(patch: SettingsPatch): string[] {
  const found: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, v] of Object.entries(value))
        if (v !== undefined && needsAdministrator([key, inner])) found.push(`${key}.${inner}`);
    } else if (needsAdministrator([key])) found.push(key);
  }
  return found;
}

/** Which connection settings are still missing before Initialize can succeed. */
export function missingConnectionSettings(settings: Settings, hasClientSecret: boolean): string[] {
  const missing: string[] = [];
  if (!settings.environmentId) missing.push('environmentId');
  const c = settings.connection;
  if (!c.tenantId) missing.push('connection.tenantId');
  if (!c.clientId) missing.push('connection.clientId');
  if (!hasClientSecret) missing.push('connection.clientSecret');
  if (!c.ivEndpoint) missing.push('connection.ivEndpoint');
  if (!c.fnoEnvironmentUrl) missing.push('connection.fnoEnvironmentUrl');
  if (!settings.transactions.fnoAdjustmentIntegrationActivityId)
    missing.push('transactions.fnoAdjustmentIntegrationActivityId');
  return missing;
}
