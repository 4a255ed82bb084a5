import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { type FieldError, fieldErrors } from '../../shared/adjustment';
import { AGGREGATED_COLUMNS, LINE_COLUMNS } from '../../shared/csv';
import { aggregatedQuerySchema, linesQuerySchema } from '../../shared/queries';
import { normalizeText, textProblem } from '../../shared/text';
import type { BusinessLayer } from '../business-layer';
import { authorOf } from '../people/actor';
import { streamCsv } from './csv-export';
import { bearerToken, readJsonBody, sendJson, sendJsonArray } from './http';
import { HttpError } from './http-error';
import { ALWAYS, handleRoute, LARGE_BODY, type Route, type RouteContext, rpcAsHttp } from './routes';
import { STORE_ROUTES } from './store-api';

const PREFIX = /^\/api\/environment\/([^/]+)\/transaction(\/.*)$/;

/**
 * The business layer's adjustment API
 * (https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-sync-changes)
 * and the read/export endpoints, under
 * `/api/environment/{environmentId}/transaction/...`. Returns false when the path is not its own.
 */
export async function handleAdjustmentApi(
  layer: BusinessLayer,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/health') {
    requireMethod(req, 'GET');
    sendJson(res, 200, health(layer));
    return true;
  }
  const match = PREFIX.exec(url.pathname);
  if (!match) return false;

  const key = bearerToken(req);
  const system = layer.apiKeys.actorFor(key);
  if (!system) {
    throw new HttpError(401, layer.apiKeys.refusalFor(key), undefined, {
      'www-authenticate': 'Bearer realm="store-ledger"',
    });
  }
  const settings = layer.settings.read();
  if (!settings.environmentId) {
    throw new HttpError(
      409,
      'No environment ID is configured yet: set it under Settings before using the API',
    );
  }
  if (decodeURIComponent(match[1]!) !== settings.environmentId) {
    throw new HttpError(
      404,
      `Unknown environment '${decodeURIComponent(match[1]!)}': this ledger serves environment '${settings.environmentId}'`,
    );
  }
  const route = match[2]!;
  // One path may take several methods (GET and POST /counts): the first route with both wins.
  const matching = ROUTES.filter((r) => r.path.test(route));
  if (matching.length > 0) {
    const r = matching.find((m) => m.method === req.method);
    if (!r) {
      const allow = [...new Set(matching.map((m) => m.method))].join(', ');
      throw new HttpError(405, `Use ${allow} for this endpoint`, undefined, { allow });
    }
    const ids = r.path
      .exec(route)!
      .slice(1)
      .map((s) => normalizeText(decodeURIComponent(s)));
    await handleRoute(r, { layer, req, res, url, ids, system });
    return true;
  }
  throw new HttpError(404, `No such endpoint: ${url.pathname}`);
}

/** Every route of the local API, each with the action (and so the role) it is. */
export const ROUTES: Route[] = [
  {
    method: 'POST',
    path: /^\/adjustment\/bulk$/,
    rpc: 'lines.create',
    handle: postBulk,
    background: LARGE_BODY,
  },
  {
    method: 'GET',
    path: /^\/adjustment\/lines$/,
    rpc: 'lines.list',
    handle: ({ layer, res, url }) =>
      sendJson(res, 200, layer.ledger.lines.list(parseQuery(linesQuerySchema, url))),
  },
  {
    method: 'GET',
    path: /^\/adjustment\/lines\.csv$/,
    rpc: 'lines.list',
    background: ALWAYS,
    handle: ({ layer, res, url }) =>
      streamCsv(
        res,
        'adjustment-lines.csv',
        LINE_COLUMNS,
        layer.ledger.lines.iterate(parseQuery(linesQuerySchema, url)),
      ),
  },
  {
    method: 'GET',
    path: /^\/adjustment\/lines\/([^/]+)$/,
    rpc: 'lines.get',
    handle: ({ layer, res, ids: [id] }) => {
      const line = layer.ledger.lines.get(id!);
      if (!line) throw new HttpError(404, `No line with lineRecordId '${id}'`);
      sendJson(res, 200, line);
    },
  },
  {
    method: 'GET',
    path: /^\/adjustment\/aggregated$/,
    rpc: 'aggregated.list',
    handle: ({ layer, res, url }) =>
      sendJson(res, 200, layer.ledger.aggregated.list(parseQuery(aggregatedQuerySchema, url))),
  },
  {
    method: 'GET',
    path: /^\/adjustment\/aggregated\.csv$/,
    rpc: 'aggregated.list',
    background: ALWAYS,
    handle: ({ layer, res, url }) =>
      streamCsv(
        res,
        'aggregated-adjustment-lines.csv',
        AGGREGATED_COLUMNS,
        layer.ledger.aggregated.iterate(parseQuery(aggregatedQuerySchema, url)),
      ),
  },
  {
    method: 'GET',
    path: /^\/adjustment\/aggregated\/([^/]+)$/,
    rpc: 'aggregated.get',
    handle: ({ layer, res, ids: [id] }) => {
      const line = layer.ledger.aggregated.get(id!);
      if (!line) throw new HttpError(404, `No aggregated line with aggregatedLineId '${id}'`);
      sendJson(res, 200, line);
    },
  },
  {
    method: 'POST',
    path: /^\/adjustment\/aggregated\/([^/]+)\/retry$/,
    rpc: 'aggregated.retry',
    handle: ({ layer, system, res, ids: [id] }) =>
      rpcAsHttp({ layer, res, system }, 'aggregated.retry', { aggregatedLineIds: [id] }),
  },
  {
    method: 'POST',
    path: /^\/adjustment\/aggregated\/([^/]+)\/donotsync$/,
    rpc: 'aggregated.markDoNotSync',
    handle: async ({ layer, system, req, res, ids: [id] }) => {
      const body = await readJsonBody(req);
      const reason = body && typeof body === 'object' ? (body as { reason?: unknown }).reason : undefined;
      await rpcAsHttp({ layer, res, system }, 'aggregated.markDoNotSync', {
        aggregatedLineIds: [id],
        reason,
      });
    },
  },
  {
    method: 'POST',
    path: /^\/sync$/,
    rpc: 'sync.run',
    handle: ({ layer, system, res, url }) =>
      rpcAsHttp({ layer, res, system }, 'sync.run', { job: url.searchParams.get('job') ?? 'all' }),
  },
  {
    method: 'POST',
    path: /^\/initialize$/,
    rpc: 'sync.initialize',
    handle: ({ layer, system, res }) => rpcAsHttp({ layer, res, system }, 'sync.initialize', {}),
  },
  ...STORE_ROUTES,
];

async function postBulk({ layer, req, res, url, system }: RouteContext): Promise<void> {
  const instantIv = parseBooleanParam(url.searchParams, 'createWithIVSync');
  const body = await readJsonBody(req);
  // A store system cannot wait at a screen for a manager: when the store holds its lines too
  // (Settings → Approvals), a line that needs one is parked in the approval list.
  const entered = await layer.entry.enter(body, {
    source: 'api',
    author: authorOf(system),
    instantIv,
    approval: { role: system.role, kind: 'system', park: true },
  });
  // Cautions (the store's copy of SCM's master data, a large quantity) ride along, never refuse;
  // a barcode sent as productId says what it was read as.
  const stored: unknown[] = entered.lines.map(
    ({ id, lineRecordId, status, warnings, scannedCode, productId, dimensions }) => ({
      id,
      lineRecordId,
      status,
      ...(warnings.length > 0 && { warnings }),
      ...(scannedCode !== null && { scannedCode, productId, dimensions }),
    }),
  );
  // A held line answers in its place in the request: nothing of it is stored or sent yet.
  for (const { index, id, heldId, why } of entered.held)
    stored.splice(index, 0, { id, status: 'WaitingForApproval', heldId, message: why });
  return sendJsonArray(res, 200, stored);
}

/** No ledger read that could fail on a sick disk except the cached settings and the header's version. */
function health(layer: BusinessLayer) {
  const info = layer.info();
  const settings = layer.settings.read();
  const ledgerHealth = layer.health.current();
  return {
    status: ledgerHealth.state,
    version: info.version,
    ledger: {
      state: ledgerHealth.state === 'ok' ? 'open' : 'degraded',
      ...(ledgerHealth.state !== 'ok' && {
        reason: ledgerHealth.reason,
        message: ledgerHealth.message,
        since: ledgerHealth.since,
      }),
      schemaVersion: layer.ledger.diagnostics.schemaVersion(),
      environmentConfigured: settings.environmentId !== null,
      featureEnabled: settings.enableFeature,
      initialized: settings.isFeatureInitialized,
    },
  };
}

function requireMethod(req: IncomingMessage, method: string): void {
  if (req.method !== method)
    throw new HttpError(405, `Use ${method} for this endpoint`, undefined, { allow: method });
}

function parseBooleanParam(params: URLSearchParams, name: string): boolean {
  const value = params.get(name);
  if (value === null || value === '' || value.toLowerCase() === 'false') return false;
  if (value.toLowerCase() === 'true') return true;
  throw new HttpError(400, `Query parameter ${name} must be true or false`, [
    { field: name, message: 'must be true or false' },
  ]);
}

/** Query values go through the same normalisation as stored values, so a filter finds what was stored. */
function parseQuery<S extends z.ZodType>(schema: S, url: URL): z.output<S> {
  const problems: FieldError[] = [];
  const entries = [...url.searchParams].map(([name, value]) => {
    const normalized = normalizeText(value);
    const problem = textProblem(normalized);
    if (problem) problems.push({ field: name, message: problem });
    return [name, normalized];
  });
  if (problems.length > 0) throw new HttpError(400, 'The query is not valid', problems);
  const parsed = schema.safeParse(Object.fromEntries(entries));
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error).map((e) =>
      e.message === 'is not a known field' ? { ...e, message: 'is not a known query parameter' } : e,
    );
    throw new HttpError(400, 'The query is not valid', errors);
  }
  return parsed.data;
}
