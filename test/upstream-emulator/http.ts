// Request/reply plumbing shared by the route handlers.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export interface EmuRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON when defined; `text` otherwise. */
  json?: unknown;
  text?: string;
}

export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export function reply(status: number, json: unknown, headers?: Record<string, string>): Reply {
  return headers ? { status, json, headers } : { status, json };
}

/**
 * The F&O OData error shape (https://learn.microsoft.com/dynamics365/fin-ops-core/dev-itpro/data-entities/odata):
 * clients show innererror.message.
 */
export function odataError(
  status: number,
  message: string,
  type = 'System.InvalidOperationException',
): Reply {
  return reply(status, {
    error: { code: '', message: 'An error has occurred.', innererror: { message, type, stacktrace: '' } },
  });
}

export function ivError(status: number, message: string): Reply {
  return reply(status, { statusCode: status, message });
}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`Request body over ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function writeReply(res: ServerResponse, r: Reply): void {
  const headers: Record<string, string> = { ...r.headers };
  let body = '';
  if (r.json !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8';
    body = JSON.stringify(r.json);
  } else if (r.text !== undefined) {
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    body = r.text;
  }
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(r.status, headers);
  res.end(body);
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; error: string };

export function parseJson(body: Buffer): JsonResult {
  try {
    return { ok: true, value: JSON.parse(stripBom(body.toString('utf8'))) };
  } catch (err) {
    return { ok: false, error: `The request body is not valid JSON: ${(err as Error).message}` };
  }
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Property lookup without regard to case, as IV (ASP.NET) binds a JSON body: a property given
 * under several spellings takes the last one's value, as .NET's JSON binders set each in turn.
 */
export function getCI(obj: Record<string, unknown>, name: string): unknown {
  const lower = name.toLowerCase();
  let found: unknown;
  for (const [key, value] of Object.entries(obj)) if (key.toLowerCase() === lower) found = value;
  return found;
}
