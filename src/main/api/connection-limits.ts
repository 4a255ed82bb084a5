import type http from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** Open sockets at once; past it a new one is told 503 and closed. */
  maxConnections: number;
  /** A request's headers must arrive within this; a socket that sends nothing is closed after it too. */
  headersTimeoutMs: number;
  /** A whole request (headers and body) must arrive within this. */
  requestTimeoutMs: number;
  /** An idle keep-alive socket is closed after this. */
  keepAliveTimeoutMs: number;
  maxHeaderSize: number;
}

/**
 * Well above what a store uses (a few POS and e-commerce feeds, the UI's event stream)
 * and well below a process's file-descriptor limit, so a flood of idle sockets can
 * never starve the ledger, the logs or the sync of descriptors.
 */
export const DEFAULT_LIMITS: ConnectionLimits = {
  maxConnections: 256,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderSize: 16 * 1024,
};

export const OVER_CAPACITY_RETRY_AFTER_S = 2;

const OVER_CAPACITY_BODY = JSON.stringify({
  error: {
    message:
      'Store Ledger has too many open connections right now; nothing was read. Send again in a moment, and reuse connections (keep-alive).',
  },
});
const OVER_CAPACITY_RESPONSE =
  'HTTP/1.1 503 Service Unavailable\r\n' +
  'Content-Type: application/json; charset=utf-8\r\n' +
  `Content-Length: ${Buffer.byteLength(OVER_CAPACITY_BODY)}\r\n` +
  `Retry-After: ${OVER_CAPACITY_RETRY_AFTER_S}\r\n` +
  'Connection: close\r\n\r\n' +
  OVER_CAPACITY_BODY;

/** Node's per-connection limits, as server options. */
export function serverOptions(limits: ConnectionLimits): http.ServerOptions {
  return {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxHeaderSize: limits.maxHeaderSize,
    // How often Node looks for requests past their headers/request timeouts.
    connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
  };
}

/**
 * Caps open sockets. Over the cap, idle keep-alive sockets are closed first (their
 * clients simply reconnect); if that frees nothing, the newcomer gets a plain 503 with
 * Retry-After and is closed, before any of its bytes are parsed. A socket that sends
 * nothing at all is closed after the headers timeout, so idle sockets cannot pile up.
 */
export function capConnections(server: http.Server, limits: ConnectionLimits): void {
  const open = new Set<Socket>();
  const refused = new WeakSet<Socket>();
  const live = () => {
    let n = 0;
    for (const s of open) if (!s.destroyed) n++;
    return n;
  };
  server.prependListener('connection', (socket: Socket) => {
    if (live() >= limits.maxConnections) server.closeIdleConnections();
    if (live() >= limits.maxConnections) {
      refused.add(socket);
      socket.on('error', () => {});
      socket.end(OVER_CAPACITY_RESPONSE);
      socket.destroySoon();
      return;
    }
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    socket.setTimeout(limits.headersTimeoutMs, () => socket.destroy());
  });
  // The first request proves the socket is a client: from then on Node's own timeouts govern it
  // (keep-alive idle, request time), and long answers such as event streams are not cut.
  server.prependListener('request', (req: http.IncomingMessage) => {
    if (refused.has(req.socket)) {
      req.socket.destroy();
      return;
    }
    req.socket.setTimeout(0);
  });
}
