// Microsoft Entra client-credentials tokens and the IV security service's token exchange.
import { randomBytes, randomUUID } from 'node:crypto';
import { type EmuRequest, getCI, isRecord, ivError, parseJson, type Reply, reply } from './http';
import type { EmulatorState } from './state';

export const IV_ENTRA_SCOPE = '0cdb527f-a8d1-4bf8-9436-b352c68682b2/.default';
export const IV_EXCHANGE_SCOPE = 'https://inventoryservice.operations365.dynamics.com/.default';
export const IV_TOKEN_REDIRECT_PATH = '/ivsec/redirected/token';

/** entra-iv: Entra token for the IV exchange; iv: IV service token; scm: Entra token for SCM. */
export type Audience = 'entra-iv' | 'iv' | 'scm';

export class TokenStore {
  private readonly tokens = new Map<string, { audience: Audience; expiresAt: number }>();

  issue(audience: Audience, lifetimeSeconds: number): string {
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, { audience, expiresAt: Date.now() + lifetimeSeconds * 1000 });
    return token;
  }

  valid(token: string | undefined, audience: Audience): boolean {
    if (!token) return false;
    const entry = this.tokens.get(token);
    return entry !== undefined && entry.audience === audience && Date.now() < entry.expiresAt;
  }

  expireAll(): void {
    for (const entry of this.tokens.values()) entry.expiresAt = 0;
  }
}

function entraError(status: number, error: string, code: number, description: string): Reply {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return reply(status, {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
  });
}

const missing = (name: string) =>
  entraError(
    400,
    'invalid_request',
    900144,
    `The request body must contain the following parameter: '${name}'.`,
  );

/** POST {authorityHost}/{tenantId}/oauth2/v2.0/token, form-encoded. */
export function entraToken(s: EmulatorState, req: EmuRequest, tenantId: string): Reply {
  const creds = s.credentials;
  if (tenantId.toLowerCase() !== creds.tenantId.toLowerCase()) {
    return entraError(400, 'invalid_request', 90002, `Tenant '${tenantId}' not found.`);
  }
  const form = new URLSearchParams(req.body.toString('utf8'));
  let clientId = form.get('client_id');
  let secret = form.get('client_secret');
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic?.[1]) {
    const [id, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    clientId ??= decodeURIComponent(id ?? '');
    secret ??= decodeURIComponent(rest.join(':'));
  }
  const grant = form.get('grant_type');
  if (!grant) return missing('grant_type');
  if (grant !== 'client_credentials') {
    return entraError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grant}'.`,
    );
  }
  if (!clientId) return missing('client_id');
  if (clientId !== creds.clientId) {
    return entraError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${creds.tenantId}'.`,
    );
  }
  if (!secret) {
    return entraError(
      401,
      'invalid_client',
      7000216,
      "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
    );
  }
  if (secret !== creds.clientSecret) {
    return entraError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    );
  }
  const scope = form.get('scope');
  if (!scope) return missing('scope');
  const audience: Audience | undefined =
    scope === IV_ENTRA_SCOPE
      ? 'entra-iv'
      : scope === `${creds.fnoEnvironmentUrl}/.default`
        ? 'scm'
        : undefined;
  if (!audience) {
    return entraError(
      400,
      'invalid_scope',
      500011,
      `The resource principal named '${scope.replace(/\/\.default$/, '')}' was not found in the tenant named '${creds.tenantId}'. Expected '${IV_ENTRA_SCOPE}' or '${creds.fnoEnvironmentUrl}/.default'.`,
    );
  }
  const lifetime = s.tokenLifetimeSeconds;
  return reply(200, {
    token_type: 'Bearer',
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: s.tokens.issue(audience, lifetime),
  });
}

/** POST {ivSecurityServiceUrl}/token; optionally bounces once through a 307. */
export function ivTokenExchange(s: EmulatorState, req: EmuRequest, redirected: boolean): Reply {
  if (!redirected && s.settings.ivTokenRedirect) {
    return { status: 307, headers: { location: `${s.url}${IV_TOKEN_REDIRECT_PATH}` }, text: '' };
  }
  const parsed = parseJson(req.body);
  if (!parsed.ok || !isRecord(parsed.value)) {
    return reply(400, { error: 'invalid_request', error_description: 'The body must be a JSON object.' });
  }
  const body = parsed.value;
  const field = (name: string) => {
    const v = getCI(body, name);
    return typeof v === 'string' ? v : undefined;
  };
  const bad = (error: string, description: string, status = 400) =>
    reply(status, { error, error_description: description });

  if (field('grant_type') !== 'client_credentials') {
    return bad('unsupported_grant_type', "grant_type must be 'client_credentials'.");
  }
  if (field('client_assertion_type') !== 'aad_app') {
    return bad('invalid_request', "client_assertion_type must be 'aad_app'.");
  }
  if (!s.tokens.valid(field('client_assertion'), 'entra-iv')) {
    return bad(
      'invalid_client',
      `client_assertion is not a valid, unexpired Microsoft Entra token for scope '${IV_ENTRA_SCOPE}'.`,
      401,
    );
  }
  if (field('scope')?.toLowerCase() !== IV_EXCHANGE_SCOPE) {
    return bad('invalid_scope', `scope must be '${IV_EXCHANGE_SCOPE}'.`);
  }
  if (field('context_type')?.toLowerCase() !== 'finops-env') {
    return bad('invalid_request', "context_type must be 'finops-env'.");
  }
  const context = field('context') ?? '';
  if (context.toLowerCase() !== s.credentials.environmentId.toLowerCase()) {
    return ivError(404, `Environment '${context}' not found.`);
  }
  const lifetime = s.tokenLifetimeSeconds;
  return reply(200, {
    access_token: s.tokens.issue('iv', lifetime),
    token_type: 'bearer',
    expires_in: lifetime,
  });
}
