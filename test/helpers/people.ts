// How tests act as someone. The suite's default is the honest one: a person signed in through
// the real first start and session (`signedIn`, an administrator unless a test asks for less),
// so every RPC a test sends passes the same role check a window's does. `singleClerk` runs a
// layer as stores that chose no sign-in do. `author` is for tests that store lines below the
// RPCs (seeding a ledger, the sync): the computer's user, as single-clerk mode records it.
import type { BusinessLayer } from '../../src/main/business-layer';
import { type Actor, type Caller, osUserActor } from '../../src/main/people/actor';
import type { CallContext } from '../../src/main/rpc/context';
import { dispatch, type RpcReply } from '../../src/main/rpc/dispatch';
import type { LineAuthor, Role } from '../../src/shared/people';

export const author = (name = 'test'): LineAuthor => ({ kind: 'os-user', id: null, name });

/** A handler called directly (below dispatch), as the computer's user. */
export const AS_OS_USER: CallContext = { actor: osUserActor(), caller: { session: null } };

export const ADMIN_PIN = '2468';
export const PIN = '1357';

export interface SignedIn {
  caller: Caller;
  actor: Actor;
  /** The session token (the browser's header). */
  session: string;
  pin: string;
}

function binding(): { caller: Caller; token: () => string | null } {
  let token: string | null = null;
  const caller: Caller = {
    session: null,
    bind: (t) => {
      token = t;
      caller.session = t;
    },
  };
  return { caller, token: () => token };
}

/**
 * A person signed in on a window of this layer: the first start makes the first administrator
 * (`Ada Admin`); another role is added by her and signs in with its PIN.
 */
export async function signedIn(
  layer: BusinessLayer,
  role: Role = 'administrator',
  name = role === 'administrator' ? 'Ada Admin' : `${role[0]!.toUpperCase()}${role.slice(1)} Test`,
): Promise<SignedIn> {
  if (layer.people.mode() === 'unset') {
    const first = binding();
    await layer.people.setup(first.caller, { mode: 'people', name: 'Ada Admin', pin: ADMIN_PIN });
    if (role === 'administrator' && name === 'Ada Admin') return done(layer, first.caller, ADMIN_PIN);
  }
  const admin = layer.people.list().find((p) => p.role === 'administrator' && p.active);
  let person = layer.people.list().find((p) => p.name === name && p.active);
  if (!person) {
    const by: Actor = { kind: 'person', id: admin!.personId, name: admin!.name, role: 'administrator' };
    await layer.people.create(by, { name, role, pin: PIN });
    person = layer.people.list().find((p) => p.name === name)!;
  }
  const pin = person.name === 'Ada Admin' ? ADMIN_PIN : PIN;
  const window = binding();
  await layer.people.signIn(window.caller, { personId: person.personId, pin });
  return done(layer, window.caller, pin);
}

function done(layer: BusinessLayer, caller: Caller, pin: string): SignedIn {
  const actor = layer.people.resolve(caller).actor!;
  return { caller, actor, session: caller.session!, pin };
}

/** Stores that chose no sign-in: everything as the computer's user. */
export function singleClerk(layer: BusinessLayer): Caller {
  if (layer.people.mode() === 'unset') void layer.people.setup({ session: null }, { mode: 'single-clerk' });
  return { session: null };
}

/** An RPC as a window sends it, as this caller: the role check, then the contract's schema. */
export function call(
  layer: BusinessLayer,
  caller: Caller,
  name: string,
  input: unknown = {},
): Promise<RpcReply> {
  return dispatch(layer, name, input, caller, () => {});
}

const admins = new WeakMap<BusinessLayer, Promise<Caller>>();

/** The administrator signed in on a window of this layer, once per layer. */
export function asAdmin(layer: BusinessLayer): Promise<Caller> {
  let caller = admins.get(layer);
  if (!caller) {
    caller = signedIn(layer).then((s) => s.caller);
    admins.set(layer, caller);
  }
  return caller;
}
