import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { BusinessLayer } from '../business-layer';
import { HttpError } from './http-error';

const PATH = /^\/download\/([A-Za-z0-9_-]{1,100})$/;

/**
 * `GET /download/{downloadId}`: a file main offered (an XLSX export, a diagnostics bundle),
 * streamed from disk with backpressure, once. The ID is the capability (downloads/offers.ts):
 * given only in an answer to the token-guarded RPC, so the browser shell saves the file by plain
 * navigation, straight to disk, with nothing held in the page or in this process.
 */
export async function handleDownload(
  layer: BusinessLayer,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (!url.pathname.startsWith('/download/')) return false;
  if (req.method !== 'GET') throw new HttpError(405, 'Use GET for downloads', undefined, { allow: 'GET' });
  const id = PATH.exec(url.pathname)?.[1];
  const offered = id ? layer.downloads.take(id) : undefined;
  if (!offered)
    throw new HttpError(
      404,
      'This file was downloaded already or is no longer there (after 10 minutes): export it again.',
    );
  try {
    const stream = fs.createReadStream(offered.file);
    const opened = await new Promise<boolean>((resolve) => {
      stream.once('open', () => resolve(true));
      stream.once('error', () => resolve(false));
    });
    if (!opened) throw new HttpError(404, 'This file is no longer there: make it again.');
    res.writeHead(200, {
      'content-type': offered.contentType,
      'content-length': offered.bytes,
      'content-disposition': attachment(offered.fileName),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    await pipeline(stream, res);
  } finally {
    offered.done();
  }
  return true;
}

/** RFC 6266: an ASCII fallback name, and the real one percent-encoded (RFC 5987). */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
