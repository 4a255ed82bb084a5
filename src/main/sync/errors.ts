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

/**
 * What to do about a refused credential, naming the causes seen in practice rather than "check
 * the settings": IV takes only the app registration it was installed with; SCM needs the app
 * registered in SCM, and on the recurring data job's authorization policy ("On the Set up
 * authorization policy tab, enter the application ID",
 * https://learn.microsoft.com/dynamics365/fin-ops-core/dev-itpro/data-entities/recurring-integrations).
 */
const AUTH_ADVICE: Record<UpstreamService, string> = {
  entra:
    'Microsoft Entra refused the app: check the tenant ID, client ID and client secret under Settings › Connection (a client secret expires: make a new one in the app registration).',
  iv: "Inventory Visibility refused the app. The two usual causes: the client ID must be the app registration Inventory Visibility was installed with (Power Platform admin center › the environment › Dynamics 365 apps › Inventory Visibility), and the environment ID must be that environment's.",
  scm: "Supply Chain Management refused the app. The two usual causes: the client ID must be registered in SCM (System administration › Setup › Microsoft Entra applications, with a user), and it must be on the recurring data job's authorization policy (Data management › the data project › the recurring data job › Set up authorization policy).",
};

/** Advice for a refused credential (401, 403, or Entra refusing the app), or null. */
export function adviceFor(c: Pick<Classified, 'service' | 'status' | 'kind'>): string | null {
  if (c.service !== null && (c.status === 401 || c.status === 403)) return AUTH_ADVICE[c.service];
  if (c.service === 'entra' && c.kind === 'config') return AUTH_ADVICE.entra;
  return null;
}

/** Text for the ledger and the attempt log: bounded, so one huge answer cannot bloat the file. */
export function clip(text: string | null | undefined, max = 4000): string | null {
  if (text === null || text === undefined) return null;
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}
