/**
 * One HTTP exchange with an upstream: global fetch, `AbortSignal.timeout` covering
 * headers and body, failures turned into UpstreamError. No retries here: the sync
 * layer owns backoff (it knows Retry-After and the ledger state).
 */
import { UpstreamError, type UpstreamErrorKind, type UpstreamService } from './errors';
import { httpError, transportError } from './failures';
import type { Redactor } from './redaction';

export interface HttpRequest {
  service: UpstreamService;
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** Text, or the bytes of a data package. */
  body?: string | Uint8Array;
  timeoutMs: number;
  /** The request changes upstream state: a lost answer leaves the outcome unknown. */
  mutating?: boolean;
  redirect?: 'follow' | 'manual';
  redactor?: Redactor;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
  url: string;
}

/** `POST https://host/path` without the query string, for messages. */
export function describe(method: string, url: string): string {
  try {
    const u = new URL(url);
    return `${method} ${u.origin}${u.pathname}`;
  } catch {
    return `${method} ${url.split('?')[0]}`;
  }
}

/** Refuses anything but an absolute http(s) URL before fetch sees it. */
export function checkUrl(service: UpstreamService, url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UpstreamError({
      kind: 'config',
      service,
      upstreamMessage: `invalid URL: ${url.split('?')[0]}`,
    });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UpstreamError({
      kind: 'config',
      service,
      upstreamMessage: `unsupported URL scheme ${parsed.protocol} (${parsed.origin}${parsed.pathname})`,
    });
  }
  return parsed;
}

/** Sends the request; answers any HTTP status (see `ensureOk`), throws on transport failure. */
export async function send(req: HttpRequest): Promise<HttpResponse> {
  checkUrl(req.service, req.url);
  const what = describe(req.method, req.url);
  const ctx = {
    service: req.service,
    what,
    timeoutMs: req.timeoutMs,
    mutating: req.mutating ?? false,
    ...(req.redactor ? { redactor: req.redactor } : {}),
  };
  const signal = AbortSignal.timeout(req.timeoutMs);
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers ?? {},
      ...(req.body !== undefined ? { body: req.body } : {}),
      redirect: req.redirect ?? 'follow',
      signal,
    });
    // Same signal: a body that stops half-way times out like a missing answer.
    const text = await res.text();
    return {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
      text,
      url: res.url || req.url,
    };
  } catch (err) {
    throw transportError(err, ctx);
  }
}

export interface OkOptions {
  mutating?: boolean;
  clientErrorKind?: UpstreamErrorKind;
  redactor?: Redactor;
}

/** Throws the classified UpstreamError for a non-2xx answer. */
export function ensureOk(req: HttpRequest, res: HttpResponse, opts: OkOptions = {}): HttpResponse {
  if (res.status >= 200 && res.status < 300) return res;
  const redactor = opts.redactor ?? req.redactor;
  throw httpError(res, {
    service: req.service,
    what: describe(req.method, req.url),
    mutating: opts.mutating ?? req.mutating ?? false,
    ...(opts.clientErrorKind ? { clientErrorKind: opts.clientErrorKind } : {}),
    ...(redactor ? { redactor } : {}),
  });
}

/** Sends and throws on anything but 2xx. */
export async function request(req: HttpRequest, opts: OkOptions = {}): Promise<HttpResponse> {
  return ensureOk(req, await send(req), opts);
}
