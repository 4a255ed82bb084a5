import http from 'node:http';

/**
 * One request on a connection of its own (no keep-alive pool). A test that holds its own event
 * loop for seconds (filling a ledger in-process, building a zip bomb) must not reuse a pooled
 * socket afterwards: the server may have closed it at its keep-alive timeout while neither side
 * could turn, and a request written on it meets ECONNRESET. That is HTTP keep-alive's own race,
 * not the server's behaviour under test.
 */
export function freshRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: Uint8Array | string } = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
