import { fieldErrors } from '../../shared/adjustment';
import { type RpcErrorBody, type RpcName, rpcInputs } from '../../shared/rpc';
import { approverOf, authorizeApproved, type OverrideVerifier, splitOverride } from '../approvals/override';
import type { AuditCall } from '../audit/trail';
import { AppError, InputError, toErrorBody } from '../errors';
import { inBackground } from '../event-loop';
import { authorize, type Resolved } from '../people/access';
import type { Actor, Caller } from '../people/actor';
import type { RpcHandlers } from './context';

export type { Caller } from '../people/actor';

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
  'audit.verify',
  'audit.export',
  'masterData.refresh',
  'settings.loadImportProfile',
  'sync.initialize',
  'sync.run',
  'sync.tenantCheck',
]);

export type RpcReply = { ok: true; value: unknown } | { ok: false; error: RpcErrorBody };

/** What dispatch needs of the business layer: the handler table, and who is acting on a call. */
export interface RpcTable {
  handlers: RpcHandlers;
  people: { resolve(caller: Caller): Resolved } & Partial<OverrideVerifier>;
  /** The audit trail (audit/trail.ts): told of every call, it records what changes and what was refused. */
  audit?: { begin(name: RpcName, actor: Actor | null, input: unknown): AuditCall };
}

export function isRpcName(name: string): name is RpcName {
  return Object.hasOwn(rpcInputs, name);
}

/**
 * The caller's refusal for this action, or null: a transport asks before it reads the input, so
 * a file sent by someone who may not send it is never read.
 */
export function refusalOf(rpc: RpcTable, name: string, caller: Caller): RpcReply | null {
  if (!isRpcName(name)) return null;
  let resolved: Resolved | undefined;
  try {
    resolved = rpc.people.resolve(caller);
    authorize(resolved, name);
    return null;
  } catch (error) {
    const body = toErrorBody(error);
    // Refused before its input was read: recorded as a refusal without a target (the write
    // takes its turn after any open bulk; the refusal is answered meanwhile).
    void rpc.audit?.begin(name, resolved?.actor ?? null, undefined).end({ ok: false, code: body.code });
    return { ok: false, error: body };
  }
}

/**
 * Every RPC, whichever transport carried it (IPC, the browser's HTTP, the store API's routes):
 * the caller's role is checked against the one table (shared/rpc-roles.ts) before anything else
 * (a refusal names the role it needs), the input is validated with the contract's schema (never
 * trust the renderer), the handler runs as the actor, and any error becomes plain data before it
 * crosses a process boundary.
 */
export async function dispatch(
  rpc: RpcTable,
  name: string,
  input: unknown,
  caller: Caller,
  log: (error: unknown) => void = console.error,
): Promise<RpcReply> {
  if (!isRpcName(name))
    return { ok: false, error: { code: 'not_found', message: `Unknown action '${name}'` } };
  let call: AuditCall | undefined;
  try {
    // A manager's PIN or badge sent beside the input approves this one call (approvals/override.ts);
    // only for someone signed in: nobody's call never spends a manager's PIN attempt. The audit
    // sees the input without it: a PIN is never recorded.
    const split = splitOverride(input);
    const resolved = rpc.people.resolve(caller);
    call = rpc.audit?.begin(name, resolved.actor, split.input);
    if (split.override !== undefined && !resolved.actor) throw new AppError('signed_out', resolved.why);
    const approvedBy =
      split.override === undefined ? null : await approverOf(rpc.people, split.override, name);
    if (approvedBy) call?.approvedBy(approvedBy);
    const actor = authorizeApproved(resolved, name, approvedBy);
    const parsed = rpcInputs[name].safeParse(split.input ?? {});
    if (!parsed.success) {
      await call?.end({ ok: false, code: 'invalid_input' });
      return {
        ok: false,
        error: new InputError('The request is not valid', fieldErrors(parsed.error)).toBody(),
      };
    }
    const handler = rpc.handlers[name] as (input: unknown, ctx: unknown) => unknown;
    const run = async () => handler(parsed.data, { actor, caller, approvedBy });
    const audited = call ? () => call!.within(run) : run;
    const value = await (BACKGROUND_ACTIONS.has(name) ? inBackground(audited) : audited());
    await call?.end({ ok: true, value });
    return { ok: true, value };
  } catch (error) {
    const body = toErrorBody(error);
    if (body.code === 'internal') log(error);
    await call?.end({ ok: false, code: body.code });
    return { ok: false, error: body };
  }
}
