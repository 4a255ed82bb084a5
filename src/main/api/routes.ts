/**
 * The local API's route table, shared by the adjustment API and the store API: a route is a
 * method, a path under `/api/environment/{id}/transaction` and a handler; actions the UI has too
 * go through the RPC handler table, so both transports validate and answer alike.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RpcErrorBody, RpcName } from '../../shared/rpc';
import type { BusinessLayer } from '../business-layer';
import type { AppError } from '../errors';
import { inForeground } from '../event-loop';
import { STORAGE_RETRY_AFTER_S } from '../ledger/health';
import type { Actor } from '../people/actor';
import { dispatch, refusalOf } from '../rpc/dispatch';
import { sendError, sendJson } from './http';
import { HttpError } from './http-error';

export const STATUS_BY_CODE: Record<AppError['code'], number> = {
  invalid_input: 400,
  too_large: 413,
  needs_confirmation: 409,
  needs_approval: 409,
  not_found: 404,
  conflict: 409,
  feature_disabled: 403,
  not_configured: 409,
  signed_out: 401,
  forbidden: 403,
  locked_out: 429,
  unavailable: 503,
  internal: 500,
};

/** The one HTTP answer of a business-layer error: its code's status, its words and its fields. */
export function httpErrorOf(error: RpcErrorBody): HttpError {
  return new HttpError(
    STATUS_BY_CODE[error.code],
    error.message,
    error.errors,
    error.code === 'unavailable' ? { 'retry-after': String(STORAGE_RETRY_AFTER_S) } : {},
  );
}

export interface RouteContext {
  layer: BusinessLayer;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The path's captured IDs, decoded. */
  ids: string[];
  /** The store system whose API key the request carries: its role is checked like a person's. */
  system: Actor;
}

export interface Route {
  method: 'GET' | 'POST';
  path: RegExp;
  /**
   * The action this route is, in the one role table (shared/rpc-roles.ts): the key's role is
   * checked against it before the route reads its body, whether or not the route then goes
   * through dispatch (which checks again). A route cannot be added without saying it.
   */
  rpc: RpcName;
  handle: (ctx: RouteContext) => Promise<void> | void;
  /**
   * Long work nobody stands waiting on (an export, a large bulk, a file import): answered in the
   * background, so it steps back for the requests that are (event-loop.ts). The others are
   * answered in the foreground.
   */
  background?: (req: IncomingMessage) => boolean;
}

/** Always in the background. */
export const ALWAYS = (): boolean => true;

/** A body past this many bytes (or of no declared length) is a large bulk, not a till's line. */
const SMALL_BODY_BYTES = 64 * 1024;
export const LARGE_BODY = (req: IncomingMessage): boolean =>
  Number(req.headers['content-length'] ?? Number.POSITIVE_INFINITY) > SMALL_BODY_BYTES;

/**
 * Runs a route's handler in the foreground or the background, as the route says, once the key's
 * role may do what the route does (a refusal is a 403 naming the role it needs).
 */
export function handleRoute(route: Route, ctx: RouteContext): Promise<void> {
  if (refused(ctx, route.rpc)) return Promise.resolve();
  if (route.background?.(ctx.req)) return Promise.resolve(route.handle(ctx));
  return inForeground(async () => route.handle(ctx));
}

/**
 * Answers the key's refusal for this action (a 403 naming the role it needs) and says so; the
 * refusal goes through dispatch's check, so the audit trail records it like any other.
 */
export function refused(ctx: Pick<RouteContext, 'layer' | 'res' | 'system'>, name: RpcName): boolean {
  const reply = refusalOf(ctx.layer, name, { session: null, system: ctx.system });
  if (!reply || reply.ok) return false;
  sendError(ctx.res, httpErrorOf(reply.error));
  return true;
}

/**
 * Actions shared with the UI go through the same handler table, role check and validation, as
 * the key's system.
 */
export async function rpcAsHttp(
  ctx: Pick<RouteContext, 'layer' | 'res' | 'system'>,
  name: RpcName,
  input: unknown,
): Promise<void> {
  const { layer, res, system } = ctx;
  const reply = await dispatch(layer, name, input, { session: null, system });
  if (reply.ok) sendJson(res, 200, reply.value);
  else sendError(res, httpErrorOf(reply.error));
}
