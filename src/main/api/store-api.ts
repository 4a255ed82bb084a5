import type { Route } from './adjustment-api';
import { rpcAsHttp } from './adjustment-api';

/**
 * Issue 10's endpoints under `/api/environment/{environmentId}/transaction`: the store's copy of
 * SCM's master data. Each goes through the RPC table, so the UI and the API validate alike.
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
];
