import type http from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** Open sockets at once; past it a new one is told 503 and closed. */
  maxConnections: number;
  /** A request's headers must arrive within this. */
  headersTimeoutMs: number;
  /**
   * A new socket must send its first byte within this, or it is closed: a local client writes its
   * request at once, so a socket that sends nothing is holding a slot, not waiting to speak.
   */
  firstByteTimeoutMs: number;
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
  firstByteTimeoutMs: 2_000,
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
 * Caps open sockets, fairly. A socket proves it is a client with its first request; until then
 * it is only holding a slot. Over the cap, idle keep-alive sockets are closed first (their clients
 * simply reconnect), then the oldest socket that has not sent a request yet, so a flood of idle
 * sockets, reopened as they close, can never keep a till's post out: each newcomer takes the slot
 * of a silent socket. Only when every socket is a client at work is the newcomer refused (503
 * with Retry-After, before any of its bytes are parsed). A socket that sends nothing at all is
 * closed after `firstByteTimeoutMs`. (Everything here is loopback: a limit per peer address would
 * limit every local program alike.)
 */
export function capConnections(server: http.Server, limits: ConnectionLimits): void {
  /** Open sockets, oldest first, and whether each has sent a request. */
  const open = new Map<Socket, { proven: boolean }>();
  const refused = new WeakSet<Socket>();
  const live = () => {
    let n = 0;
    for (const s of open.keys()) if (!s.destroyed) n++;
    return n;
  };
  const evictSilent = (): boolean => {
    for (const [socket, state] of open)
      if (!state.proven && !socket.destroyed) {
        socket.destroy();
        open.delete(socket);
        return true;
      }
    return false;
  };
  server.prependListener('connection', (socket: Socket) => {
    if (live() >= limits.maxConnections) server.closeIdleConnections();
    if (live() >= limits.maxConnections) evictSilent();
    if (live() >= limits.maxConnections) {
      refused.add(socket);
      socket.on('error', () => {});
      socket.end(OVER_CAPACITY_RESPONSE);
      socket.destroySoon();
      return;
    }
    const state = { proven: false };
    open.set(socket, state);
    socket.once('close', () => open.delete(socket));
    // Silent past the first-byte time: closed; once bytes come, the headers time governs.
    socket.setTimeout(limits.firstByteTimeoutMs, () => socket.destroy());
    socket.once('data', () => {
      if (!state.proven) socket.setTimeout(limits.headersTimeoutMs, () => socket.destroy());
    });
  });
  // The first request proves the socket is a client: from then on Node's own timeouts govern it
  // (keep-alive idle, request time), and long answers such as event streams are not cut.
  server.prependListener('request', (req: http.IncomingMessage) => {
    if (refused.has(req.socket)) {
      req.socket.destroy();
      return;
    }
    const state = open.get(req.socket);
    if (state) state.proven = true;
    req.socket.setTimeout(0);
  });
}
