// HTTP routing, fault injection around the handlers, and a listener that can be
// stopped and started again on the same port without losing state.
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleAdmin } from './admin';
import { entraToken, IV_TOKEN_REDIRECT_PATH, ivTokenExchange } from './auth';
import type { Fault } from './faults';
import { type EmuRequest, ivError, odataError, type Reply, readBody, reply, writeReply } from './http';
import { ivBulk, ivExactQuery, ivOnHand } from './iv';
import { ivAllPartitionIds, ivCleanupAll, ivCleanupPartitions, ivHardUpdate } from './iv-housekeeping';
import { scmEnqueue, scmExecutionErrors, scmJobStatus, scmOData } from './scm-http';
import type { EmulatorState } from './state';
import type { EmulatorAdmin, FaultEndpoint } from './types';

type Endpoint = Exclude<FaultEndpoint, '*'>;

interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  endpoint?: Endpoint;
  handle(req: EmuRequest, params: string[]): Reply | Promise<Reply>;
}

const seg = '([^/]+)';

/** An IV route: IV is ASP.NET, whose routing matches paths without regard to case and takes a trailing slash. */
const ivRoute = (path: string) => new RegExp(`^/iv${path}/?$`, 'i');

function routes(s: EmulatorState): Route[] {
  const p = (n: number, params: string[]) => decodeURIComponent(params[n] ?? '');
  return [
    {
      method: 'POST',
      pattern: new RegExp(`^/entra/${seg}/oauth2/v2\\.0/token$`),
      endpoint: 'entra',
      handle: (req, params) => entraToken(s, req, p(0, params)),
    },
    {
      method: 'POST',
      pattern: /^\/ivsec\/token$/,
      endpoint: 'ivToken',
      handle: (req) => ivTokenExchange(s, req, false),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${IV_TOKEN_REDIRECT_PATH.replaceAll('/', '\\/')}$`),
      endpoint: 'ivToken',
      handle: (req) => ivTokenExchange(s, req, true),
    },
    { method: 'GET', pattern: ivRoute('/health/ping'), handle: () => reply(200, { status: 'Healthy' }) },
    {
      method: 'POST',
      pattern: ivRoute(`/api/environment/${seg}/onhand/bulk`),
      endpoint: 'ivBulk',
      handle: (req, params) => ivBulk(s, req, p(0, params)),
    },
    {
      method: 'POST',
      pattern: ivRoute(`/api/environment/${seg}/onhand`),
      endpoint: 'ivBulk',
      handle: (req, params) => ivOnHand(s, req, p(0, params)),
    },
    {
      method: 'POST',
      pattern: ivRoute(`/api/environment/${seg}/onhand/exactquery`),
      endpoint: 'ivQuery',
      handle: (req, params) => ivExactQuery(s, req, p(0, params)),
    },
    {
      method: 'GET',
      pattern: ivRoute(`/api/environment/${seg}/allpartitionids`),
      handle: (req, params) => ivAllPartitionIds(s, req, p(0, params)),
    },
    {
      method: 'DELETE',
      pattern: ivRoute(`/api/environment/${seg}/partitions/cleanupalldata`),
      handle: (req, params) => ivCleanupPartitions(s, req, p(0, params)),
    },
    {
      method: 'DELETE',
      pattern: ivRoute(`/api/environment/${seg}/cleanupalldata`),
      handle: (req, params) => ivCleanupAll(s, req, p(0, params)),
    },
    {
      method: 'POST',
      pattern: ivRoute(`/api/environment/${seg}/configuration/hardupdate`),
      handle: (req, params) => ivHardUpdate(s, req, p(0, params)),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/scm/api/connector/enqueue/${seg}$`),
      endpoint: 'scmEnqueue',
      handle: (req, params) => scmEnqueue(s, req, p(0, params)),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/scm/api/connector/jobstatus/${seg}$`),
      endpoint: 'scmJobStatus',
      handle: (req, params) => scmJobStatus(s, req, p(0, params)),
    },
    {
      method: 'POST',
      pattern:
        /^\/scm\/data\/DataManagementDefinitionGroups\/Microsoft\.Dynamics\.DataEntities\.GetExecutionErrors$/,
      endpoint: 'scmExecutionErrors',
      handle: (req) => scmExecutionErrors(s, req),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/scm/data/${seg}$`),
      endpoint: 'scmOData',
      handle: (req, params) => scmOData(s, req, p(0, params)),
    },
  ];
}

/** The answer a 429/500/403 fault gives, in the shape of the service it stands in for. */
function faultReply(endpoint: Endpoint, fault: Fault): Reply {
  if (fault.kind === '403') {
    const forbidden = 'Forbidden (injected fault): the application is not authorized for this resource.';
    return endpoint.startsWith('scm') ? odataError(403, forbidden) : ivError(403, forbidden);
  }
  const status = fault.kind === '429' ? 429 : 500;
  const headers: Record<string, string> =
    status === 429 ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
  const message =
    status === 429
      ? `Too many requests (injected fault). Retry after ${fault.retryAfterSeconds} second(s).`
      : 'Internal server error (injected fault).';
  if (endpoint === 'entra') {
    return reply(
      status,
      { error: status === 429 ? 'temporarily_unavailable' : 'server_error', error_description: message },
      headers,
    );
  }
  const r = endpoint.startsWith('scm') ? odataError(status, message) : ivError(status, message);
  return { ...r, headers };
}

export function createRequestHandler(s: EmulatorState, admin: EmulatorAdmin): RequestListener {
  const table = routes(s);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', s.url);
    const method = req.method ?? 'GET';
    const request = (body: Buffer): EmuRequest => ({ method, url, headers: req.headers, body });
    const path = url.pathname;

    if (path.startsWith('/admin/')) {
      writeReply(res, await handleAdmin(admin, request(await readBody(req)), path));
      return;
    }
    let params: string[] = [];
    const route = table.find((r) => {
      const m = r.pattern.exec(path);
      if (m) params = m.slice(1);
      return m !== null;
    });
    if (!route) {
      await readBody(req);
      writeReply(res, reply(404, { error: `No route for ${method} ${path}.` }));
      return;
    }
    if (route.method !== method) {
      await readBody(req);
      writeReply(res, {
        ...reply(405, { error: `${method} is not allowed on ${path}.` }),
        headers: { allow: route.method },
      });
      return;
    }
    const fault = route.endpoint ? s.faults.decide(route.endpoint) : null;
    if (fault) s.counters.faultsInjected++;
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    // hang: never answer; the socket stays open until the client gives up or the listener stops.
    if (fault?.kind === 'hang') return;
    const body = await readBody(req);
    if (s.settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, s.settings.latencyMs));
    if (route.endpoint && (fault?.kind === '429' || fault?.kind === '500' || fault?.kind === '403')) {
      writeReply(res, faultReply(route.endpoint, fault));
      return;
    }
    const answer = await route.handle(request(body), params);
    if (fault?.kind === 'lost') {
      req.socket.destroy();
      return;
    }
    writeReply(res, answer);
  };

  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return;
      writeReply(res, reply(500, { error: `Emulator error: ${(err as Error).message}` }));
    });
  };
}

/** An http.Server that can be closed (dropping every socket) and listened again on the same port. */
export class Listener {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly handler: RequestListener) {}

  get listening(): boolean {
    return this.server !== null;
  }

  async listen(port: number): Promise<number> {
    if (this.server) return this.port;
    const server = createServer(this.handler);
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }
}
