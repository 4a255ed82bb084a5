/**
 * Access tokens: Entra client credentials
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow)
 * and the IV token exchange
 * (https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-api),
 * cached per scope and refreshed a few minutes before they expire.
 */

import { getCi, tryParseJson } from './answer-text';
import {
  IV_ENTRA_SCOPE,
  IV_EXCHANGE_SCOPE,
  joinUrl,
  scmScope,
  timeoutOf,
  type UpstreamConnection,
} from './config';
import { UpstreamError, type UpstreamService } from './errors';
import { checkUrl, describe, ensureOk, type HttpRequest, type HttpResponse, send } from './http';
import { Redactor } from './redaction';

export type AuthService = 'iv' | 'scm';

export interface TokenProviderOptions {
  /** Clock, for tests. */
  now?: () => number;
  /** Refresh this long before expiry (default 5 min; at most half the token's lifetime). */
  refreshMarginMs?: number;
}

interface CachedToken {
  token: string;
  refreshAt: number;
}

const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;
/** When a token answer has no usable `expires_in`, assume a short life rather than a long one. */
const FALLBACK_LIFETIME_S = 600;
const MAX_REDIRECT_HOPS = 3;

export class TokenProvider {
  /** Knows the client secret and issued tokens; every error built with it is scrubbed of them. */
  readonly redactor = new Redactor();
  /** Calls made, for diagnostics and tests. */
  readonly stats = { entraRequests: 0, ivExchanges: 0 };

  private readonly conn: UpstreamConnection;
  private readonly now: () => number;
  private readonly refreshMarginMs: number;
  private readonly cache = new Map<string, CachedToken>();
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(conn: UpstreamConnection, opts: TokenProviderOptions = {}) {
    this.conn = conn;
    this.now = opts.now ?? Date.now;
    this.refreshMarginMs = opts.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    this.redactor.addSecret(conn.clientSecret);
  }

  /** An Entra token for `scope` (client credentials), from the cache while it is fresh. */
  entraToken(scope: string): Promise<string> {
    return this.cached(`entra:${scope}`, () => this.fetchEntraToken(scope));
  }

  /** The IV service token (Entra token for the IV app, exchanged at the IV security service). */
  ivToken(): Promise<string> {
    return this.cached('iv', () => this.exchangeForIvToken());
  }

  scmToken(): Promise<string> {
    return this.entraToken(scmScope(this.conn));
  }

  tokenFor(service: AuthService): Promise<string> {
    return service === 'iv' ? this.ivToken() : this.scmToken();
  }

  /**
   * Drops the cached token of `service`. With `token`, only if it is still the cached one,
   * so a caller holding a stale token never discards a fresh one fetched meanwhile.
   */
  invalidate(service: AuthService, token?: string): void {
    const key = service === 'iv' ? 'iv' : `entra:${scmScope(this.conn)}`;
    const entry = this.cache.get(key);
    if (entry && (token === undefined || entry.token === token)) this.cache.delete(key);
  }

  /** Forget every cached token (e.g. after the connection settings changed). */
  clear(): void {
    this.cache.clear();
  }

  /**
   * Runs `fn` with a token; on a 401 from IV/SCM drops that token, fetches a new one and
   * retries exactly once (a second 401 is a configuration error for the caller).
   */
  async withAuth<T>(service: AuthService, fn: (token: string) => Promise<T>): Promise<T> {
    const token = await this.tokenFor(service);
    try {
      return await fn(token);
    } catch (err) {
      if (!(err instanceof UpstreamError) || err.status !== 401 || err.service === 'entra') throw err;
      this.invalidate(service, token);
      const fresh = await this.tokenFor(service);
      return fn(fresh);
    }
  }

  private cached(key: string, fetcher: () => Promise<string>): Promise<string> {
    const entry = this.cache.get(key);
    if (entry && this.now() < entry.refreshAt) return Promise.resolve(entry.token);
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const p = fetcher().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  private remember(key: string, token: string, expiresIn: unknown): void {
    const n = typeof expiresIn === 'string' ? Number(expiresIn) : expiresIn;
    const lifetimeMs =
      (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : FALLBACK_LIFETIME_S) * 1000;
    const margin = Math.min(this.refreshMarginMs, lifetimeMs / 2);
    this.cache.set(key, { token, refreshAt: this.now() + lifetimeMs - margin });
    this.redactor.addToken(token);
  }

  private async fetchEntraToken(scope: string): Promise<string> {
    const url = joinUrl(
      this.conn.authorityHost,
      `/${encodeURIComponent(this.conn.tenantId.trim())}/oauth2/v2.0/token`,
    );
    const req: HttpRequest = {
      service: 'entra',
      method: 'POST',
      url,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.conn.clientId,
        client_secret: this.conn.clientSecret,
        scope,
      }).toString(),
      timeoutMs: timeoutOf(this.conn),
      redactor: this.redactor,
    };
    this.stats.entraRequests++;
    const res = await send(req);
    const ok = ensureOkEntra(req, res);
    const token = this.readToken('entra', ok.text, req);
    this.remember(`entra:${scope}`, token.accessToken, token.expiresIn);
    return token.accessToken;
  }

  private async exchangeForIvToken(): Promise<string> {
    let entra = await this.entraToken(IV_ENTRA_SCOPE);
    try {
      return await this.exchange(entra);
    } catch (err) {
      // A cached Entra token the security service no longer takes: one fresh try.
      if (!(err instanceof UpstreamError) || err.status !== 401) throw err;
      this.cache.delete(`entra:${IV_ENTRA_SCOPE}`);
      entra = await this.entraToken(IV_ENTRA_SCOPE);
      return this.exchange(entra);
    }
  }

  private async exchange(entraToken: string): Promise<string> {
    const body = JSON.stringify({
      grant_type: 'client_credentials',
      client_assertion_type: 'aad_app',
      client_assertion: entraToken,
      scope: IV_EXCHANGE_SCOPE,
      context: this.conn.environmentId.trim(),
      context_type: 'finops-env',
    });
    let url = joinUrl(this.conn.ivSecurityServiceUrl, '/token');
    for (let hop = 0; ; hop++) {
      const req: HttpRequest = {
        service: 'iv',
        method: 'POST',
        url,
        headers: { 'Api-Version': '1.0', 'Content-Type': 'application/json', Accept: 'application/json' },
        body,
        timeoutMs: timeoutOf(this.conn),
        redirect: 'manual',
        redactor: this.redactor,
      };
      this.stats.ivExchanges++;
      const res = await send(req);
      if (res.status === 307 || res.status === 308) {
        url = this.nextHop(url, res.headers.get('location'), hop);
        continue;
      }
      ensureOk(req, res, { clientErrorKind: 'config' });
      const token = this.readToken('iv', res.text, req);
      this.remember('iv', token.accessToken, token.expiresIn);
      return token.accessToken;
    }
  }

  /** Where a 307/308 sends the same POST; refuses loops and https→http downgrades. */
  private nextHop(current: string, location: string | null, hop: number): string {
    const fail = (msg: string) =>
      new UpstreamError({
        kind: 'config',
        service: 'iv',
        upstreamMessage: `${msg} (${describe('POST', current)})`,
      });
    if (hop + 1 > MAX_REDIRECT_HOPS)
      throw fail(`more than ${MAX_REDIRECT_HOPS} redirects from the IV token service`);
    if (!location) throw fail('redirect without a Location header');
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw fail('redirect to an invalid Location');
    }
    // The body carries an Entra token: never send it in clear after it was sent over TLS.
    if (new URL(current).protocol === 'https:' && next.protocol !== 'https:') {
      throw fail('redirect from https to a non-https Location');
    }
    return checkUrl('iv', next.toString()).toString();
  }

  private readToken(
    service: UpstreamService,
    text: string,
    req: HttpRequest,
  ): { accessToken: string; expiresIn: unknown } {
    const json = tryParseJson(text);
    const accessToken = getCi(json, 'access_token');
    if (typeof accessToken !== 'string' || accessToken === '') {
      throw new UpstreamError({
        kind: 'retry',
        service,
        upstreamMessage: `token answer without access_token (${describe(req.method, req.url)})`,
      });
    }
    return { accessToken, expiresIn: getCi(json, 'expires_in') };
  }
}

/** Entra answers 4xx for bad tenant/client/secret/scope: configuration, except its own "try again". */
function ensureOkEntra(req: HttpRequest, res: HttpResponse): HttpResponse {
  if (res.status >= 200 && res.status < 300) return res;
  const transient = getCi(tryParseJson(res.text), 'error') === 'temporarily_unavailable';
  return ensureOk(req, res, { clientErrorKind: transient ? 'retry' : 'config' });
}
