import type { IncomingMessage } from 'node:http';
import { fieldErrors } from '../../shared/adjustment';
import type { CountApplyResult } from '../../shared/counts';
import { importQuery } from '../../shared/drafts';
import { FILE_LIMITS } from '../../shared/file-upload';
import { writeDiagnosticsBundle } from '../diagnostics/bundle';
import { idsAsPosted } from '../drafts/posting';
import { AppError } from '../errors';
import { authorOf } from '../people/actor';
import { dispatch } from '../rpc/dispatch';
import { readJsonBody, readRawBody, sendError, sendJson } from './http';
import { HttpError } from './http-error';
import { ALWAYS, httpErrorOf, type Route, refused, rpcAsHttp } from './routes';

/**
 * The store's own endpoints under `/api/environment/{environmentId}/transaction`: the store's copy of
 * SCM's master data and draft imports. Each goes through the RPC table or the same service the
 * UI uses, so both validate alike.
 */
export const STORE_ROUTES: Route[] = [
  {
    method: 'GET',
    path: /^\/masterdata$/,
    rpc: 'masterData.status',
    handle: ({ layer, system, res }) => rpcAsHttp({ layer, res, system }, 'masterData.status', {}),
  },
  {
    method: 'POST',
    path: /^\/masterdata\/refresh$/,
    rpc: 'masterData.refresh',
    background: ALWAYS,
    handle: ({ layer, system, res, url }) => {
      const orgs = url.searchParams.getAll('organizationId');
      return rpcAsHttp(
        { layer, res, system },
        'masterData.refresh',
        orgs.length > 0 ? { organizationIds: orgs } : {},
      );
    },
  },
  {
    method: 'GET',
    path: /^\/masterdata\/lookup$/,
    rpc: 'masterData.lookup',
    handle: ({ layer, system, res, url }) =>
      rpcAsHttp({ layer, res, system }, 'masterData.lookup', {
        organizationId: url.searchParams.get('organizationId') ?? undefined,
        code: url.searchParams.get('code') ?? undefined,
      }),
  },
  {
    method: 'GET',
    path: /^\/adjustment\/lines\/([^/]+)\/entry-check$/,
    rpc: 'masterData.entryCheck',
    handle: ({ layer, system, res, ids: [id] }) =>
      rpcAsHttp({ layer, res, system }, 'masterData.entryCheck', { lineRecordId: id }),
  },
  {
    /**
     * `POST /drafts/import?fileName=stock.xlsx[&name=…][&locale=de-DE][&post=true]`, the file as
     * the body: a new draft with the file's rows (none when the file is refused); per-row errors,
     * or (with post=true and none) the created lines. Posting asks first (409) about a file
     * imported before and large quantities: `&confirmReimport=true`, `&confirmLargeQuantity=true`.
     */
    method: 'POST',
    path: /^\/drafts\/import$/,
    rpc: 'drafts.import',
    background: ALWAYS,
    handle: async ({ layer, system, req, res, url }) => {
      const q = url.searchParams;
      // Posting is an action of its own: the key's role is checked for it before anything is read.
      if (q.get('post') === 'true' && refused({ layer, res, system }, 'drafts.post')) return;
      const query = importQuery.safeParse({
        fileName: q.get('fileName') ?? undefined,
        name: q.get('name')?.trim() || undefined,
        locale: q.get('locale') ?? undefined,
      });
      if (!query.success) {
        const errors = fieldErrors(query.error);
        throw new HttpError(
          400,
          `The import's query is not valid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
          errors,
        );
      }
      const { fileName, name, locale } = query.data;
      const bytes = await readFileBody(req);
      const added = await layer.drafts.importNew(name ?? fileName, fileName, bytes, locale);
      if (q.get('post') !== 'true' || added.errors.length > 0)
        return sendJson(res, added.errors.length > 0 ? 422 : 200, added);
      const confirmed = {
        largeQuantity: q.get('confirmLargeQuantity') === 'true',
        reimport: q.get('confirmReimport') === 'true',
      };
      try {
        const posted = await layer.drafts.post(added.draft.draftId, authorOf(system), confirmed);
        // The ids the lines carry in the ledger (the file's own, or derived from its content and row).
        sendJson(res, 200, {
          ...posted,
          lines: idsAsPosted(layer.ledger, added.draft.draftId, confirmed.reimport, 1000),
        });
      } catch (error) {
        // The rows wait in the draft: the answer names it, so the caller can post it once confirmed.
        if (!(error instanceof AppError) || error.code !== 'needs_confirmation') throw error;
        sendJson(res, 409, {
          error: { message: error.message },
          errors: error.errors,
          draft: added.draft,
          block: added.block,
          notes: added.notes,
        });
      }
    },
  },
  {
    /** `GET /onhand?organizationId=&productId=[&siteId=&locationId=][&live=false]`: IV now + pending here. */
    method: 'GET',
    path: /^\/onhand$/,
    rpc: 'onhand.get',
    handle: ({ layer, system, res, url }) => {
      const q = url.searchParams;
      const opt = (name: string) => q.get(name) ?? undefined;
      return rpcAsHttp({ layer, res, system }, 'onhand.get', {
        organizationId: opt('organizationId'),
        productId: opt('productId'),
        siteId: opt('siteId'),
        locationId: opt('locationId'),
        live: q.get('live') !== 'false',
      });
    },
  },
  {
    method: 'GET',
    path: /^\/drafts$/,
    rpc: 'drafts.list',
    handle: ({ layer, system, res }) => rpcAsHttp({ layer, res, system }, 'drafts.list', {}),
  },
  {
    method: 'GET',
    path: /^\/drafts\/([^/]+)$/,
    rpc: 'drafts.get',
    handle: ({ layer, system, res, url, ids: [id] }) =>
      rpcAsHttp({ layer, res, system }, 'drafts.get', {
        draftId: id,
        top: Number(url.searchParams.get('top') ?? 100),
        skip: Number(url.searchParams.get('skip') ?? 0),
        problemsOnly: url.searchParams.get('problemsOnly') === 'true',
      }),
  },
  {
    /** `POST /diagnostics`: writes the bundle under the data folder and answers it as a zip. */
    method: 'POST',
    path: /^\/diagnostics$/,
    rpc: 'diagnostics.create',
    handle: async ({ layer, res, url }) => {
      const bundle = await writeDiagnosticsBundle(layer, {
        full: url.searchParams.get('full') === 'true',
        kept: layer.settings.read().diagnosticsBundlesKept,
      });
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
  {
    method: 'GET',
    path: /^\/counts$/,
    rpc: 'counts.list',
    handle: ({ layer, system, res }) => rpcAsHttp({ layer, res, system }, 'counts.list', {}),
  },
  {
    method: 'POST',
    path: /^\/counts$/,
    rpc: 'counts.create',
    handle: async ({ layer, system, req, res }) =>
      rpcAsHttp({ layer, res, system }, 'counts.create', await readJsonBody(req)),
  },
  {
    method: 'GET',
    path: /^\/counts\/([^/]+)$/,
    rpc: 'counts.get',
    handle: ({ layer, system, res, ids: [id] }) =>
      rpcAsHttp({ layer, res, system }, 'counts.get', { countId: id }),
  },
  {
    /** `POST /counts/{id}/items` `{"productId","dimensions"?,"counted"}`: one item, as if scanned. */
    method: 'POST',
    path: /^\/counts\/([^/]+)\/items$/,
    rpc: 'counts.record',
    handle: async ({ layer, system, req, res, ids: [id] }) => {
      const body = await readJsonBody(req);
      return rpcAsHttp({ layer, res, system }, 'counts.record', { ...(body as object), countId: id });
    },
  },
  {
    /** `POST /counts/{id}/paste` with the tab-separated block as a text body. */
    method: 'POST',
    path: /^\/counts\/([^/]+)\/paste$/,
    rpc: 'counts.paste',
    handle: async ({ layer, system, req, res, ids: [id] }) => {
      const text = Buffer.from(await readFileBody(req)).toString('utf8');
      return rpcAsHttp({ layer, res, system }, 'counts.paste', { countId: id, text });
    },
  },
  {
    /** `POST /counts/{id}/items/{n}/remove`: takes item n out of an open count. */
    method: 'POST',
    path: /^\/counts\/([^/]+)\/items\/(\d{1,9})\/remove$/,
    rpc: 'counts.removeItem',
    handle: ({ layer, system, res, ids: [id, item] }) =>
      rpcAsHttp({ layer, res, system }, 'counts.removeItem', { countId: id, item: Number(item) }),
  },
  {
    /**
     * `POST /counts/{id}/apply` `{"useLastKnown"?: [item numbers], "confirmedLargeQuantity"?: true}`
     * (the body may be left out). While IV does not answer for some items, 409 with the items
     * waiting (`waiting`: each with IV's last known figure, or null) and nothing posted.
     */
    method: 'POST',
    path: /^\/counts\/([^/]+)\/apply$/,
    rpc: 'counts.apply',
    handle: async ({ layer, system, req, res, ids: [id] }) => {
      const hasBody =
        Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
      const body = hasBody ? await readJsonBody(req) : {};
      const reply = await dispatch(
        layer,
        'counts.apply',
        { ...(body as object), countId: id },
        { session: null, system },
      );
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
    /** `POST /drafts/{id}/post[?confirmLargeQuantity=true][&confirmReimport=true]`: all rows or none. */
    method: 'POST',
    path: /^\/drafts\/([^/]+)\/post$/,
    rpc: 'drafts.post',
    handle: ({ layer, system, res, url, ids: [id] }) =>
      rpcAsHttp({ layer, res, system }, 'drafts.post', {
        draftId: id,
        confirmLargeQuantity: url.searchParams.get('confirmLargeQuantity') === 'true',
        confirmReimport: url.searchParams.get('confirmReimport') === 'true',
      }),
  },
  {
    /** `POST /drafts/{id}/rows/{block}/{row}` `{"values":{"quantity":"4"},"locale"?}`: edits a row. */
    method: 'POST',
    path: /^\/drafts\/([^/]+)\/rows\/([^/]+)\/([^/]+)$/,
    rpc: 'drafts.editRow',
    handle: async ({ layer, system, req, res, ids: [id, block, row] }) => {
      const body = await readJsonBody(req);
      return rpcAsHttp({ layer, res, system }, 'drafts.editRow', {
        ...(body as object),
        draftId: id,
        block: Number(block),
        row: Number(row),
      });
    },
  },
  {
    method: 'POST',
    path: /^\/drafts\/([^/]+)\/rows\/([^/]+)\/([^/]+)\/delete$/,
    rpc: 'drafts.deleteRow',
    handle: ({ layer, system, res, ids: [id, block, row] }) =>
      rpcAsHttp({ layer, res, system }, 'drafts.deleteRow', {
        draftId: id,
        block: Number(block),
        row: Number(row),
      }),
  },
  {
    /** `POST /drafts/{id}/blocks/{block}/delete`: a whole file or pasted block out of the draft. */
    method: 'POST',
    path: /^\/drafts\/([^/]+)\/blocks\/([^/]+)\/delete$/,
    rpc: 'drafts.deleteBlock',
    handle: ({ layer, system, res, ids: [id, block] }) =>
      rpcAsHttp({ layer, res, system }, 'drafts.deleteBlock', { draftId: id, block: Number(block) }),
  },
  {
    method: 'POST',
    path: /^\/drafts\/([^/]+)\/delete$/,
    rpc: 'drafts.delete',
    handle: ({ layer, system, res, ids: [id] }) =>
      rpcAsHttp({ layer, res, system }, 'drafts.delete', { draftId: id }),
  },
];

/** The file as the body: the same bounded read as the UI's uploads (http.ts). */
const readFileBody = (req: IncomingMessage) => readRawBody(req, FILE_LIMITS.draftImport, '(body)');
