import type { RpcName } from '../../shared/rpc';
import type { ApprovalService } from '../approvals/service';
import type { ReasonService } from '../reasons/service';
import { acting, type CallContext, type RpcHandlers } from './context';

/** The RPCs of reason codes and of lines waiting for a manager. */
export type ApprovalRpc = Extract<RpcName, `reasons.${string}` | `approvals.${string}`>;

/** The manager deciding: the one signed in, or the one whose PIN or badge came with the call. */
const manager = (ctx: CallContext) => ctx.approvedBy ?? acting(ctx);

export function approvalHandlers(deps: {
  reasons: ReasonService;
  approvals: ApprovalService;
}): Pick<RpcHandlers, ApprovalRpc> {
  const { reasons, approvals } = deps;
  return {
    'reasons.list': () => reasons.list(),
    'reasons.upsert': (input, ctx) => reasons.upsert(manager(ctx), input),
    'approvals.list': () => approvals.list(),
    'approvals.count': () => ({ waiting: approvals.waiting() }),
    'approvals.approve': ({ heldId }, ctx) => approvals.approve(heldId, manager(ctx)),
    'approvals.refuse': ({ heldId, reason }, ctx) => approvals.refuse(heldId, manager(ctx), reason),
  };
}
