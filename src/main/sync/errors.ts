import type { ErrorKind } from '../../shared/views';
import { isUpstreamError, type UpstreamService } from '../upstream';

/** An error as the sync engine records it: what to do about it, and the upstream's own words. */
export interface Classified {
  kind: ErrorKind;
  message: string;
  /** No answer at all (refused, reset, timeout): the upstream is unreachable from here. */
  offline: boolean;
  service: UpstreamService | null;
  status: number | null;
  retryAfterMs?: number;
  /** A write that may have been applied although we saw it fail. */
  outcomeUnknown: boolean;
}

export function classify(error: unknown): Classified {
  if (isUpstreamError(error)) {
    return {
      kind: error.kind,
      message: error.message,
      offline: error.kind === 'retry' && error.status === undefined,
      service: error.service,
      status: error.status ?? null,
      ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
      outcomeUnknown: error.outcomeUnknown,
    };
  }
  // Not an upstream answer: a fault of ours (or of the disk). Retried later like a transient one.
  return {
    kind: 'retry',
    message: `Store Ledger error: ${error instanceof Error ? error.message : String(error)}`,
    offline: false,
    service: null,
    status: null,
    outcomeUnknown: true,
  };
}

/** Text for the ledger and the attempt log: bounded, so one huge answer cannot bloat the file. */
export function clip(text: string | null | undefined, max = 4000): string | null {
  if (text === null || text === undefined) return null;
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}
