/**
 * Every upstream failure becomes an UpstreamError saying what to do about it
 * (architecture.md "Errors are data"): retry later, fix the data, or fix the configuration.
 */
export type UpstreamErrorKind = 'retry' | 'data' | 'config';
export type UpstreamService = 'entra' | 'iv' | 'scm';

export interface UpstreamErrorInit {
  kind: UpstreamErrorKind;
  service: UpstreamService;
  /** The upstream's own human message (or ours for transport failures). */
  upstreamMessage: string;
  status?: number;
  retryAfterMs?: number;
  outcomeUnknown?: boolean;
  cause?: unknown;
}

/** Plain-object form, safe to store on a ledger row or send across a process boundary. */
export interface UpstreamErrorData {
  name: 'UpstreamError';
  kind: UpstreamErrorKind;
  service: UpstreamService;
  status?: number;
  retryAfterMs?: number;
  upstreamMessage: string;
  outcomeUnknown: boolean;
  message: string;
}

const SERVICE_LABEL: Record<UpstreamService, string> = {
  entra: 'Microsoft Entra',
  iv: 'Inventory Visibility',
  scm: 'Supply Chain Management',
};

export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly kind: UpstreamErrorKind;
  readonly service: UpstreamService;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly upstreamMessage: string;
  /** true when the request may have been applied upstream (timeout/connection reset after sending) */
  readonly outcomeUnknown: boolean;

  constructor(init: UpstreamErrorInit) {
    // Last line of defence: whatever built the message, no bearer token leaves this object.
    const upstreamMessage = scrubCredentials(init.upstreamMessage);
    const status = init.status !== undefined ? ` (HTTP ${init.status})` : '';
    super(
      `${SERVICE_LABEL[init.service]}${status}: ${upstreamMessage}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.kind = init.kind;
    this.service = init.service;
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    this.upstreamMessage = upstreamMessage;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }

  toJSON(): UpstreamErrorData {
    const data: UpstreamErrorData = {
      name: this.name,
      kind: this.kind,
      service: this.service,
      upstreamMessage: this.upstreamMessage,
      outcomeUnknown: this.outcomeUnknown,
      message: this.message,
    };
    if (this.status !== undefined) data.status = this.status;
    if (this.retryAfterMs !== undefined) data.retryAfterMs = this.retryAfterMs;
    return data;
  }
}

export function isUpstreamError(err: unknown): err is UpstreamError {
  return err instanceof UpstreamError;
}

// ---------------------------------------------------------------------------------------
// Redaction

const REDACTED = '[redacted]';
const JWT = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;
const BEARER = /(bearer\s+)[^\s"',;]+/gi;
const CREDENTIAL_FIELD =
  /((?:access_token|client_secret|client_assertion|refresh_token)["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi;

/** Removes anything shaped like a credential (JWTs, bearer values, credential fields). */
export function scrubCredentials(text: string): string {
  return text
    .replace(JWT, REDACTED)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(CREDENTIAL_FIELD, `$1${REDACTED}`);
}

/** Knows the client secret and the tokens recently issued, and blanks them out of any text. */
export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly tokens: string[] = [];

  addSecret(secret: string): void {
    // Very short values would blank out ordinary words; such a secret is not a secret anyway.
    if (secret.length >= 3) this.secrets.add(secret);
  }

  addToken(token: string): void {
    if (token.length < 3 || this.tokens.includes(token)) return;
    this.tokens.push(token);
    if (this.tokens.length > 16) this.tokens.shift();
  }

  redact(text: string): string {
    let out = text;
    for (const s of [...this.secrets, ...this.tokens]) {
      for (const form of new Set([s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)])) {
        out = out.split(form).join(REDACTED);
      }
    }
    return scrubCredentials(out);
  }
}

// ---------------------------------------------------------------------------------------
// Classification

/** What a non-2xx status means for us. `clientErrorKind` decides the remaining 4xx. */
export function kindForStatus(
  status: number,
  clientErrorKind: UpstreamErrorKind = 'data',
): UpstreamErrorKind {
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  if (status === 401 || status === 403 || status === 404 || status === 405 || status < 400) return 'config';
  return clientErrorKind;
}

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

const MAX_MESSAGE = 2000;

/**
 * The human part of an error body: Entra `error_description`, OData
 * `error.innererror.message` (else `error.message`), IV's JSON `message`/problem
 * details, or the text itself.
 */
export function extractUpstreamMessage(body: string): string | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  const json = tryParseJson(text);
  if (json !== undefined) {
    const m = messageFromJson(json);
    if (m !== undefined && m.trim() !== '') return truncate(m.trim());
  }
  if (/^\s*<(!doctype|html)/i.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return title ? truncate(title) : undefined;
  }
  return truncate(text);
}

function truncate(s: string): string {
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s;
}

export function tryParseJson(text: string): unknown {
  const t = text.trim();
  if (t === '' || !/^[[{"]/.test(t)) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

/** Property lookup without regard to case (upstream.md: keep the client tolerant). */
export function getCi(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const rec = obj as Record<string, unknown>;
  if (key in rec) return rec[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(rec)) if (k.toLowerCase() === lower) return rec[k];
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function messageFromJson(json: unknown): string | undefined {
  if (typeof json === 'string') return json;
  if (Array.isArray(json)) {
    const parts = json.map(messageFromJson).filter((m): m is string => m !== undefined);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  if (json === null || typeof json !== 'object') return undefined;

  const description = str(getCi(json, 'error_description'));
  if (description) return description;

  const error = getCi(json, 'error');
  if (error !== null && typeof error === 'object') {
    const inner = str(getCi(getCi(error, 'innererror'), 'message'));
    return inner ?? str(getCi(error, 'message')) ?? str(getCi(error, 'code'));
  }

  const message = str(getCi(json, 'message'));
  if (message) return message;

  const title = str(getCi(json, 'title'));
  const detail = str(getCi(json, 'detail'));
  const errors = getCi(json, 'errors');
  const listed =
    errors !== null && typeof errors === 'object'
      ? Object.entries(errors as Record<string, unknown>)
          .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' ') : String(v)}`)
          .join('; ')
      : undefined;
  const composed = [title, detail, listed].filter(Boolean).join(' ');
  if (composed) return composed;

  return str(error);
}

// ---------------------------------------------------------------------------------------
// Transport failures

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
    // A gateway error or a server fault on a write may come after the write was applied.
    outcomeUnknown: ctx.mutating && (res.status === 500 || res.status === 502 || res.status === 504),
  };
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), ctx.now);
  if (retryAfterMs !== undefined && kind === 'retry') init.retryAfterMs = retryAfterMs;
  return new UpstreamError(init);
}
