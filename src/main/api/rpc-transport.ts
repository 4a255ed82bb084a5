import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RpcEventName } from '../../shared/rpc';
import { fileLimitOf } from '../../shared/rpc';
import type { BusinessLayer } from '../business-layer';
import { inForeground } from '../event-loop';
import { type Caller, dispatch, refusalOf } from '../rpc/dispatch';
import { readJsonBody, sendJson } from './http';
import { HttpError } from './http-error';
import { readUpload } from './upload';

export const RPC_TOKEN_HEADER = 'x-store-ledger-token';
/**
 * The person signed in on this browser tab: a server-side session's token, sent with each call
 * and answered in this header when the call signed someone in (or out: empty). Like the run's
 * token it is a custom header, never a cookie.
 */
export const SESSION_HEADER = 'x-store-ledger-session';

/**
 * The RPC table over HTTP, for the browser shell. Every call carries the per-run token
 * in a custom header (never a cookie): a browser only sends a custom header cross-origin
 * after a CORS preflight, which this server never grants, so other pages cannot drive it.
 */
export async function handleRpc(
  layer: BusinessLayer,
  token: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (!url.pathname.startsWith('/rpc/')) return false;
  const given = req.headers[RPC_TOKEN_HEADER];
  if (typeof given !== 'string' || !sameSecret(given, token)) {
    throw new HttpError(
      401,
      'This UI session is not valid any more: open the address Store Ledger printed at start',
    );
  }
  if (url.pathname === '/rpc/events') {
    if (req.method !== 'GET') throw new HttpError(405, 'Use GET for events', undefined, { allow: 'GET' });
    streamEvents(layer, req, res);
    return true;
  }
  if (req.method !== 'POST') throw new HttpError(405, 'Use POST for actions', undefined, { allow: 'POST' });
  const name = decodeURIComponent(url.pathname.slice('/rpc/'.length));
  const session = req.headers[SESSION_HEADER];
  let bound: string | null | undefined;
  const caller: Caller = {
    session: typeof session === 'string' && session !== '' ? session : null,
    bind: (token) => {
      bound = token;
    },
  };
  // An upload from someone who may not send it is refused before it is read. A JSON input is
  // read first: it may carry a manager's override beside it, which dispatch checks (a clerk's
  // Apply or Save approved on the spot would otherwise be refused here before the PIN is seen).
  const refused = fileLimitOf(name) ? refusalOf(layer, name, caller) : null;
  if (refused) {
    req.resume();
    // The unread body is drained, not kept: the socket closes after the answer.
    sendJson(res, 200, refused, { connection: 'close' });
    return true;
  }
  const reply = await inForeground(async () => dispatch(layer, name, await readInput(name, req), caller));
  // An answered action is a 200 whatever its outcome (like JSON-RPC): the UI reads `ok`, and a
  // refused input is not a failed request. Only a fault of Store Ledger itself is a 500.
  sendJson(
    res,
    !reply.ok && reply.error.code === 'internal' ? 500 : 200,
    reply,
    bound === undefined ? {} : { [SESSION_HEADER]: bound ?? '' },
  );
  return true;
}

/** An action's input: JSON, or for an action that takes a file, the file as the body (upload.ts). */
function readInput(name: string, req: IncomingMessage): Promise<unknown> {
  return fileLimitOf(name) ? readUpload(name, req) : readJsonBody(req);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Server-sent events: the same pushed events Electron sends over IPC. */
function streamEvents(layer: BusinessLayer, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-content-type-options': 'nosniff',
  });
  res.write(': connected\n\n');
  const send = (event: RpcEventName) => (data: unknown) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const onStatus = send('sync.status');
  const onChanged = send('ledger.changed');
  layer.events.on('sync.status', onStatus);
  layer.events.on('ledger.changed', onChanged);
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), 20_000);
  heartbeat.unref();
  const close = () => {
    clearInterval(heartbeat);
    layer.events.off('sync.status', onStatus);
    layer.events.off('ledger.changed', onChanged);
  };
  req.on('close', close);
  res.on('close', close);
}
