/**
 * Every upstream failure becomes an UpstreamError saying what to do about it
 * (errors are data, recorded on the line, so a clerk sees what to do): retry later, fix the
 * data, or fix the configuration.
 * Its neighbours: failures.ts turns HTTP answers and fetch rejections into one,
 * answer-text.ts reads the upstream's own message out of a body, redaction.ts keeps
 * credentials out of every message.
 */
import { scrubCredentials } from './redaction';

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

/** What a non-2xx status means for us. `clientErrorKind` decides the remaining 4xx. */
export function kindForStatus(
  status: number,
  clientErrorKind: UpstreamErrorKind = 'data',
): UpstreamErrorKind {
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  if (status === 401 || status === 403 || status === 404 || status === 405 || status < 400) return 'config';
  return clientErrorKind;
}
