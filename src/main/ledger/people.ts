import type { Selectable } from 'kysely';
import type { Role, SignInMode } from '../../shared/people';
import type { LedgerConnection } from './connection';
import type { ApiKeysTable, PeopleTable } from './schema';

export type PersonRow = Selectable<PeopleTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export interface GuardRow {
  failedAttempts: number;
  lockouts: number;
  lockedUntil: string | null;
}

const MODE_KEY = 'people.mode';
const INDEX_CHECK_KEY = 'people.badgeIndexCheck';

/** Who did a change: a name, and the stable ID of a person or key (null for the computer's user). */
export interface ChangedBy {
  name: string;
  id: string | null;
}

/**
 * The store's people, their sign-in guards and the store systems' API keys (migration 13). The
 * hashes are written and read here as opaque strings; making and checking them is
 * src/main/people's.
 */
export class PeopleStore {
  constructor(private readonly conn: LedgerConnection) {}

  mode(): SignInMode {
    const value = this.conn.first(
      this.conn.qb.selectFrom('settings').select('value').where('key', '=', MODE_KEY),
    )?.value;
    return value === 'single-clerk' || value === 'people' ? value : 'unset';
  }

  setMode(mode: Exclude<SignInMode, 'unset'>): void {
    this.putValue(MODE_KEY, mode);
  }

  /** The check value of the key the badges were indexed with (hashing.ts), if any badge was. */
  badgeIndexCheck(): string | null {
    return (
      this.conn.first(this.conn.qb.selectFrom('settings').select('value').where('key', '=', INDEX_CHECK_KEY))
        ?.value ?? null
    );
  }

  setBadgeIndexCheck(check: string): void {
    this.putValue(INDEX_CHECK_KEY, check);
  }

  list(): PersonRow[] {
    return this.conn.all(
      this.conn.qb.selectFrom('people').selectAll().orderBy('active', 'desc').orderBy('name'),
    );
  }

  get(personId: string): PersonRow | undefined {
    return this.conn.first(this.conn.qb.selectFrom('people').selectAll().where('person_id', '=', personId));
  }

  byBadge(index: string): PersonRow | undefined {
    return this.conn.first(this.conn.qb.selectFrom('people').selectAll().where('badge_index', '=', index));
  }

  /** Another active person of this name (names are how the sign-in screen tells people apart). */
  nameTaken(name: string, except: string | null): boolean {
    const rows = this.conn.all(
      this.conn.qb.selectFrom('people').select(['person_id', 'name']).where('active', '=', 1),
    );
    const wanted = name.toLocaleLowerCase('en-US');
    return rows.some((r) => r.person_id !== except && r.name.toLocaleLowerCase('en-US') === wanted);
  }

  countActive(role: Role): number {
    const row = this.conn.first(
      this.conn.qb
        .selectFrom('people')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('active', '=', 1)
        .where('role', '=', role),
    );
    return Number(row?.n ?? 0);
  }

  insert(row: PersonRow): void {
    this.conn.run(this.conn.qb.insertInto('people').values(row));
  }

  update(
    personId: string,
    fields: Partial<Pick<PersonRow, 'name' | 'role' | 'pin_hash' | 'badge_index' | 'badge_hash' | 'active'>>,
    at: string,
  ): boolean {
    const { changes } = this.conn.run(
      this.conn.qb
        .updateTable('people')
        .set({ ...fields, updated_at: at })
        .where('person_id', '=', personId),
    );
    return Number(changes) === 1;
  }

  /** Badges cannot be found any more (their index key was lost): each must be scanned again. */
  forgetBadges(at: string): number {
    const { changes } = this.conn.run(
      this.conn.qb
        .updateTable('people')
        .set({ badge_index: null, badge_hash: null, updated_at: at })
        .where('badge_index', 'is not', null),
    );
    return Number(changes);
  }

  guard(guard: string): GuardRow | null {
    const row = this.conn.first(
      this.conn.qb.selectFrom('sign_in_guards').selectAll().where('guard', '=', guard),
    );
    return row
      ? { failedAttempts: row.failed_attempts, lockouts: row.lockouts, lockedUntil: row.locked_until }
      : null;
  }

  setGuard(guard: string, state: GuardRow): void {
    const values = {
      failed_attempts: state.failedAttempts,
      lockouts: state.lockouts,
      locked_until: state.lockedUntil,
    };
    this.conn.run(
      this.conn.qb
        .insertInto('sign_in_guards')
        .values({ guard, ...values })
        .onConflict((oc) => oc.column('guard').doUpdateSet(values)),
    );
  }

  clearGuard(guard: string): void {
    this.conn.run(this.conn.qb.deleteFrom('sign_in_guards').where('guard', '=', guard));
  }

  /** Lockouts still running, by guard: the staff list shows who is locked out. */
  lockedGuards(now: string): Map<string, string> {
    const rows = this.conn.all(
      this.conn.qb
        .selectFrom('sign_in_guards')
        .select(['guard', 'locked_until'])
        .where('locked_until', '>', now),
    );
    return new Map(rows.map((r) => [r.guard, r.locked_until!]));
  }

  apiKeys(): ApiKeyRow[] {
    return this.conn.all(
      this.conn.qb
        .selectFrom('api_keys')
        .selectAll()
        .orderBy((eb) => eb('revoked_at', 'is', null), 'desc')
        .orderBy('name'),
    );
  }

  apiKeyByDigest(digest: string): ApiKeyRow | undefined {
    return this.conn.first(this.conn.qb.selectFrom('api_keys').selectAll().where('digest', '=', digest));
  }

  apiKeyNameTaken(name: string): boolean {
    const wanted = name.toLocaleLowerCase('en-US');
    return this.conn
      .all(this.conn.qb.selectFrom('api_keys').select('name').where('revoked_at', 'is', null))
      .some((r) => r.name.toLocaleLowerCase('en-US') === wanted);
  }

  insertApiKey(row: ApiKeyRow): void {
    this.conn.run(this.conn.qb.insertInto('api_keys').values(row));
  }

  revokeApiKey(keyId: string, at: string, by: ChangedBy): boolean {
    const { changes } = this.conn.run(
      this.conn.qb
        .updateTable('api_keys')
        .set({ revoked_at: at, revoked_by: by.name, revoked_by_id: by.id })
        .where('key_id', '=', keyId)
        .where('revoked_at', 'is', null),
    );
    return Number(changes) === 1;
  }

  apiKeyUsed(keyId: string, at: string): void {
    this.conn.run(this.conn.qb.updateTable('api_keys').set({ last_used_at: at }).where('key_id', '=', keyId));
  }

  private putValue(key: string, value: string): void {
    this.conn.run(
      this.conn.qb
        .insertInto('settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value })),
    );
  }
}
