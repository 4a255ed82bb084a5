/**
 * Connection settings for the three upstream services (Entra, IV, SCM). Every base
 * URL is a setting, so the same code talks to the cloud or to the loopback emulator.
 */
export interface UpstreamConnection {
  /** e.g. `https://login.microsoftonline.com` */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** IV service base URL, e.g. `https://inventoryservice.<region>-il<n>.gateway.prod.island.powerapps.com` */
  ivEndpoint: string;
  /** IV security service base URL (the `/token` path is appended), e.g. `https://securityservice.operations365.dynamics.com` */
  ivSecurityServiceUrl: string;
  environmentId: string;
  /** e.g. `https://contoso.operations.dynamics.com` */
  fnoEnvironmentUrl: string;
  /** GUID of the SCM recurring data job (the "Fno adjustment integration activity Id"). */
  activityId: string;
  /** Per-request timeout (headers and body), default 30 s. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Entra scope of the token that is exchanged for an IV token
 * (https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-api).
 */
export const IV_ENTRA_SCOPE = '0cdb527f-a8d1-4bf8-9436-b352c68682b2/.default';

/**
 * Scope asked of the IV security service in the token exchange
 * (https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-api).
 */
export const IV_EXCHANGE_SCOPE = 'https://inventoryservice.operations365.dynamics.com/.default';

export function trimTrailingSlashes(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** SCM's Entra scope: the environment URL without a trailing slash, plus `/.default`. */
export function scmScope(conn: Pick<UpstreamConnection, 'fnoEnvironmentUrl'>): string {
  return `${trimTrailingSlashes(conn.fnoEnvironmentUrl)}/.default`;
}

/** `base` (trailing slashes dropped) + `path` (which starts with `/`). */
export function joinUrl(base: string, path: string): string {
  return `${trimTrailingSlashes(base)}${path}`;
}

export function timeoutOf(conn: Pick<UpstreamConnection, 'timeoutMs'>): number {
  const t = conn.timeoutMs;
  return t !== undefined && Number.isFinite(t) && t > 0 ? t : DEFAULT_TIMEOUT_MS;
}
