import type { RpcName, RpcOutputs, RpcParsedInput } from '../../shared/rpc';
import type { Actor, Caller } from '../people/actor';

/**
 * Who a handler acts for: the actor dispatch found allowed (rpc/dispatch.ts), null only for the
 * actions anyone may call, and the caller (signing in changes the caller's session).
 */
export interface CallContext {
  actor: Actor | null;
  caller: Caller;
  /** A manager who approved this call with their PIN or badge (approvals/override.ts), or null. */
  approvedBy?: Actor | null;
}

export type RpcHandlers = {
  [N in RpcName]: (input: RpcParsedInput<N>, ctx: CallContext) => RpcOutputs[N] | Promise<RpcOutputs[N]>;
};

/** The actor of an action that needs a role: dispatch has checked there is one. */
export function acting(ctx: CallContext): Actor {
  if (!ctx.actor) throw new Error('An action that needs a role ran with nobody acting');
  return ctx.actor;
}
