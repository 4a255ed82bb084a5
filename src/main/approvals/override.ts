/**
 * A manager's override: the clerk's screen asks for a manager's PIN or badge right there and
 * sends it with the action, as `override` beside the action's own input. The credential is
 * checked on the server by the same path and lockout as signing in (people/credentials.ts); the
 * action then runs as the clerk, approved by that manager (`approvedBy`), whatever transport
 * carried it. A clerk's PIN given as an override is refused in words.
 */
import { fieldErrors } from '../../shared/adjustment';
import { peopleInputs, type Role, roleAtLeast } from '../../shared/people';
import type { RpcName } from '../../shared/rpc';
import { RPC_ROLES } from '../../shared/rpc-roles';
import { AppError, InputError } from '../errors';
import { authorize, type Resolved } from '../people/access';
import type { Actor } from '../people/actor';
import type { Credential } from '../people/credentials';

/** What dispatch needs to check an override: PeopleService.verify. */
export interface OverrideVerifier {
  verify(credential: Credential, needs: Role, doing: string): Promise<Actor>;
}

/** The action's own input, and the override sent beside it (undefined when none was). */
export function splitOverride(input: unknown): { input: unknown; override: unknown } {
  if (
    input === null ||
    typeof input !== 'object' ||
    Array.isArray(input) ||
    !Object.hasOwn(input, 'override')
  )
    return { input, override: undefined };
  const { override, ...rest } = input as Record<string, unknown>;
  return { input: rest, override };
}

/** The manager an override proves, or an AppError in words (not a manager, a wrong PIN, locked out). */
export async function approverOf(
  people: Partial<OverrideVerifier>,
  override: unknown,
  name: RpcName,
): Promise<Actor> {
  if (!people.verify) throw new AppError('forbidden', 'A manager’s approval cannot be given here.');
  const parsed = peopleInputs.signIn.safeParse(override);
  if (!parsed.success)
    throw new InputError(
      'A manager’s approval needs their PIN (with their name) or their badge',
      fieldErrors(parsed.error).map((e) => ({ ...e, field: `override.${e.field}` })),
    );
  const { needs, doing } = RPC_ROLES[name];
  const role: Role = needs !== 'anyone' && roleAtLeast(needs, 'manager') ? needs : 'manager';
  try {
    return await people.verify.call(people, parsed.data, role, `Approving (${doing.toLowerCase()})`);
  } catch (error) {
    if (error instanceof AppError && error.code === 'forbidden')
      throw new AppError(
        'forbidden',
        `${error.message.replace(/: ask one to sign in\.$/, '')}: the PIN or badge given is not a manager’s.`,
      );
    throw error;
  }
}

/**
 * The role check with an approval: the approver's role stands in for the actor's on this one
 * call (the actor stays who acts and who is recorded as the author).
 */
export function authorizeApproved(resolved: Resolved, name: RpcName, approver: Actor | null): Actor | null {
  if (!approver) return authorize(resolved, name);
  if (!resolved.actor) throw new AppError('signed_out', resolved.why);
  authorize({ actor: approver }, name);
  return resolved.actor;
}
