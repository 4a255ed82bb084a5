import { pathToFileURL } from 'node:url';
import type { IpcMainInvokeEvent, Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../api/static-files';

/**
 * True when `url` is the app's own page (any hash or query: client-side routes), and nothing
 * else: not another local file, not another scheme.
 */
export function isAppUrl(url: string, appPageUrl: string): boolean {
  let candidate: URL;
  let page: URL;
  try {
    candidate = new URL(url);
    page = new URL(appPageUrl);
  } catch {
    return false;
  }
  if (candidate.protocol !== 'file:' || page.protocol !== 'file:') return false;
  if (candidate.host !== page.host) return false;
  const norm = (p: string) => {
    const decoded = decodeURIComponent(p);
    return process.platform === 'win32' ? decoded.toLowerCase() : decoded;
  };
  return norm(candidate.pathname) === norm(page.pathname);
}

export function appPageUrl(indexHtmlPath: string): string {
  return pathToFileURL(indexHtmlPath).href;
}

/**
 * Only the top frame of our own window, showing our own page, may call the business layer.
 * Anything else (a frame that navigated away, an iframe, another webContents) is refused.
 */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  trusted: WebContents | null,
  pageUrl: string,
): boolean {
  if (!trusted || trusted.isDestroyed() || event.sender?.id !== trusted.id) return false;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url, pageUrl);
}

/** Links the UI shows (e.g. the SCM journal) open in the user's browser, and only if https. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * No navigation away from our page, no new windows, no webviews. External https links go to
 * the system browser; everything else is dropped (and logged).
 */
export function hardenWebContents(
  contents: WebContents,
  pageUrl: string,
  openExternal: (url: string) => void,
  log: (message: string) => void,
): void {
  const guard = (event: { preventDefault(): void }, url: string, what: string) => {
    if (isAppUrl(url, pageUrl)) return;
    event.preventDefault();
    if (isExternalLink(url)) openExternal(url);
    else log(`Refused ${what} to ${url}`);
  };
  contents.on('will-navigate', (event) => guard(event, event.url, 'navigation'));
  contents.on('will-redirect', (event) => guard(event, event.url, 'redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('Refused a webview');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) openExternal(url);
    else log(`Refused a new window for ${url}`);
    return { action: 'deny' };
  });
}

/** The same CSP the headless server sends, plus no permissions (camera, notifications...) at all. */
export function installSessionPolicy(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      const lower = name.toLowerCase();
      if (lower === 'content-security-policy' || lower === 'x-content-type-options') continue;
      headers[name] = value;
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    headers['X-Content-Type-Options'] = ['nosniff'];
    callback({ responseHeaders: headers });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
