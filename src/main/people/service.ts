/**
 * A store's people on this ledger: how they sign in (the first start chooses), the staff list a
 * manager keeps, each window's session, and the check a manager's PIN or badge passes for an
 * override. Every RPC asks `resolve` who is acting before its handler runs (rpc/dispatch.ts).
 */
import type { PersonView, Role, SessionView, SignInMode } from '../../shared/people';
import type { RpcParsedInput } from '../../shared/rpc';
import { nowIso } from '../clock';
import type { SecretStore } from '../config/secret-store';
import { AppError, InputError, notFound } from '../errors';
import type { Ledger, PersonRow } from '../ledger';
import { isA, type Resolved, requireRole } from './access';
import { type Actor, type Caller, osUserActor } from './actor';
import { type Credential, Credentials, personGuard } from './credentials';
import { newId } from './hashing';
import { SessionTable } from './sessions';

export interface PeopleDeps {
  ledger: Ledger;
  secrets: SecretStore;
  log: (message: string) => void;
}

type NewPerson = RpcParsedInput<'people.create'>;
type PersonChange = RpcParsedInput<'people.update'>;

const FIRST_START =
  'Store Ledger has not been set up yet: on its first screen, add the first manager or choose single clerk.';

export function personActor(p: PersonRow): Actor {
  return { kind: 'person', id: p.person_id, name: p.name, role: p.role };
}

export class PeopleService {
  private readonly sessions: SessionTable;
  private readonly credentials: Credentials;

  constructor(private readonly deps: PeopleDeps) {
    this.sessions = new SessionTable(deps.ledger.clock);
    this.credentials = new Credentials(deps.ledger, deps.secrets, deps.log);
  }

  /** At start: badges indexed under a key that is gone are forgotten (credentials.ts). */
  start(): void {
    this.credentials.reconcileIndexKey();
  }

  mode(): SignInMode {
    return this.deps.ledger.people.mode();
  }

  /** Who acts on this call, or why nobody does. A session left idle past the auto-lock ends here. */
  resolve(caller: Caller): Resolved {
    if (caller.system) return { actor: caller.system };
    const mode = this.mode();
    if (mode === 'single-clerk') return { actor: osUserActor() };
    if (mode === 'unset') return { actor: null, why: FIRST_START };
    if (!caller.session) return { actor: null, why: 'Nobody is signed in on this window: sign in first.' };
    const minutes = this.autoLockMinutes();
    const session = this.sessions.use(caller.session, minutes * 60_000);
    if (session === 'expired')
      return {
        actor: null,
        why: `You were signed out after ${minutes} minute${minutes === 1 ? '' : 's'} without use: sign in again.`,
      };
    if (!session)
      return {
        actor: null,
        why: 'This window’s sign-in has ended (Store Ledger restarted, or the window signed out): sign in again.',
      };
    const person = this.deps.ledger.people.get(session.personId);
    if (!person?.active) {
      this.sessions.end(caller.session);
      return { actor: null, why: 'You can no longer sign in here: ask a manager.' };
    }
    return { actor: personActor(person) };
  }

  view(caller: Caller): SessionView {
    const mode = this.mode();
    return {
      mode,
      actor: this.resolve(caller).actor,
      autoLockMinutes: this.autoLockMinutes(),
      people:
        mode === 'people'
          ? this.deps.ledger.people
              .list()
              .filter((p) => p.active)
              .map((p) => ({ personId: p.person_id, name: p.name }))
          : [],
    };
  }

  /** A PIN (with the person chosen) or a badge: this window's person is now whoever it proves. */
  async signIn(caller: Caller, credential: Credential): Promise<SessionView> {
    const mode = this.mode();
    if (mode !== 'people')
      throw new AppError(
        'conflict',
        mode === 'unset' ? FIRST_START : 'Nobody signs in here: Store Ledger runs as a single clerk.',
      );
    const person = await this.credentials.check(credential);
    this.sessions.end(caller.session);
    caller.bind?.(this.sessions.start(person.person_id));
    return this.viewAs(person);
  }

  signOut(caller: Caller): SessionView {
    this.sessions.end(caller.session);
    caller.bind?.(null);
    return this.view({ session: null });
  }

  /**
   * Verifies a PIN or badge without signing anyone in, for an override: a manager approving
   * what the person signed in may not do. The same guards and lockouts as signing in.
   */
  async verify(credential: Credential, needs: Role, doing: string): Promise<Actor> {
    const actor = personActor(await this.credentials.check(credential));
    requireRole(actor, needs, doing);
    return actor;
  }

  /** The first start: people who sign in (this first person gets every right), or single clerk. */
  async setup(caller: Caller, input: RpcParsedInput<'people.setup'>): Promise<SessionView> {
    this.refuseUnlessUnset();
    const { ledger } = this.deps;
    if (input.mode === 'single-clerk') {
      ledger.writeNow(() => {
        this.refuseUnlessUnset();
        ledger.people.setMode('single-clerk');
      });
      return this.view(caller);
    }
    const first = { name: input.name, pin: input.pin, badge: input.badge, role: 'administrator' as const };
    const row = await this.newPersonRow(first, osUserActor());
    ledger.writeNow(() => {
      this.refuseUnlessUnset();
      this.insertChecked(row);
      ledger.people.setMode('people');
    });
    caller.bind?.(this.sessions.start(row.person_id));
    return this.viewAs(row);
  }

  list(): PersonView[] {
    const { people } = this.deps.ledger;
    const locked = people.lockedGuards(nowIso(this.deps.ledger.clock));
    return people.list().map((p) => ({
      personId: p.person_id,
      name: p.name,
      role: p.role,
      hasBadge: p.badge_index !== null,
      active: p.active === 1,
      createdAt: p.created_at,
      createdBy: p.created_by,
      lockedUntil: locked.get(personGuard(p.person_id)) ?? null,
    }));
  }

  /** A manager adds clerks and managers; an administrator adds administrators too. */
  async create(actor: Actor, input: NewPerson): Promise<PersonView[]> {
    if (input.role === 'administrator') requireRole(actor, 'administrator', 'Adding an administrator');
    const row = await this.newPersonRow(input, actor);
    this.deps.ledger.writeNow(() => this.insertChecked(row));
    return this.list();
  }

  async update(actor: Actor, input: PersonChange): Promise<PersonView[]> {
    const { ledger } = this.deps;
    const target = ledger.people.get(input.personId);
    if (!target) throw notFound('This person');
    if (target.role === 'administrator' || input.role === 'administrator')
      requireRole(actor, 'administrator', 'Changing an administrator');
    const fields: Parameters<typeof ledger.people.update>[1] = {};
    if (input.name !== undefined) fields.name = input.name;
    if (input.role !== undefined) fields.role = input.role;
    if (input.active !== undefined) fields.active = input.active ? 1 : 0;
    if (input.pin !== undefined) fields.pin_hash = await this.credentials.hashPin(input.pin);
    if (input.badge === null) Object.assign(fields, { badge_index: null, badge_hash: null });
    else if (input.badge !== undefined) Object.assign(fields, await this.credentials.hashBadge(input.badge));
    ledger.writeNow(() => {
      const name = fields.name ?? target.name;
      const active = (fields.active ?? target.active) === 1;
      if (active && ledger.people.nameTaken(name, target.person_id)) throw nameTaken(name);
      this.refuseBadgeTaken(fields.badge_index ?? null, target.person_id);
      this.keepAnAdministrator(target, fields);
      ledger.people.update(target.person_id, fields, nowIso(ledger.clock));
      if (input.pin !== undefined) this.credentials.clearPinGuard(target.person_id);
    });
    if (input.active === false) this.sessions.endFor(target.person_id);
    return this.list();
  }

  /** Single clerk (no sign-in) or people; people needs an active administrator to sign in first. */
  setMode(caller: Caller, mode: Exclude<SignInMode, 'unset'>): SessionView {
    const { ledger } = this.deps;
    ledger.writeNow(() => {
      if (mode === 'people' && ledger.people.countActive('administrator') === 0)
        throw new AppError(
          'conflict',
          'Add an administrator under People first: once people sign in, only an administrator can change the connection and how people sign in.',
        );
      ledger.people.setMode(mode);
    });
    return this.view(caller);
  }

  private autoLockMinutes(): number {
    return this.deps.ledger.settings.read().signIn.autoLockMinutes;
  }

  private viewAs(person: PersonRow): SessionView {
    return { ...this.view({ session: null }), actor: personActor(person) };
  }

  private refuseUnlessUnset(): void {
    if (this.mode() !== 'unset')
      throw new AppError(
        'conflict',
        'Store Ledger is set up already: an administrator changes how people sign in under People.',
      );
  }

  private async newPersonRow(parsed: NewPerson, by: Actor): Promise<PersonRow> {
    const at = nowIso(this.deps.ledger.clock);
    return {
      person_id: newId('p'),
      name: parsed.name,
      role: parsed.role,
      pin_hash: await this.credentials.hashPin(parsed.pin),
      ...(parsed.badge
        ? await this.credentials.hashBadge(parsed.badge)
        : { badge_index: null, badge_hash: null }),
      active: 1,
      created_at: at,
      created_by: by.name,
      created_by_id: by.id,
      updated_at: at,
    };
  }

  /** Inside the write: the name and badge checked again next to the insert. */
  private insertChecked(row: PersonRow): void {
    if (this.deps.ledger.people.nameTaken(row.name, null)) throw nameTaken(row.name);
    this.refuseBadgeTaken(row.badge_index, row.person_id);
    this.deps.ledger.people.insert(row);
  }

  private refuseBadgeTaken(index: string | null, personId: string): void {
    if (index === null) return;
    const holder = this.deps.ledger.people.byBadge(index);
    if (holder && holder.person_id !== personId)
      throw new InputError('The badge cannot be used', [
        { field: 'badge', message: `is ${holder.name}’s badge already: scan another one` },
      ]);
  }

  /** People mode must always leave someone who can administer it. */
  private keepAnAdministrator(target: PersonRow, fields: Partial<PersonRow>): void {
    if (this.mode() !== 'people' || target.role !== 'administrator' || target.active !== 1) return;
    const stays = (fields.role ?? target.role) === 'administrator' && (fields.active ?? 1) === 1;
    if (!stays && this.deps.ledger.people.countActive('administrator') <= 1)
      throw new AppError(
        'conflict',
        `${isA(target.name, 'administrator')}, the last active one: make another person an administrator first.`,
      );
  }
}

function nameTaken(name: string): AppError {
  return new InputError('The name cannot be used', [
    { field: 'name', message: `'${name}' is someone else’s name here: add an initial or a last name` },
  ]);
}
