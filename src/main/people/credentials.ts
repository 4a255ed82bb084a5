/**
 * Checking a PIN or a badge: the one path signing in and a manager's override (`verify`) share.
 * Each guard (a person's PIN, badges store-wide) takes its checks one at a time, so twenty
 * guesses sent at once are twenty in a row, each counted before the next is looked at; a guard
 * that is locked answers in words without hashing anything.
 */
import { nowIso } from '../clock';
import type { SecretStore } from '../config/secret-store';
import { AppError } from '../errors';
import type { Ledger, PersonRow } from '../ledger';
import { badgeIndex, indexKeyCheck, newIndexKey, slowHash, slowVerify, spendLikeAVerify } from './hashing';
import {
  afterFailure,
  attemptsLeftWords,
  durationWords,
  type GuardState,
  lockedFor,
  NO_FAILURES,
} from './lockout';

/** The secret store's name for the key badges are indexed with. */
export const INDEX_KEY_SECRET = 'peopleIndexKey';
export const BADGE_GUARD = 'badge';
export const personGuard = (personId: string) => `person:${personId}`;

export type Credential = { personId: string; pin: string } | { badge: string };

export class Credentials {
  private readonly turns = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ledger: Ledger,
    private readonly secrets: SecretStore,
    private readonly log: (message: string) => void,
  ) {}

  /** The person a PIN or badge proves, or an AppError in words (wrong, unknown, locked out). */
  check(credential: Credential): Promise<PersonRow> {
    if ('badge' in credential) return this.inTurn(BADGE_GUARD, () => this.checkBadge(credential.badge));
    return this.inTurn(personGuard(credential.personId), () =>
      this.checkPin(credential.personId, credential.pin),
    );
  }

  /** The slow hash of a new PIN. */
  hashPin(pin: string): Promise<string> {
    return slowHash(pin);
  }

  /** A badge's index and slow hash, the index key made on first use. */
  async hashBadge(badge: string): Promise<{ badge_index: string; badge_hash: string }> {
    const key = this.indexKey(true)!;
    return { badge_index: badgeIndex(key, badge), badge_hash: await slowHash(badge) };
  }

  /** Where a badge would be found: null while no badge has an index key to be found by. */
  indexOf(badge: string): string | null {
    const key = this.indexKey(false);
    return key ? badgeIndex(key, badge) : null;
  }

  /** A new PIN ends the wait its person's wrong PINs started. */
  clearPinGuard(personId: string): void {
    this.ledger.people.clearGuard(personGuard(personId));
  }

  /**
   * At start: badges indexed under another key (the secrets file was replaced or lost) can never
   * be found again; they are forgotten, and each must be scanned again under People.
   */
  reconcileIndexKey(): void {
    const check = this.ledger.people.badgeIndexCheck();
    if (check === null) return;
    const key = this.indexKey(false);
    if (key && indexKeyCheck(key) === check) return;
    const forgotten = this.ledger.writeNow(() => this.ledger.people.forgetBadges(nowIso(this.ledger.clock)));
    if (forgotten > 0)
      this.log(
        `The key badges are found by is not the one ${forgotten} badge(s) were registered with (the secrets file was replaced or lost): scan them again under People.`,
      );
  }

  private async checkPin(personId: string, pin: string): Promise<PersonRow> {
    const person = this.ledger.people.get(personId);
    if (!person?.active)
      throw new AppError('not_found', 'This person cannot sign in here: choose your name again.');
    const guard = personGuard(personId);
    this.refuseWhileLocked(guard, `Too many wrong PINs for ${person.name}`);
    if (await slowVerify(pin, person.pin_hash)) {
      this.succeeded(guard);
      return person;
    }
    const state = this.failed(guard);
    throw this.wrong(state, {
      lockedWhat: `Too many wrong PINs for ${person.name}`,
      message: `That PIN is not ${person.name}’s.`,
      field: 'pin',
      fieldMessage: 'is not right',
      help: ' A manager can set a new PIN under People.',
      counted: 'wrong PIN',
    });
  }

  private async checkBadge(badge: string): Promise<PersonRow> {
    this.refuseWhileLocked(BADGE_GUARD, 'Too many unknown badges were scanned');
    const index = this.indexOf(badge);
    const person = index ? this.ledger.people.byBadge(index) : undefined;
    // An unknown badge costs as long as a known one: the time says nothing about who has one.
    const proven = person?.badge_hash
      ? await slowVerify(badge, person.badge_hash)
      : await spendLikeAVerify(badge);
    if (person && proven === true && person.active) {
      this.succeeded(BADGE_GUARD);
      return person;
    }
    const state = this.failed(BADGE_GUARD);
    throw this.wrong(state, {
      lockedWhat: 'Too many unknown badges were scanned',
      message:
        person && !person.active
          ? 'This badge’s person can no longer sign in.'
          : 'This badge is not known here: a manager gives it to you under People.',
      field: 'badge',
      fieldMessage: 'is not known',
      help: '',
      counted: 'unknown badge',
    });
  }

  private refuseWhileLocked(guard: string, what: string): void {
    const waits = lockedFor(this.guardState(guard), this.ledger.clock.now());
    if (waits > 0)
      throw new AppError(
        'locked_out',
        `${what}: sign-in waits ${durationWords(waits)}.${guard === BADGE_GUARD ? ' Sign in with your PIN meanwhile.' : ' A manager can set a new PIN to end the wait.'}`,
      );
  }

  /**
   * A wrong PIN or unknown badge in words: the lockout it started (`lockedWhat`, then `help`), or
   * `message` and, when a lockout is near, how many more `counted` it takes.
   */
  private wrong(
    state: GuardState,
    words: {
      lockedWhat: string;
      message: string;
      field: string;
      fieldMessage: string;
      help: string;
      counted: string;
    },
  ): AppError {
    const { lockedWhat, message, field, fieldMessage, help, counted } = words;
    const waits = lockedFor(state, this.ledger.clock.now());
    if (waits > 0)
      return new AppError(
        'locked_out',
        `${message} ${lockedWhat}: sign-in waits ${durationWords(waits)}.${help}`,
      );
    return new AppError('invalid_input', `${message}${attemptsLeftWords(state, counted)}`, [
      { field, message: fieldMessage },
    ]);
  }

  private guardState(guard: string): GuardState {
    const row = this.ledger.people.guard(guard);
    if (!row) return NO_FAILURES;
    return {
      failedAttempts: row.failedAttempts,
      lockouts: row.lockouts,
      lockedUntil: row.lockedUntil ? Date.parse(row.lockedUntil) : null,
    };
  }

  private failed(guard: string): GuardState {
    const next = afterFailure(this.guardState(guard), this.ledger.clock.now());
    this.ledger.writeNow(() =>
      this.ledger.people.setGuard(guard, {
        failedAttempts: next.failedAttempts,
        lockouts: next.lockouts,
        lockedUntil: next.lockedUntil === null ? null : new Date(next.lockedUntil).toISOString(),
      }),
    );
    return next;
  }

  private succeeded(guard: string): void {
    if (this.ledger.people.guard(guard)) this.ledger.writeNow(() => this.ledger.people.clearGuard(guard));
  }

  private indexKey(create: boolean): Buffer | null {
    const stored = this.secrets.get(INDEX_KEY_SECRET);
    if (stored) return Buffer.from(stored, 'base64');
    if (!create) return null;
    const key = newIndexKey();
    // Refused when the desktop has no OS encryption: badges then wait for a keyring, in its words.
    this.secrets.set(INDEX_KEY_SECRET, key.toString('base64'));
    this.ledger.writeNow(() => this.ledger.people.setBadgeIndexCheck(indexKeyCheck(key)));
    return key;
  }

  /** One check at a time per guard, in arrival order; a failed check does not stop the next. */
  private inTurn<T>(guard: string, work: () => Promise<T>): Promise<T> {
    const before = this.turns.get(guard) ?? Promise.resolve();
    const mine = before.then(work, work);
    const settled = mine.catch(() => undefined);
    this.turns.set(guard, settled);
    void settled.then(() => {
      if (this.turns.get(guard) === settled) this.turns.delete(guard);
    });
    return mine;
  }
}
