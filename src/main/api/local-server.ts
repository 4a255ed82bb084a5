import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BusinessLayer } from '../business-layer';
import { AppError } from '../errors';
import { STORAGE_MESSAGES, STORAGE_RETRY_AFTER_S } from '../ledger/health';
import { handleAdjustmentApi } from './adjustment-api';
import { type ConnectionLimits, capConnections, DEFAULT_LIMITS, serverOptions } from './connection-limits';
import { handleDownload } from './download-route';
import { checkAddress, checkLoopbackHost, sendError, sendJson } from './http';
import { HttpError } from './http-error';
import { httpErrorOf } from './routes';
import { handleRpc } from './rpc-transport';
import { serveStatic } from './static-files';

export const DEFAULT_PORT = 7780;

export interface LocalServerOptions {
  port?: number;
  /** Headless only: the RPC table over HTTP, guarded by this per-run token. */
  rpcToken?: string;
  /** Headless only: the built renderer to serve. */
  rendererDir?: string;
  log?: (message: string, detail?: unknown) => void;
  /** Tests lower them; stores keep the defaults. */
  limits?: Partial<ConnectionLimits>;
}

export interface LocalServer {
  server: http.Server;
  port: number;
  baseUrl: string;
  /** Stops accepting, lets requests in flight finish, then closes idle connections. */
  close(): Promise<void>;
}

/** The loopback listener: the adjustment API always; RPC and the UI in headless mode. */
export async function startLocalServer(
  layer: BusinessLayer,
  options: LocalServerOptions = {},
): Promise<LocalServer> {
  const log = options.log ?? ((message, detail) => console.error(message, detail ?? ''));
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      checkLoopbackHost(req);
      checkAddress(req);
      if (await handleAdjustmentApi(layer, req, res)) return;
      if (options.rpcToken && (await handleRpc(layer, options.rpcToken, req, res))) return;
      if (options.rpcToken && (await handleDownload(layer, req, res))) return;
      if (options.rendererDir) return serveStatic(options.rendererDir, req, res);
      throw new HttpError(404, 'Not found');
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) return sendError(res, error);
      if (error instanceof AppError) return sendError(res, httpErrorOf(error.toBody()));
      const fault = layer.health.report(error);
      if (fault) {
        // 507 Insufficient Storage says what happened; Retry-After says when to send again.
        return sendJson(
          res,
          fault === 'disk_full' ? 507 : 503,
          { error: { message: STORAGE_MESSAGES[fault] } },
          { 'retry-after': String(STORAGE_RETRY_AFTER_S) },
        );
      }
      log('Unexpected error while answering a request', error);
      sendJson(res, 500, {
        error: { message: 'Store Ledger could not answer this request; the details are in its log.' },
      });
    }
  };
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const server = http.createServer(serverOptions(limits), (req, res) => {
    if (req.socket.destroyed) return;
    void handle(req, res);
  });
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  capConnections(server, limits);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  layer.apiBaseUrl = `${baseUrl}/api/environment/{environmentId}/transaction`;
  return {
    server,
    port,
    baseUrl,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Event streams never end by themselves.
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      }),
  };
}
