import { fieldErrors } from '../../shared/adjustment';
import { type RpcErrorBody, type RpcName, rpcInputs } from '../../shared/rpc';
import { InputError, toErrorBody } from '../errors';
import { inBackground } from '../event-loop';
import type { RpcHandlers } from './handlers';

/**
 * Actions that are long work, not an answer someone waits on slice by slice: they run as
 * background work (event-loop.ts), so their slices step back for a till's post or a grid page
 * that arrives meanwhile. Every transport answers its calls in the foreground, and work started
 * there would otherwise never step back: under a 1M-line export, a master-data refresh and a
 * sync run, a single POST waited up to a second.
 */
export const BACKGROUND_ACTIONS: ReadonlySet<RpcName> = new Set<RpcName>([
  'diagnostics.create',
  'drafts.import',
  'drafts.paste',
  'drafts.post',
  'export.xlsx',
  'ledger.integrityCheck',
  'masterData.refresh',
  'settings.loadImportProfile',
  'sync.initialize',
  'sync.run',
  'sync.tenantCheck',
]);

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
    const run = async () => handler(parsed.data);
    return { ok: true, value: await (BACKGROUND_ACTIONS.has(name) ? inBackground(run) : run()) };
  } catch (error) {
    const body = toErrorBody(error);
    if (body.code === 'internal') log(error);
    return { ok: false, error: body };
  }
}
