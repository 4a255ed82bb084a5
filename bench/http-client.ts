import http from 'node:http';

export interface HttpAnswer {
  status: number;
  body: Buffer;
  /** Body bytes received (when `discard`, the body is counted, not kept). */
  bytes: number;
}

/**
 * One HTTP request over node:http, for the load's long calls: fetch gives up on an answer whose
 * headers take more than 300 s (undici's headersTimeout), and an RPC answers only when its work
 * is done (a 1,000,000-line workbook under load takes longer). A browser waits.
 */
export function httpRequest(
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Uint8Array;
    signal?: AbortSignal;
    discard?: boolean;
  } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, signal: init.signal },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (!init.discard) chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), bytes }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
