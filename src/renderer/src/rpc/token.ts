const STORAGE_KEY = 'store-ledger-token';

/**
 * The headless server prints `…/#token=…`. The token moves to sessionStorage (it survives a
 * reload of this tab, and no other tab or site sees it) and leaves the address bar, so that
 * it is neither bookmarked nor shown on screen.
 */
export function captureToken(): void {
  const hash = window.location.hash.replace(/^#/, '');
  const params = new URLSearchParams(hash.startsWith('/') ? (hash.split('?')[1] ?? '') : hash);
  const token = params.get('token');
  if (!token) return;
  window.sessionStorage.setItem(STORAGE_KEY, token);
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/transactions`);
}

export function currentToken(): string | null {
  return window.sessionStorage.getItem(STORAGE_KEY);
}
