import type { RpcName } from '../../shared/rpc';
import type { ApiKeyRegistry } from '../people/api-keys';
import type { PeopleService } from '../people/service';
import { acting, type RpcHandlers } from './context';

/** The RPCs of people, sessions and API keys. */
export type PeopleRpc = Extract<RpcName, `session.${string}` | `people.${string}` | `apiKeys.${string}`>;

/**
 * Signing in and out changes the caller's session (the transport keeps it: a header for the
 * browser, the window's slot over IPC); the staff list and the keys act as the one signed in.
 */
export function peopleHandlers(deps: {
  people: PeopleService;
  apiKeys: ApiKeyRegistry;
}): Pick<RpcHandlers, PeopleRpc> {
  const { people, apiKeys } = deps;
  return {
    'session.get': (_, { caller }) => people.view(caller),
    'session.signIn': (credential, { caller }) => people.signIn(caller, credential),
    'session.signOut': (_, { caller }) => people.signOut(caller),
    'people.setup': (input, { caller }) => people.setup(caller, input),
    'people.list': () => people.list(),
    'people.create': (input, ctx) => people.create(acting(ctx), input),
    'people.update': (input, ctx) => people.update(acting(ctx), input),
    'people.setMode': ({ mode }, { caller }) => people.setMode(caller, mode),
    'apiKeys.list': () => apiKeys.list(),
    'apiKeys.create': (input, ctx) => apiKeys.create(acting(ctx), input),
    'apiKeys.revoke': ({ keyId }, ctx) => apiKeys.revoke(acting(ctx), keyId),
  };
}
