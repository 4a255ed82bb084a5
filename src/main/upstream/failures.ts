/**
 * Failures become UpstreamErrors: a non-2xx answer (with the upstream's own message and its
 * Retry-After) or a fetch rejection (timeout, refused, reset, DNS, bad URL, bad certificate).
 */
import { extractUpstreamMessage } from './answer-text';
import {
  kindForStatus,
  UpstreamError,
  type UpstreamErrorInit,
  type UpstreamErrorKind,
  type UpstreamService,
} from './errors';
import type { Redactor } from './redaction';

/** `Retry-After` as seconds (integer or decimal) or an HTTP-date → milliseconds from now. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

// A store that lost its network often cannot resolve names at all (Windows answers
// ENOTFOUND, Linux EAI_AGAIN): that is "offline, try later", not a wrong URL.
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const CONFIG_CODES = new Set([
  'ERR_INVALID_URL',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function causeCode(err: unknown, depth = 0): { code?: string; message?: string } {
  if (depth > 4 || err === null || typeof err !== 'object') return {};
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string')
    return { code: e.code, message: typeof e.message === 'string' ? e.message : '' };
  if (Array.isArray(e.errors)) {
    for (const sub of e.errors) {
      const found = causeCode(sub, depth + 1);
      if (found.code) return found;
    }
  }
  if (e.cause !== undefined) {
    const found = causeCode(e.cause, depth + 1);
    if (found.code || found.message) return found;
  }
  return typeof e.message === 'string' ? { message: e.message } : {};
}

export interface TransportContext {
  service: UpstreamService;
  /** e.g. `POST https://host/path` (no query string) */
  what: string;
  timeoutMs: number;
  /** The request changes upstream state (IV bulk, SCM enqueue). */
  mutating: boolean;
  redactor?: Redactor;
}

/** A fetch rejection (timeout, refused, reset, DNS, bad URL) → UpstreamError. */
export function transportError(err: unknown, ctx: TransportContext): UpstreamError {
  const redact = (s: string) => (ctx.redactor ? ctx.redactor.redact(s) : s);
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  if (name === 'TimeoutError') {
    return new UpstreamError({
      kind: 'retry',
      service: ctx.service,
      upstreamMessage: redact(`no answer within ${ctx.timeoutMs} ms (${ctx.what})`),
      outcomeUnknown: ctx.mutating,
    });
  }
  if (name === 'AbortError') {
    return new UpstreamError({
      kind: 'retry',
      service: ctx.service,
      upstreamMessage: redact(`request aborted (${ctx.what})`),
      outcomeUnknown: ctx.mutating,
    });
  }
  const { code, message } = causeCode(err);
  const detail = [code, message].filter(Boolean).join(' ');
  const what = redact(`${detail || 'network error'} (${ctx.what})`);
  if (
    (code && CONFIG_CODES.has(code)) ||
    /unknown scheme|bad port|invalid url|failed to parse url/i.test(message ?? '')
  ) {
    return new UpstreamError({ kind: 'config', service: ctx.service, upstreamMessage: what, cause: code });
  }
  return new UpstreamError({
    kind: 'retry',
    service: ctx.service,
    upstreamMessage: what,
    outcomeUnknown: ctx.mutating && !(code && NOT_SENT.has(code)),
    cause: code,
  });
}

export interface HttpErrorContext {
  service: UpstreamService;
  what: string;
  mutating: boolean;
  /** What a 4xx other than 401/403/404/405/408/429 means here (token endpoints: config). */
  clientErrorKind?: UpstreamErrorKind;
  redactor?: Redactor;
  now?: number;
}

/**
 * A gateway error or a server fault on a write may come after the write was applied (503 says
 * the service did not take the request; 4xx are refusals).
 */
export function mayHaveApplied(status: number): boolean {
  return status === 500 || status === 502 || status === 504;
}

/** A non-2xx answer → UpstreamError with the upstream's own message. */
export function httpError(
  res: { status: number; statusText?: string; headers: Headers; text: string },
  ctx: HttpErrorContext,
): UpstreamError {
  const kind = kindForStatus(res.status, ctx.clientErrorKind);
  const extracted = extractUpstreamMessage(res.text);
  const fallback = `${res.status}${res.statusText ? ` ${res.statusText}` : ''} from ${ctx.what}`;
  const upstreamMessage = ctx.redactor ? ctx.redactor.redact(extracted ?? fallback) : (extracted ?? fallback);
  const init: UpstreamErrorInit = {
    kind,
    service: ctx.service,
    status: res.status,
    upstreamMessage,
    outcomeUnknown: ctx.mutating && mayHaveApplied(res.status),
  };
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), ctx.now);
  if (retryAfterMs !== undefined && kind === 'retry') init.retryAfterMs = retryAfterMs;
  return new UpstreamError(init);
}
