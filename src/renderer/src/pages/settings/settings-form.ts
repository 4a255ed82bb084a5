import { fieldErrors } from '../../../../shared/adjustment';
import { parseTypedNumber } from '../../../../shared/numbers';
import { type SettingsPatch, type SettingsView, settingsPatchSchema } from '../../../../shared/settings';
import { uiLocale } from '../../components/locale';

/** Where each field of the page lives in the settings patch. */
export const FIELD_PATHS = {
  environmentId: ['environmentId'],
  enableFeature: ['enableFeature'],
  defaultOrganizationId: ['defaultOrganizationId'],
  fnoAdjustmentIntegrationActivityId: ['transactions', 'fnoAdjustmentIntegrationActivityId'],
  fnoEnvironmentUrl: ['connection', 'fnoEnvironmentUrl'],
  fnoSyncMaxLineCount: ['transactions', 'fnoSyncMaxLineCount'],
  periodicSyncToIV: ['transactions', 'periodicSyncToIV'],
  periodicSyncToFno: ['transactions', 'periodicSyncToFno'],
  ivSyncFrequencyMinutes: ['transactions', 'ivSyncFrequencyMinutes'],
  fnoSyncFrequencyMinutes: ['transactions', 'fnoSyncFrequencyMinutes'],
  fnoSyncMaxJournalCountInPackage: ['transactions', 'fnoSyncMaxJournalCountInPackage'],
  postingOverdueHours: ['transactions', 'postingOverdueHours'],
  upstreamCallsInFlight: ['transactions', 'upstreamCallsInFlight'],
  scmPackagesInFlight: ['transactions', 'scmPackagesInFlight'],
  packageQueuedAlertHours: ['transactions', 'packageQueuedAlertHours'],
  journalNamesEntitySet: ['transactions', 'journalNamesEntitySet'],
  ivDimensionDataSource: ['transactions', 'ivDimensionDataSource'],
  fnoSyncWindowStart: ['transactions', 'fnoSyncWindow', 'start'],
  fnoSyncWindowEnd: ['transactions', 'fnoSyncWindow', 'end'],
  authorityHost: ['connection', 'authorityHost'],
  tenantId: ['connection', 'tenantId'],
  clientId: ['connection', 'clientId'],
  clientSecret: ['connection', 'clientSecret'],
  ivEndpoint: ['connection', 'ivEndpoint'],
  ivSecurityServiceUrl: ['connection', 'ivSecurityServiceUrl'],
  largeQuantityThreshold: ['entry', 'largeQuantityThreshold'],
  reasonRequired: ['entry', 'reasonRequired'],
  approvalUnitsThreshold: ['approvals', 'unitsThreshold'],
  approvalValueThreshold: ['approvals', 'valueThreshold'],
  holdStoreSystems: ['approvals', 'holdStoreSystems'],
  autoLockMinutes: ['signIn', 'autoLockMinutes'],
} as const;

export type SettingsField = keyof typeof FIELD_PATHS;
export type SettingsDraft = Record<SettingsField, string | number | boolean>;
export type SettingsErrors = Partial<Record<SettingsField | 'form', string>>;

/** Blank means "not set" for these; the others always hold a value. */
const NULLABLE = new Set<SettingsField>([
  'environmentId',
  'defaultOrganizationId',
  'fnoAdjustmentIntegrationActivityId',
  'fnoEnvironmentUrl',
  'tenantId',
  'clientId',
  'ivEndpoint',
  'ivDimensionDataSource',
  'journalNamesEntitySet',
]);
const NUMBERS = new Set<SettingsField>([
  'fnoSyncMaxLineCount',
  'ivSyncFrequencyMinutes',
  'fnoSyncFrequencyMinutes',
  'fnoSyncMaxJournalCountInPackage',
  'postingOverdueHours',
  'upstreamCallsInFlight',
  'scmPackagesInFlight',
  'packageQueuedAlertHours',
  'autoLockMinutes',
  'approvalUnitsThreshold',
  'approvalValueThreshold',
]);
/**
 * Typed as text and read in the UI's language, like a quantity on the entry screens (a number
 * input strips letters, and reads a German "1.000" as 1).
 */
const LOCALE_NUMBERS = new Set<SettingsField>(['largeQuantityThreshold']);
/** The Fno sync window is one setting edited as two fields: both blank = all day. */
const WINDOW_FIELDS = new Set<SettingsField>(['fnoSyncWindowStart', 'fnoSyncWindowEnd']);

function read(view: SettingsView, path: readonly string[]): unknown {
  let v: unknown = view;
  for (const p of path) v = (v as Record<string, unknown> | null)?.[p];
  return v;
}

export function draftFrom(view: SettingsView): SettingsDraft {
  const draft = {} as SettingsDraft;
  for (const [field, path] of Object.entries(FIELD_PATHS) as [SettingsField, readonly string[]][]) {
    const v = field === 'clientSecret' ? '' : read(view, path);
    if (LOCALE_NUMBERS.has(field)) draft[field] = typeof v === 'number' ? String(v) : '';
    else draft[field] = typeof v === 'boolean' || typeof v === 'number' ? v : ((v as string | null) ?? '');
  }
  return draft;
}

function wireValue(field: SettingsField, value: string | number | boolean): unknown {
  if (typeof value === 'boolean' || typeof value === 'number') return value;
  const trimmed = value.trim();
  if (LOCALE_NUMBERS.has(field)) {
    // Not a number in this language: sent as typed, so the schema names the field and the rule.
    const typed = parseTypedNumber(trimmed, uiLocale());
    return typed.ok ? typed.value : trimmed;
  }
  if (NUMBERS.has(field))
    return trimmed === '' ? null : Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
  if (trimmed === '' && NULLABLE.has(field)) return null;
  return field === 'clientSecret' ? value : trimmed;
}

/** Only what changed goes to `settings.update`; a blank secret means "keep the stored one". */
export function changedPatch(draft: SettingsDraft, saved: SettingsDraft): Record<string, unknown> {
  const patch: Record<string, Record<string, unknown> | unknown> = {};
  for (const [field, path] of Object.entries(FIELD_PATHS) as [SettingsField, readonly string[]][]) {
    if (WINDOW_FIELDS.has(field)) continue;
    if (field === 'clientSecret' ? draft.clientSecret === '' : draft[field] === saved[field]) continue;
    const value = wireValue(field, draft[field]);
    if (path.length === 1) patch[path[0]!] = value;
    else {
      const group = (patch[path[0]!] ?? {}) as Record<string, unknown>;
      group[path[1]!] = value;
      patch[path[0]!] = group;
    }
  }
  if (
    draft.fnoSyncWindowStart !== saved.fnoSyncWindowStart ||
    draft.fnoSyncWindowEnd !== saved.fnoSyncWindowEnd
  ) {
    const start = String(draft.fnoSyncWindowStart).trim();
    const end = String(draft.fnoSyncWindowEnd).trim();
    const group = (patch.transactions ?? {}) as Record<string, unknown>;
    group.fnoSyncWindow = start === '' && end === '' ? null : { start, end };
    patch.transactions = group;
  }
  return patch;
}

export function isDirty(draft: SettingsDraft, saved: SettingsDraft): boolean {
  return Object.keys(changedPatch(draft, saved)).length > 0;
}

const FIELD_BY_PATH = new Map(
  (Object.entries(FIELD_PATHS) as [SettingsField, readonly string[]][]).map(([f, p]) => [p.join('.'), f]),
);

/** `transactions.fnoSyncMaxLineCount` → the page's field. */
export function mapSettingsErrors(errors: { field: string; message: string }[]): SettingsErrors {
  const out: SettingsErrors = {};
  for (const e of errors) {
    const field =
      FIELD_BY_PATH.get(e.field) ??
      (e.field === 'transactions.fnoSyncWindow' ? 'fnoSyncWindowStart' : undefined) ??
      'form';
    out[field] ??= field === 'form' ? `${e.field} ${e.message}` : e.message;
  }
  return out;
}

/** The same schema main applies, run first so mistakes show without a round trip. */
export function validatePatch(
  patch: Record<string, unknown>,
): { ok: true; patch: SettingsPatch } | { ok: false; errors: SettingsErrors } {
  const parsed = settingsPatchSchema.safeParse(patch);
  if (parsed.success) return { ok: true, patch: parsed.data };
  return { ok: false, errors: mapSettingsErrors(fieldErrors(parsed.error)) };
}
