import type { IncomingMessage, ServerResponse } from 'node:http';
import { yieldEvery } from '../event-loop';
import { HttpError } from './http-error';
import { JsonShapeScanner, parseScanned } from './json-body';

/** 32 MiB: a 50,000-line bulk request with long references fits, a runaway feed does not. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

/**
 * Writes a long answer piece by piece: with backpressure, and yielding to the event loop
 * whenever a slice's budget is spent, because a fast reader never pushes back and a long
 * answer would otherwise hold the loop from its first byte to its last.
 */
export async function writeInSlices(res: ServerResponse, pieces: Iterable<string>): Promise<void> {
  const pause = yieldEvery();
  let buffer = '';
  for (const piece of pieces) {
    buffer += piece;
    if (buffer.length > 64 * 1024) {
      const drained = write(res, buffer);
      buffer = '';
      if (drained) await drained;
    }
    const turn = pause();
    if (turn) await turn;
  }
  res.end(buffer);
}

/** A large JSON array answer (a 50,000-line bulk's results), stringified item by item. */
export async function sendJsonArray(
  res: ServerResponse,
  status: number,
  items: readonly unknown[],
): Promise<void> {
  if (items.length <= 1000) return sendJson(res, status, items);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  await writeInSlices(res, jsonArrayPieces(items));
}

function* jsonArrayPieces(items: readonly unknown[]): Generator<string> {
  yield '[';
  for (let i = 0; i < items.length; i++) yield (i === 0 ? '' : ',') + JSON.stringify(items[i]);
  yield ']';
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(
    res,
    error.status,
    { error: { message: error.message }, ...(error.errors && { errors: error.errors }) },
    error.headers,
  );
}

/**
 * Reads and parses a JSON body: 415 if it is not declared JSON, 413 past the limit, 400 if
 * it does not parse. Its shape is checked as it streams in (json-body.ts), so a hostile
 * body is refused early, and it is parsed element by element with yields in between.
 */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, 'The body must be JSON, sent with Content-Type: application/json');
  }
  const tooLarge = () =>
    new HttpError(413, `The body is larger than ${limit} bytes; send fewer lines per request`);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw tooLarge();
  }
  const scanner = new JsonShapeScanner();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooLarge();
      scanner.push(chunk);
      chunks.push(chunk);
    }
    scanner.finish();
  } catch (error) {
    // Stop reading what is refused anyway; the answer goes out and the socket closes.
    req.resume();
    if (error instanceof HttpError) error.headers.connection = 'close';
    throw error;
  }
  if (scanner.elements.length === 0 && !scanner.topIsArray)
    throw new HttpError(400, 'The body is empty', [{ field: '(body)', message: 'must not be empty' }]);
  return parseScanned(Buffer.concat(chunks, size), scanner);
}

/**
 * A file sent as the raw body, bounded: a declared length past the limit is refused before a
 * byte is read, and a body that runs past it (a lying or missing Content-Length) at the first
 * byte past it, with 413 and words naming the limit. Nothing past the limit is kept.
 */
export async function readRawBody(
  req: IncomingMessage,
  limit: { maxBytes: number; words: string },
  /** How errors name the body: the RPC input's field, or the API's `(body)`. */
  field = 'content',
): Promise<Buffer> {
  const tooLarge = () =>
    new HttpError(
      413,
      `The file is larger than ${limit.words}: it was not read. Split it or make it smaller.`,
      [{ field, message: `must be at most ${limit.words}` }],
      { connection: 'close' },
    );
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit.maxBytes) {
    req.resume();
    throw tooLarge();
  }
  // A declared length within the limit is the buffer's size; one that lies is caught below.
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit.maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (error) {
    req.resume();
    if (error instanceof HttpError) throw error;
    // The client went away before its declared length: nothing was read in full.
    throw new HttpError(400, 'The file ended before its declared length: send it again', [
      { field, message: 'ended before its declared length' },
    ]);
  }
  if (size === 0)
    throw new HttpError(400, 'The body is empty: send the file', [{ field, message: 'must not be empty' }]);
  return Buffer.concat(chunks, size);
}

/**
 * Every address is checked once at the door: a malformed %-escape (`/%ff`) is the
 * caller's mistake, a 400 in words, not a URIError deep in a route and a 500 in the log.
 * Past this check every path segment decodes without throwing.
 */
export function checkAddress(req: IncomingMessage): URL {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  try {
    decodeURIComponent(url.pathname);
  } catch {
    throw new HttpError(400, 'The address is not valid: it holds a %-escape that is not UTF-8', [
      { field: '(path)', message: 'holds a %-escape that is not UTF-8' },
    ]);
  }
  return url;
}

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;

/**
 * Refuses requests whose Host is not loopback: a web page that rebinds its own DNS name
 * to 127.0.0.1 cannot reach the API or the RPC through the victim's browser.
 */
export function checkLoopbackHost(req: IncomingMessage): void {
  if (!LOOPBACK_HOST.test(req.headers.host ?? ''))
    throw new HttpError(421, 'Store Ledger answers on loopback addresses only');
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Writes with backpressure, for streamed exports: a promise only when the reader has fallen
 * behind (awaiting nothing would still hand the loop to every other microtask).
 */
export function write(res: ServerResponse, chunk: string): Promise<void> | undefined {
  if (!res.write(chunk)) {
    return new Promise<void>((resolve, reject) => {
      const onDrain = () => {
        res.off('close', onClose);
        resolve();
      };
      const onClose = () => {
        res.off('drain', onDrain);
        reject(new Error('client went away'));
      };
      res.once('drain', onDrain);
      res.once('close', onClose);
    });
  }
  return undefined;
}
