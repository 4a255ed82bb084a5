/**
 * What every question of the tenant check works with: the upstream clients (one token provider,
 * so one redactor knows the secret and every token issued), the run's tags, raw calls whose
 * answers are kept as evidence, and a bounded poll.
 */

import type { ImportProfile } from '../../shared/import-profile';
import {
  TENANT_QUESTIONS,
  type TenantAnswer,
  type TenantCheckOptions,
  type TenantEvidence,
  type TenantQuestion,
} from '../../shared/tenant-check';
import { timeoutOf, type UpstreamConnection } from '../upstream/config';
import { isUpstreamError } from '../upstream/errors';
import { ensureOk, type HttpResponse, send } from '../upstream/http';
import { IvClient } from '../upstream/iv-client';
import { ScmClient } from '../upstream/scm-client';
import { TokenProvider } from '../upstream/tokens';

export interface CheckContext {
  iv: IvClient;
  scm: ScmClient;
  conn: UpstreamConnection;
  profile: ImportProfile;
  options: TenantCheckOptions & { organization: string };
  runId: string;
  /** Every id and description starts with this: `tenant-check-<run id>`. */
  tag: string;
  /** What was sent, in words, for the report. */
  sent: string[];
  redact(text: string): string;
  progress(line: string): void;
  sleep(ms: number): Promise<void>;
  now(): number;
}

export interface ContextInit {
  conn: UpstreamConnection;
  profile: ImportProfile;
  options: TenantCheckOptions & { organization: string };
  progress?: (line: string) => void;
  /** For tests: a clock and a sleep that need not be real. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A run ID short enough that `tenant-check-<id>-out` stays within the 36 characters of the app's own IDs. */
export function newRunId(at = new Date()): string {
  const day = at.toISOString().slice(2, 10).replace(/-/g, '');
  const random = Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `${day}${random}`;
}

export function createContext(init: ContextInit, runId = newRunId()): CheckContext {
  const tokens = new TokenProvider(init.conn);
  return {
    iv: new IvClient(init.conn, tokens),
    scm: new ScmClient(init.conn, tokens),
    conn: init.conn,
    profile: init.profile,
    options: init.options,
    runId,
    tag: `tenant-check-${runId}`,
    sent: [],
    redact: (text) => tokens.redactor.redact(text),
    progress: init.progress ?? (() => {}),
    sleep: init.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: init.now ?? Date.now,
  };
}

const MAX_BODY = 4000;

/** The text of an answer as the report keeps it: redacted, cut. */
export function kept(ctx: CheckContext, text: string): string {
  const redacted = ctx.redact(text);
  return redacted.length > MAX_BODY
    ? `${redacted.slice(0, MAX_BODY)}… (${redacted.length} characters)`
    : redacted;
}

/** A URL as evidence: redacted, and a long one cut (the URL probe's are 8,000 characters). */
export function shownUrl(ctx: CheckContext, method: string, url: string): string {
  const text = `${method} ${ctx.redact(url)}`;
  return text.length > 400 ? `${text.slice(0, 400)}… (${url.length} characters)` : text;
}

/**
 * A call to SCM with the client's token (refreshed once on a 401), answered whatever its status:
 * the tenant check wants to see what SCM says, not only whether it is a 2xx.
 */
export async function scmRaw(
  ctx: CheckContext,
  method: 'GET' | 'POST',
  url: string,
  body?: string,
): Promise<HttpResponse> {
  return ctx.scm.tokens.withAuth('scm', async (token) => {
    const req = {
      service: 'scm' as const,
      method,
      url,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
      },
      ...(body !== undefined && { body }),
      timeoutMs: timeoutOf(ctx.conn),
      redactor: ctx.scm.tokens.redactor,
    };
    const res = await send(req);
    // Through ensureOk, so that withAuth refreshes the token once.
    if (res.status === 401) ensureOk(req, res);
    return res;
  });
}

export function responseEvidence(
  ctx: CheckContext,
  what: string,
  method: string,
  url: string,
  res: { status: number; text: string },
): TenantEvidence {
  return { what, request: shownUrl(ctx, method, url), status: res.status, body: kept(ctx, res.text) };
}

/** An error in words, as evidence and as the answer's text. */
export function errorWords(ctx: CheckContext, error: unknown): string {
  if (isUpstreamError(error)) return ctx.redact(error.message);
  return ctx.redact(error instanceof Error ? error.message : String(error));
}

export function answer(
  key: TenantQuestion,
  words: string,
  facts: Record<string, unknown>,
  evidence: TenantEvidence[],
): TenantAnswer {
  return { key, ...TENANT_QUESTIONS[key], asked: true, answer: words, facts, evidence };
}

export function notAsked(key: TenantQuestion, why: string): TenantAnswer {
  return { key, ...TENANT_QUESTIONS[key], asked: false, answer: why, facts: {}, evidence: [] };
}

/** A question that failed half-way: asked, not answered, with the error in words. */
export function failed(
  ctx: CheckContext,
  key: TenantQuestion,
  error: unknown,
  evidence: TenantEvidence[] = [],
): TenantAnswer {
  const words = errorWords(ctx, error);
  return answer(key, `Could not be answered: ${words}`, { error: words }, [
    ...evidence,
    { what: 'the error', body: words },
  ]);
}

/**
 * Asks `step` until it answers something, waiting 0.25 s, then twice as long each time up to 5 s,
 * for at most `waitMinutes`: quick against the emulator, gentle on a tenant. Answers null when
 * the time is up.
 */
export async function poll<T>(ctx: CheckContext, step: () => Promise<T | null>): Promise<T | null> {
  const deadline = ctx.now() + ctx.options.waitMinutes * 60_000;
  let delay = 250;
  for (;;) {
    const found = await step();
    if (found !== null) return found;
    if (ctx.now() + delay > deadline) return null;
    await ctx.sleep(delay);
    delay = Math.min(delay * 2, 5000);
  }
}
