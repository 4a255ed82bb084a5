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

const SESSION_KEY = 'store-ledger-session';

/**
 * The person signed in on this tab (browser only): a server-side session's token, kept where the
 * run's token is (this tab's sessionStorage, gone with the tab) and sent as a header. The desktop
 * window never sees one: main keeps it for the window.
 */
export function currentSession(): string | null {
  return window.sessionStorage.getItem(SESSION_KEY);
}

export function keepSession(token: string | null): void {
  if (token) window.sessionStorage.setItem(SESSION_KEY, token);
  else window.sessionStorage.removeItem(SESSION_KEY);
}
