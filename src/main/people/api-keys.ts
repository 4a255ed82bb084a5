/**
 * The store systems' API keys: one per system (a till, the e-commerce feed), each named, with a
 * role, shown once when created and kept as a digest (hashing.ts); a line a system posts records
 * the key's name as its author. Revoking one key leaves the others working.
 *
 * Two keys come from elsewhere: the single key of earlier versions (in the secret store) becomes
 * the key "Store systems (before keys per system)" at the first start of this version, so no
 * system is cut off; and STORE_LEDGER_API_KEY, when set, is one more key held in memory only
 * (revoked by removing the variable). Both act as administrators, as the single key did.
 */
import type { ApiKeyCreated, ApiKeyView, Role } from '../../shared/people';
import { nowIso } from '../clock';
import type { SecretStore } from '../config/secret-store';
import { AppError, InputError, notFound } from '../errors';
import type { ApiKeyRow, Ledger } from '../ledger';
import type { Actor } from './actor';
import { apiKeyDigest, newApiKey, newId } from './hashing';

/** Where earlier versions kept the one key. */
export const LEGACY_API_KEY_SECRET = 'apiKey';
export const API_KEY_ENV = 'STORE_LEDGER_API_KEY';
export const LEGACY_KEY_NAME = 'Store systems (before keys per system)';
export const ENV_KEY_NAME = 'STORE_LEDGER_API_KEY (set where Store Ledger starts)';
const ENV_KEY_ID = 'k_environment';
/** `last used` is written at most this often per key: the API's hot path stays free of writes. */
const USE_WRITTEN_EVERY_MS = 10 * 60_000;

export interface ApiKeyDeps {
  ledger: Ledger;
  secrets: SecretStore;
  /** STORE_LEDGER_API_KEY, or a test's key. */
  environmentKey?: string;
  log: (message: string, detail?: unknown) => void;
}

interface ActiveKey {
  actor: Actor;
  usedWrittenAt: number;
}

export class ApiKeyRegistry {
  /** Active keys by digest: the local API checks a key without a query. */
  private active = new Map<string, ActiveKey>();
  /** Revoked keys' names by digest: a system still sending one is told it was revoked. */
  private revoked = new Map<string, string>();
  private readonly environment: { digest: string; actor: Actor } | null;

  constructor(private readonly deps: ApiKeyDeps) {
    const env = deps.environmentKey || undefined;
    this.environment = env
      ? {
          digest: apiKeyDigest(env),
          actor: { kind: 'system', id: ENV_KEY_ID, name: ENV_KEY_NAME, role: 'administrator' },
        }
      : null;
    this.adoptLegacyKey();
    this.reload();
  }

  /**
   * Why the local API refused a bearer key (`actorFor` found no active key), in words. A revoked
   * key is told so: its holder has the key, so its name tells them nothing new.
   */
  refusalFor(key: string | undefined): string {
    const how =
      'send Authorization: Bearer <API key> (an administrator creates one per system under Settings → API keys)';
    if (!key) return `A valid API key is required: ${how}.`;
    const revoked = this.revoked.get(apiKeyDigest(key));
    if (revoked !== undefined)
      return `The API key '${revoked}' was revoked: an administrator creates a new key for this system under Settings → API keys.`;
    return `This API key is not known here: ${how}.`;
  }

  /** The store system a bearer key belongs to, or null (unknown or revoked). */
  actorFor(key: string | undefined): Actor | null {
    if (!key) return null;
    const digest = apiKeyDigest(key);
    if (this.environment?.digest === digest) return this.environment.actor;
    const found = this.active.get(digest);
    if (!found) return null;
    const now = this.deps.ledger.clock.now();
    if (now - found.usedWrittenAt > USE_WRITTEN_EVERY_MS) {
      found.usedWrittenAt = now;
      const { ledger } = this.deps;
      ledger
        .write(() => ledger.people.apiKeyUsed(found.actor.id!, nowIso(ledger.clock)))
        .catch((error: unknown) => this.deps.log('Could not note when an API key was last used', error));
    }
    return found.actor;
  }

  list(): ApiKeyView[] {
    const rows = this.deps.ledger.people.apiKeys().map(viewOf);
    if (!this.environment) return rows;
    const env: ApiKeyView = {
      keyId: ENV_KEY_ID,
      name: ENV_KEY_NAME,
      role: 'administrator',
      source: 'environment',
      createdAt: null,
      createdBy: null,
      revokedAt: null,
      revokedBy: null,
      lastUsedAt: null,
    };
    return [env, ...rows];
  }

  /** A new key for a system: the key is in this answer only. */
  create(by: Actor, input: { name: string; role: Role }): ApiKeyCreated {
    const key = newApiKey();
    const row = this.row(input.name, input.role, key, by);
    const { ledger } = this.deps;
    ledger.writeNow(() => {
      if (ledger.people.apiKeyNameTaken(input.name) || input.name === ENV_KEY_NAME)
        throw new InputError('The key cannot be created', [
          { field: 'name', message: `'${input.name}' names another key: give each system its own name` },
        ]);
      ledger.people.insertApiKey(row);
    });
    this.reload();
    return { key, apiKey: viewOf(row) };
  }

  revoke(by: Actor, keyId: string): ApiKeyView[] {
    if (keyId === ENV_KEY_ID)
      throw new AppError(
        'conflict',
        `This key is set by ${API_KEY_ENV} where Store Ledger starts: remove it there and restart to revoke it.`,
      );
    const { ledger } = this.deps;
    const at = nowIso(ledger.clock);
    const revoked = ledger.writeNow(() =>
      ledger.people.revokeApiKey(keyId, at, { name: by.name, id: by.id }),
    );
    if (!revoked && !ledger.people.apiKeys().some((k) => k.key_id === keyId)) throw notFound('This API key');
    this.reload();
    return this.list();
  }

  /**
   * Keys a provisioning file lists (settings-service.ts, in its transaction): a key already here
   * is left as it is (revoked stays revoked); a new key replaces an active one of the same name.
   */
  provision(keys: readonly { name: string; role: Role; key: string }[], by: Actor): void {
    const { ledger } = this.deps;
    for (const k of keys) {
      const digest = apiKeyDigest(k.key);
      const existing = ledger.people.apiKeyByDigest(digest);
      if (existing) {
        if (existing.revoked_at)
          this.deps.log(`Provisioning: the key '${k.name}' was revoked here and stays revoked.`);
        continue;
      }
      const sameName = ledger.people
        .apiKeys()
        .find((r) => !r.revoked_at && r.name.toLowerCase() === k.name.toLowerCase());
      if (sameName)
        ledger.people.revokeApiKey(sameName.key_id, nowIso(ledger.clock), { name: by.name, id: by.id });
      ledger.people.insertApiKey(this.row(k.name, k.role, k.key, by));
    }
    this.reload();
  }

  /** Keys known in plain text (STORE_LEDGER_API_KEY), for blanking out of a diagnostics bundle. */
  plainKeys(): string[] {
    return this.deps.environmentKey ? [this.deps.environmentKey] : [];
  }

  get hasEnvironmentKey(): boolean {
    return this.environment !== null;
  }

  private row(name: string, role: Role, key: string, by: Actor): ApiKeyRow {
    return {
      key_id: newId('k'),
      name,
      role,
      digest: apiKeyDigest(key),
      created_at: nowIso(this.deps.ledger.clock),
      created_by: by.name,
      created_by_id: by.id,
      revoked_at: null,
      revoked_by: null,
      revoked_by_id: null,
      last_used_at: null,
    };
  }

  private reload(): void {
    const active = new Map<string, ActiveKey>();
    const revoked = new Map<string, string>();
    for (const r of this.deps.ledger.people.apiKeys()) {
      if (r.revoked_at) {
        revoked.set(r.digest, r.name);
        continue;
      }
      const usedWrittenAt = r.last_used_at ? Date.parse(r.last_used_at) : 0;
      active.set(r.digest, {
        actor: { kind: 'system', id: r.key_id, name: r.name, role: r.role },
        usedWrittenAt,
      });
    }
    this.active = active;
    this.revoked = revoked;
  }

  /** The one key of earlier versions becomes a named key, then leaves the secret store. */
  private adoptLegacyKey(): void {
    const legacy = this.deps.secrets.get(LEGACY_API_KEY_SECRET);
    if (!legacy) return;
    const { ledger } = this.deps;
    const by: Actor = { kind: 'os-user', id: null, name: 'Store Ledger (upgrade)', role: 'administrator' };
    ledger.writeNow(() => {
      if (ledger.people.apiKeyByDigest(apiKeyDigest(legacy))) return;
      // A secrets file restored from a backup after the upgrade: the name is taken by then.
      const name = ledger.people.apiKeyNameTaken(LEGACY_KEY_NAME)
        ? `${LEGACY_KEY_NAME}, restored`
        : LEGACY_KEY_NAME;
      ledger.people.insertApiKey(this.row(name, 'administrator', legacy, by));
    });
    this.deps.secrets.set(LEGACY_API_KEY_SECRET, null);
    this.deps.log(
      `The API key of earlier versions is now the key '${LEGACY_KEY_NAME}' (Settings → API keys).`,
    );
  }
}

function viewOf(r: ApiKeyRow): ApiKeyView {
  return {
    keyId: r.key_id,
    name: r.name,
    role: r.role,
    source: 'ledger',
    createdAt: r.created_at,
    createdBy: r.created_by,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
    lastUsedAt: r.last_used_at,
  };
}
