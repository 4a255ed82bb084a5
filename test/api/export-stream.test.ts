import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/main/ingest/ingest';
import { API_KEY, type ApiFixture, seedLine, startApi } from '../helpers/layer';
import { author } from '../helpers/people';

let f: ApiFixture;
const LINES = 60_000;
beforeAll(async () => {
  f = await startApi();
  for (let start = 0; start < LINES; start += 10_000) {
    const lines = Array.from({ length: 10_000 }, (_, i) =>
      seedLine({ id: `x-${start + i}`, productId: 'EXP' }),
    );
    expect(ingest(f.layer.ledger, lines, { source: 'api', author: author('t'), instantIv: false }).kind).toBe(
      'ok',
    );
  }
});
afterAll(async () => {
  await f.close();
});

describe('a big CSV export', () => {
  it('lets other requests through while it streams to a fast reader, and exports every line', async () => {
    // The reader is another process, as a spreadsheet or a store system would be: it reads
    // as fast as it can, so backpressure alone never gives this server's event loop a turn.
    let exportDone = false;
    const reader = spawn(
      process.execPath,
      [
        '-e',
        `fetch(process.argv[1], { headers: { authorization: 'Bearer ${API_KEY}' } })
           .then((r) => r.text()).then((t) => process.stdout.write(String(t.trim().split('\\r\\n').length)))`,
        `${f.api}/adjustment/lines.csv`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let rows = '';
    reader.stdout.on('data', (d: Buffer) => {
      rows += d.toString();
    });
    const exporting = new Promise<string>((resolve) =>
      reader.on('exit', () => {
        exportDone = true;
        resolve(rows);
      }),
    );
    let answeredDuringExport = 0;
    while (!exportDone) {
      const res = await fetch(`${f.server.baseUrl}/health`);
      await res.arrayBuffer();
      if (!exportDone) answeredDuringExport++;
    }
    expect(Number(await exporting)).toBe(LINES + 1);
    expect(answeredDuringExport).toBeGreaterThan(2);
  });
});
