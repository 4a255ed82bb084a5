import type { RpcName } from '../../shared/rpc';
import { RPC_ROLES } from '../../shared/rpc-roles';

/**
 * Which RPCs change something, and so are audited (dispatch records them, done or refused):
 * every other RPC reads, and reads are not audited, except when the role check refuses one
 * (someone trying what their role may not do is worth a row). This PC's display preferences
 * and saving a file the app already wrote change nothing of the store's.
 */
export const AUDITED_RPCS: ReadonlySet<RpcName> = new Set<RpcName>([
  'lines.create',
  'lines.void',
  'lines.correct',
  'aggregated.retry',
  'aggregated.markDoNotSync',
  'settings.update',
  'settings.loadImportProfile',
  'mappings.upsert',
  'mappings.delete',
  'apiKeys.create',
  'apiKeys.revoke',
  'sync.run',
  'sync.initialize',
  'masterData.refresh',
  'drafts.create',
  'drafts.paste',
  'drafts.import',
  'drafts.editRow',
  'drafts.deleteRow',
  'drafts.deleteBlock',
  'drafts.post',
  'drafts.delete',
  'counts.create',
  'counts.record',
  'counts.apply',
  'counts.paste',
  'counts.removeItem',
  'session.signIn',
  'session.signOut',
  'people.setup',
  'people.create',
  'people.update',
  'people.setMode',
  'audit.verify',
  'export.xlsx',
  'diagnostics.create',
]);

/** Events that are no RPC's name: sign-in's outcomes, the trail's own. */
const EVENT_WORDS: Record<string, string> = {
  'sign-in': 'Signed in',
  'sign-in.failed': 'Failed sign-in (wrong PIN or unknown badge)',
  'sign-in.locked-out': 'Sign-in locked out after too many wrong attempts',
  'sign-out': 'Signed out',
  'lines.entered': 'Lines entered',
  'audit.genesis': 'Audit trail started (lines already in the ledger)',
  'audit.verified': 'Audit trail checked',
};

/** An action in words: "Voiding a line" (the role table's words), "Failed sign-in". */
export function actionWords(action: string): string {
  return EVENT_WORDS[action] ?? RPC_ROLES[action as RpcName]?.doing ?? action;
}

/** Input fields that say what an action was about: IDs, names, never values that could be secret. */
const TARGET_KEYS = [
  'lineRecordId',
  'lineRecordIds',
  'aggregatedLineIds',
  'countId',
  'draftId',
  'keyId',
  'personId',
  'physicalMeasure',
  'originalPhysicalMeasure',
  'job',
  'item',
  'block',
  'row',
  'kind',
  'mode',
  'role',
  'name',
  'reason',
] as const;

/** What an action was about, from its input: the keys above, and a settings change's setting names. */
export function targetOf(name: RpcName, input: unknown): Record<string, unknown> | null {
  if (!input || typeof input !== 'object') return null;
  const given = input as Record<string, unknown>;
  if (name === 'settings.update') return { settings: settingNames(given) };
  if (name === 'mappings.upsert') {
    const mapping = given.mapping as { physicalMeasure?: unknown } | undefined;
    return { physicalMeasure: mapping?.physicalMeasure ?? null };
  }
  const target: Record<string, unknown> = {};
  for (const key of TARGET_KEYS) if (given[key] !== undefined) target[key] = given[key];
  return Object.keys(target).length > 0 ? target : null;
}

/** `connection.clientSecret`, `transactions.enableFeature`: the paths a patch sets. */
export function settingNames(patch: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(patch).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? settingNames(value as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

/** Field names whose values are secrets: never stored, whatever the action. */
const SECRET_NAME = /^(pin|badge|key|clientSecret|secret|password|token|apiKey)$/i;
export const REDACTED = '[redacted]';

/** A value with every secret-named field replaced (at any depth). */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      SECRET_NAME.test(k) ? (v === null || v === undefined ? v : REDACTED) : withoutSecrets(v),
    ]),
  );
}
