import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../../src/main/api/local-server';
import { type ApiFixture, startApi } from '../helpers/layer';

let f: ApiFixture;
let server: LocalServer;
const sockets: net.Socket[] = [];
beforeAll(async () => {
  f = await startApi();
  server = await startLocalServer(f.layer, {
    port: 0,
    log: () => {},
    limits: { maxConnections: 20, headersTimeoutMs: 400, keepAliveTimeoutMs: 300 },
  });
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

function openOnServer(): Promise<number> {
  return new Promise((resolve, reject) =>
    server.server.getConnections((error, n) => (error ? reject(error) : resolve(n))),
  );
}

function closed(socket: net.Socket): Promise<number> {
  const start = performance.now();
  return new Promise((resolve) => {
    if (socket.destroyed) resolve(0);
    socket.once('close', () => resolve(performance.now() - start));
  });
}

describe('connection limits', () => {
  it('answers 503 with Retry-After past the cap of open sockets, and serves again once they are gone', async () => {
    // Sockets that are mid-request (headers begun, never finished) are not idle: they hold their place.
    const held = await Promise.all(Array.from({ length: 20 }, () => connect()));
    for (const s of held) s.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // The server must have accepted all twenty before the newcomer knocks.
    while ((await openOnServer()) < 20) await new Promise((r) => setTimeout(r, 10));
    const res = await fetch(`${server.baseUrl}/health`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /too many open connections/,
    );
    // Half-sent headers are cut at the headers timeout, and the server serves again.
    await Promise.all(held.map(closed));
    const again = await fetch(`${server.baseUrl}/health`);
    expect(again.status).toBe(200);
  });

  it('closes a socket that never sends a byte after the headers timeout', async () => {
    const idle = await connect();
    const ms = await closed(idle);
    expect(ms).toBeGreaterThan(300);
    expect(ms).toBeLessThan(3_000);
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
});
