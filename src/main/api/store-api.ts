import type { IncomingMessage } from 'node:http';
import type { CountApplyResult } from '../../shared/counts';
import { MAX_IMPORT_BYTES } from '../../shared/drafts';
import { API_KEY_LABEL } from '../config/api-key';
import { writeDiagnosticsBundle } from '../diagnostics/bundle';
import { dispatch } from '../rpc/dispatch';
import { HttpError, readJsonBody, sendError, sendJson } from './http';
import { ALWAYS, httpErrorOf, type Route, rpcAsHttp } from './routes';

/**
 * Issue 10's endpoints under `/api/environment/{environmentId}/transaction`: the store's copy of
 * SCM's master data and draft imports. Each goes through the RPC table or the same service the
 * UI uses, so both validate alike.
 */
export const STORE_ROUTES: Route[] = [
  {
    method: 'GET',
    path: /^\/masterdata$/,
    handle: ({ layer, res }) => rpcAsHttp(layer, res, 'masterData.status', {}),
  },
  {
    method: 'POST',
    path: /^\/masterdata\/refresh$/,
    background: ALWAYS,
    handle: ({ layer, res, url }) => {
      const orgs = url.searchParams.getAll('organizationId');
      return rpcAsHttp(layer, res, 'masterData.refresh', orgs.length > 0 ? { organizationIds: orgs } : {});
    },
  },
  {
    method: 'GET',
    path: /^\/masterdata\/lookup$/,
    handle: ({ layer, res, url }) =>
      rpcAsHttp(layer, res, 'masterData.lookup', {
        organizationId: url.searchParams.get('organizationId') ?? undefined,
        code: url.searchParams.get('code') ?? undefined,
      }),
  },
  {
    method: 'GET',
    path: /^\/adjustment\/lines\/([^/]+)\/entry-check$/,
    handle: ({ layer, res, ids: [id] }) =>
      rpcAsHttp(layer, res, 'masterData.entryCheck', { lineRecordId: id }),
  },
  {
    /**
     * `POST /drafts/import?fileName=stock.xlsx[&name=…][&post=true]`, the file as the body: a new
     * draft with the file's rows; per-row errors, or (with post=true and none) the created lines.
     */
    method: 'POST',
    path: /^\/drafts\/import$/,
    background: ALWAYS,
    handle: async ({ layer, req, res, url }) => {
      const fileName = url.searchParams.get('fileName')?.trim();
      if (!fileName)
        throw new HttpError(400, 'Name the file: ?fileName=stock.csv or stock.xlsx', [
          { field: 'fileName', message: 'is required' },
        ]);
      const bytes = await readFileBody(req);
      const draft = layer.drafts.create(url.searchParams.get('name')?.trim() || fileName);
      const added = await layer.drafts.import(draft.draftId, fileName, bytes);
      if (url.searchParams.get('post') !== 'true' || added.errors.length > 0)
        return sendJson(res, added.errors.length > 0 ? 422 : 200, added);
      const posted = await layer.drafts.post(draft.draftId, API_KEY_LABEL);
      // The ids the lines carry in the ledger (the file's own, or derived from the draft and row).
      const lines = layer.ledger.drafts
        .lines(draft.draftId, 0, 1000)
        .map(({ row, line }) => ({ row, id: line.id }));
      sendJson(res, 200, { ...posted, lines });
    },
  },
  {
    /** `GET /onhand?organizationId=&productId=[&siteId=&locationId=][&live=false]`: IV now + pending here. */
    method: 'GET',
    path: /^\/onhand$/,
    handle: ({ layer, res, url }) => {
      const q = url.searchParams;
      const opt = (name: string) => q.get(name) ?? undefined;
      return rpcAsHttp(layer, res, 'onhand.get', {
        organizationId: opt('organizationId'),
        productId: opt('productId'),
        siteId: opt('siteId'),
        locationId: opt('locationId'),
        live: q.get('live') !== 'false',
      });
    },
  },
  { method: 'GET', path: /^\/drafts$/, handle: ({ layer, res }) => rpcAsHttp(layer, res, 'drafts.list', {}) },
  {
    method: 'GET',
    path: /^\/drafts\/([^/]+)$/,
    handle: ({ layer, res, url, ids: [id] }) =>
      rpcAsHttp(layer, res, 'drafts.get', {
        draftId: id,
        top: Number(url.searchParams.get('top') ?? 100),
        skip: Number(url.searchParams.get('skip') ?? 0),
      }),
  },
  {
    /** `POST /diagnostics`: writes the bundle under the data folder and answers it as a zip. */
    method: 'POST',
    path: /^\/diagnostics$/,
    handle: ({ layer, res }) => {
      const bundle = writeDiagnosticsBundle(layer);
      res.writeHead(200, {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="${bundle.fileName}"`,
        'content-length': bundle.bytes,
        'cache-control': 'no-store',
      });
      res.end(bundle.zip);
    },
  },
  // Count mode over HTTP, for a counting tool: the same RPC handlers the Count page uses.
  { method: 'GET', path: /^\/counts$/, handle: ({ layer, res }) => rpcAsHttp(layer, res, 'counts.list', {}) },
  {
    method: 'POST',
    path: /^\/counts$/,
    handle: async ({ layer, req, res }) => rpcAsHttp(layer, res, 'counts.create', await readJsonBody(req)),
  },
  {
    method: 'GET',
    path: /^\/counts\/([^/]+)$/,
    handle: ({ layer, res, ids: [id] }) => rpcAsHttp(layer, res, 'counts.get', { countId: id }),
  },
  {
    /** `POST /counts/{id}/items` `{"productId","dimensions"?,"counted"}`: one item, as if scanned. */
    method: 'POST',
    path: /^\/counts\/([^/]+)\/items$/,
    handle: async ({ layer, req, res, ids: [id] }) => {
      const body = await readJsonBody(req);
      return rpcAsHttp(layer, res, 'counts.record', { ...(body as object), countId: id });
    },
  },
  {
    /** `POST /counts/{id}/paste` with the tab-separated block as a text body. */
    method: 'POST',
    path: /^\/counts\/([^/]+)\/paste$/,
    handle: async ({ layer, req, res, ids: [id] }) => {
      const text = Buffer.from(await readFileBody(req)).toString('utf8');
      return rpcAsHttp(layer, res, 'counts.paste', { countId: id, text });
    },
  },
  {
    /** `POST /counts/{id}/items/{n}/remove`: takes item n out of an open count. */
    method: 'POST',
    path: /^\/counts\/([^/]+)\/items\/(\d{1,9})\/remove$/,
    handle: ({ layer, res, ids: [id, item] }) =>
      rpcAsHttp(layer, res, 'counts.removeItem', { countId: id, item: Number(item) }),
  },
  {
    /**
     * `POST /counts/{id}/apply` `{"useLastKnown"?: [item numbers], "confirmedLargeQuantity"?: true}`
     * (the body may be left out). While IV does not answer for some items, 409 with the items
     * waiting (`waiting`: each with IV's last known figure, or null) and nothing posted.
     */
    method: 'POST',
    path: /^\/counts\/([^/]+)\/apply$/,
    handle: async ({ layer, req, res, ids: [id] }) => {
      const hasBody =
        Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
      const body = hasBody ? await readJsonBody(req) : {};
      const reply = await dispatch(layer.handlers, 'counts.apply', { ...(body as object), countId: id });
      if (!reply.ok) return sendError(res, httpErrorOf(reply.error));
      const result = reply.value as CountApplyResult;
      if (result.applied) return sendJson(res, 200, result);
      sendJson(res, 409, {
        error: { message: result.message },
        errors: result.waiting.map((w) => ({
          field: `items.${w.item}`,
          message: `${w.productId}: ${w.reason}`,
        })),
        waiting: result.waiting,
      });
    },
  },
  {
    method: 'POST',
    path: /^\/drafts\/([^/]+)\/post$/,
    handle: ({ layer, res, ids: [id] }) => rpcAsHttp(layer, res, 'drafts.post', { draftId: id }),
  },
];

/** The raw body, bounded: past the limit the answer is 413 and nothing is read further. */
async function readFileBody(req: IncomingMessage): Promise<Uint8Array> {
  const tooLarge = () =>
    new HttpError(413, `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it`, [
      { field: '(body)', message: `must be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB` },
    ]);
  if (Number(req.headers['content-length'] ?? 0) > MAX_IMPORT_BYTES) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_IMPORT_BYTES) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  if (size === 0)
    throw new HttpError(400, 'The body is empty: send the file', [
      { field: '(body)', message: 'must not be empty' },
    ]);
  return Buffer.concat(chunks);
}
