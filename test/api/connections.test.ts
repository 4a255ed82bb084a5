import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../../src/main/api/local-server';
import { API_KEY, type ApiFixture, ENV_ID, seedLine, startApi } from '../helpers/layer';

let f: ApiFixture;
let server: LocalServer;
const sockets: net.Socket[] = [];
beforeAll(async () => {
  f = await startApi();
  server = await startLocalServer(f.layer, {
    port: 0,
    log: () => {},
    // First-byte time well above a loaded machine's scheduling delay: a held socket whose bytes the
    // server reads late must not be closed as silent (that left the first test waiting forever).
    limits: {
      maxConnections: 20,
      headersTimeoutMs: 1_500,
      firstByteTimeoutMs: 1_500,
      keepAliveTimeoutMs: 300,
    },
  });
});
// A test that fails midway must not leave its sockets holding the next test's slots.
afterEach(async () => {
  const left = sockets.splice(0).filter((s) => !s.destroyed);
  for (const s of left) s.destroy();
  await Promise.all(left.map((s) => new Promise((resolve) => s.once('close', resolve))));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await server.close();
  await f.close();
});

function connect(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

function connectionsOf(target: LocalServer): Promise<number> {
  return new Promise((resolve, reject) =>
    target.server.getConnections((error, n) => (error ? reject(error) : resolve(n))),
  );
}

/** Waits until the server holds `n` sockets, or says how many it holds after 10 s. */
async function untilOpen(target: LocalServer, n: number): Promise<void> {
  const until = performance.now() + 10_000;
  let open = await connectionsOf(target);
  while (open < n) {
    if (performance.now() > until) throw new Error(`the server holds ${open} sockets, not ${n}`);
    await new Promise((r) => setTimeout(r, 10));
    open = await connectionsOf(target);
  }
}

function closed(socket: net.Socket): Promise<number> {
  const start = performance.now();
  return new Promise((resolve) => {
    if (socket.destroyed) resolve(0);
    socket.once('close', () => resolve(performance.now() - start));
  });
}

describe('connection limits', () => {
  it('answers 503 with Retry-After past the cap when every socket is a client at work, and serves again once they are gone', async () => {
    // Sockets in the middle of a request (headers sent, body still coming) are clients at work:
    // they hold their place. Each asks `Expect: 100-continue`, so its "100 Continue" says the
    // server has read its headers (Node answers it as it hands the request on): accepted but not
    // yet read, a socket would still count as silent, and a loaded machine reads late.
    const held = await Promise.all(Array.from({ length: 20 }, () => connect()));
    const going = held.map(
      (s) =>
        new Promise<void>((resolve) => {
          let seen = '';
          const onData = (chunk: Buffer) => {
            seen += chunk.toString('latin1');
            if (!seen.includes('100 Continue')) return;
            s.off('data', onData);
            resolve();
          };
          s.on('data', onData);
        }),
    );
    for (const s of held)
      s.write(
        `POST /api/environment/${ENV_ID}/transaction/adjustment/bulk HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n`,
      );
    try {
      await untilOpen(server, 20);
      await Promise.all(going);
    } catch (error) {
      for (const s of held) s.destroy();
      throw error;
    }
    for (const s of held) s.write('[');
    const res = await fetch(`${server.baseUrl}/health`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /too many open connections/,
    );
    // They are let go, and the server serves again.
    for (const s of held) s.destroy();
    await Promise.all(held.map(closed));
    const again = await fetch(`${server.baseUrl}/health`);
    expect(again.status).toBe(200);
  });

  it('closes a socket that never sends a byte after the first-byte timeout', async () => {
    const idle = await connect();
    const ms = await closed(idle);
    expect(ms).toBeGreaterThan(1_200);
    expect(ms).toBeLessThan(6_000);
  });

  it('refuses headers past the size limit with 431', async () => {
    const res = await fetch(`${server.baseUrl}/health`, { headers: { 'x-big': 'a'.repeat(20_000) } });
    expect(res.status).toBe(431);
  });

  it('closes idle keep-alive sockets first when the cap is reached, so clients that reuse connections are not refused', async () => {
    const idle = await Promise.all(Array.from({ length: 20 }, () => connect()));
    // A finished request leaves each socket idle in keep-alive.
    await Promise.all(
      idle.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.once('data', () => resolve());
            s.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
          }),
      ),
    );
    const res = await fetch(`${server.baseUrl}/health`);
    expect(res.status).toBe(200);
  });

  it.each([
    ['a small cap', 20, 30],
    ['the default cap of 256', 256, 300],
  ] as const)(
    "lets a till post while idle sockets, reopened as they close, hold every slot (%s): each newcomer takes a silent socket's place",
    async (_what, cap, silent) => {
      const target = cap === 20 ? server : f.server;
      let flooding = true;
      const flood: net.Socket[] = [];
      const open = () => {
        if (!flooding) return;
        const socket = net.connect(target.port, '127.0.0.1');
        socket.on('error', () => {});
        socket.on('close', () => setImmediate(open));
        flood.push(socket);
      };
      // Half again as many silent sockets as the cap: every slot held, reopened as soon as one closes.
      for (let i = 0; i < silent; i++) open();
      const statuses: number[] = [];
      try {
        await untilOpen(target, cap);
        for (let i = 0; i < 10; i++) {
          const res = await fetch(`${target.baseUrl}/api/environment/${ENV_ID}/transaction/adjustment/bulk`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${API_KEY}`,
              'content-type': 'application/json',
              connection: 'close',
            },
            body: JSON.stringify(seedLine({ id: `till-${cap}-${i}` })),
          });
          statuses.push(res.status);
        }
      } finally {
        flooding = false;
        for (const s of flood) s.destroy();
      }
      expect(statuses).toEqual(Array(10).fill(200));
    },
  );
});
