import { useSyncExternalStore } from 'react';

/**
 * Hash routes (`#/transactions?tab=aggregated&line=…`): they work the same from the
 * headless server and from a file:// page in Electron, and a reload keeps the place.
 */
export type Page =
  | 'transactions'
  | 'create'
  | 'scan'
  | 'count'
  | 'onhand'
  | 'drafts'
  | 'sync'
  | 'settings'
  | 'people'
  | 'approvals'
  | 'reasons'
  | 'audit'
  | 'diagnostics';
export const PAGES: readonly Page[] = [
  'transactions',
  'create',
  'scan',
  'count',
  'onhand',
  'drafts',
  'sync',
  'settings',
  'people',
  'approvals',
  'reasons',
  'audit',
  'diagnostics',
];

export interface Route {
  page: Page;
  params: URLSearchParams;
}

function parse(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const page = (PAGES as readonly string[]).includes(path) ? (path as Page) : 'transactions';
  return { page, params: new URLSearchParams(query) };
}

let cachedHash: string | null = null;
let cachedRoute: Route = parse('');
function snapshot(): Route {
  if (window.location.hash !== cachedHash) {
    cachedHash = window.location.hash;
    cachedRoute = parse(cachedHash);
  }
  return cachedRoute;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot);
}

export function href(page: Page, params: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') query.set(k, v);
  const q = query.toString();
  return `#/${page}${q ? `?${q}` : ''}`;
}

export function navigate(page: Page, params: Record<string, string | undefined> = {}): void {
  window.location.hash = href(page, params);
}
