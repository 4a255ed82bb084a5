import { ROLE_WORDS, type Role, roleAtLeast } from '../../shared/people';
import type { RpcName } from '../../shared/rpc';
import { RPC_ROLES, refusalWords } from '../../shared/rpc-roles';
import { AppError } from '../errors';
import type { Actor } from './actor';

/** Who acts on a call, or why nobody does (PeopleService.resolve). */
export type Resolved = { actor: Actor; why?: undefined } | { actor: null; why: string };

/**
 * The role check every RPC passes before its handler runs, whichever transport carried it
 * (rpc/dispatch.ts): the table in shared/rpc-roles.ts says the least role. Answers the actor the
 * handler acts as; null only for actions anyone may call with nobody signed in.
 */
export function authorize(resolved: Resolved, name: RpcName): Actor | null {
  const { needs, doing } = RPC_ROLES[name];
  if (needs === 'anyone') return resolved.actor;
  if (!resolved.actor) throw new AppError('signed_out', resolved.why);
  requireRole(resolved.actor, needs, doing);
  return resolved.actor;
}

/** A finer check inside a handler: "Voiding another person’s line needs a manager: ask one to sign in." */
export function requireRole(actor: Actor, needs: Role, doing: string): void {
  if (!roleAtLeast(actor.role, needs)) throw new AppError('forbidden', refusalWords(doing, needs, actor));
}

/** "Anna is a clerk": for refusals about someone else's role. */
export function isA(name: string, role: Role): string {
  return `${name} is ${ROLE_WORDS[role].aRole}`;
}
