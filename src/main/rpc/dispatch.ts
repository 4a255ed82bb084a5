import { fieldErrors } from '../../shared/adjustment';
import { type RpcErrorBody, type RpcName, rpcInputs } from '../../shared/rpc';
import { InputError, toErrorBody } from '../errors';
import type { RpcHandlers } from './handlers';

export type RpcReply = { ok: true; value: unknown } | { ok: false; error: RpcErrorBody };

export function isRpcName(name: string): name is RpcName {
  return Object.hasOwn(rpcInputs, name);
}

/**
 * Validates the input with the contract's schema (never trust the renderer), runs the
 * handler, and turns any error into plain data before it crosses a process boundary.
 */
export async function dispatch(
  handlers: RpcHandlers,
  name: string,
  input: unknown,
  log: (error: unknown) => void = console.error,
): Promise<RpcReply> {
  if (!isRpcName(name))
    return { ok: false, error: { code: 'not_found', message: `Unknown action '${name}'` } };
  const parsed = rpcInputs[name].safeParse(input ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: new InputError('The request is not valid', fieldErrors(parsed.error)).toBody(),
    };
  }
  try {
    const handler = handlers[name] as (input: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    const body = toErrorBody(error);
    if (body.code === 'internal') log(error);
    return { ok: false, error: body };
  }
}
