/**
 * The local API's route table, shared by the adjustment API and the store API: a route is a
 * method, a path under `/api/environment/{id}/transaction` and a handler; actions the UI has too
 * go through the RPC handler table, so both transports validate and answer alike.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RpcName } from '../../shared/rpc';
import type { BusinessLayer } from '../business-layer';
import type { AppError } from '../errors';
import { STORAGE_RETRY_AFTER_S } from '../ledger/health';
import { dispatch } from '../rpc/dispatch';
import { sendJson } from './http';

export const STATUS_BY_CODE: Record<AppError['code'], number> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  feature_disabled: 403,
  not_configured: 409,
  unavailable: 503,
  internal: 500,
};

export interface RouteContext {
  layer: BusinessLayer;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The path's captured IDs, decoded. */
  ids: string[];
}

export interface Route {
  method: 'GET' | 'POST';
  path: RegExp;
  handle: (ctx: RouteContext) => Promise<void> | void;
}

/** Actions shared with the UI go through the same handler table and validation. */
export async function rpcAsHttp(
  layer: BusinessLayer,
  res: ServerResponse,
  name: RpcName,
  input: unknown,
): Promise<void> {
  const reply = await dispatch(layer.handlers, name, input);
  if (reply.ok) sendJson(res, 200, reply.value);
  else
    sendJson(
      res,
      STATUS_BY_CODE[reply.error.code],
      {
        error: { message: reply.error.message },
        ...(reply.error.errors && { errors: reply.error.errors }),
      },
      reply.error.code === 'unavailable' ? { 'retry-after': String(STORAGE_RETRY_AFTER_S) } : {},
    );
}
