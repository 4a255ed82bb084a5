/**
 * An XLSX export of 200,000 lines from the headless server, as a store runs it (the built
 * bundle, its own process): its memory stays flat in the number of lines and /health keeps
 * answering meanwhile. Before, the workbook was gathered in memory and answered as base64:
 * at 200,000 lines the server grew by 389 MB and /health waited up to 758 ms; at 1,000,000,
 * 1.15 GB.
 */

import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/main/ingest/ingest';
import { ServerProcess, tempDir } from '../e2e/harness';
import { ensureBuiltServer } from '../helpers/built-server';
import { openLayer, seedLine } from '../helpers/layer';
import { author } from '../helpers/people';

const LINES = 200_000;
/** The server's own growth over its idle size, at most: the old export grew 389 MB here. */
const GROWTH_MAX_MB = 180;

let server: ServerProcess;
let token: string;

beforeAll(async () => {
  ensureBuiltServer();
  const dataDir = tempDir('export-memory');
  const layer = openLayer(dataDir);
  for (let start = 0; start < LINES; start += 25_000) {
    const lines = Array.from({ length: 25_000 }, (_, i) =>
      seedLine({
        id: `m-${start + i}`,
        productId: `P${(start + i) % 700}`,
        externalReferenceId: `R-${start + i}`,
      }),
    );
    expect(ingest(layer.ledger, lines, { source: 'api', author: author('t'), instantIv: false }).kind).toBe(
      'ok',
    );
  }
  await layer.close();
  server = new ServerProcess(dataDir, undefined);
  await server.start();
  token = new URL(server.uiUrl).hash.replace(/^#token=/, '');
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

/** The server process's resident memory, in MB (Linux). */
function rssMb(): number {
  const status = fs.readFileSync(`/proc/${server.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

describe('an XLSX export of 200,000 lines', () => {
  it('keeps the server’s memory flat and /health answered, and delivers every line, newest first', async () => {
    // Warm: a grid page, so the idle size includes what any request loads.
    await fetch(`${server.baseUrl}/rpc/lines.list`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-store-ledger-token': token,
        'x-store-ledger-session': server.session!,
      },
      body: '{}',
    });
    const idle = rssMb();
    let peak = idle;
    let slowest = 0;
    let done = false;
    const exporting = fetch(`${server.baseUrl}/rpc/export.xlsx`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-store-ledger-token': token,
        'x-store-ledger-session': server.session!,
      },
      body: JSON.stringify({ kind: 'lines', query: {} }),
    })
      .then((r) => r.json() as Promise<{ ok: boolean; value: { downloadId: string; bytes: number } }>)
      .finally(() => {
        done = true;
      });
    while (!done) {
      const started = performance.now();
      await (await fetch(`${server.baseUrl}/health`)).arrayBuffer();
      slowest = Math.max(slowest, performance.now() - started);
      peak = Math.max(peak, rssMb());
      await new Promise((r) => setTimeout(r, 50));
    }
    const reply = await exporting;
    expect(reply.ok).toBe(true);
    console.log(
      `export of ${LINES} lines: RSS ${idle.toFixed(0)} → peak ${peak.toFixed(0)} MB, slowest /health ${slowest.toFixed(0)} ms, ${(reply.value.bytes / 1048576).toFixed(1)} MB`,
    );
    expect(peak - idle).toBeLessThan(GROWTH_MAX_MB);
    expect(slowest).toBeLessThan(500);

    // The download streams from disk: the server does not grow by the file's size.
    const file = `${tempDir('export-download')}/lines.xlsx`;
    const res = await fetch(`${server.baseUrl}/download/${reply.value.downloadId}`);
    await pipeline(res.body!, fs.createWriteStream(file));
    expect(fs.statSync(file).size).toBe(reply.value.bytes);
    expect(rssMb() - idle).toBeLessThan(GROWTH_MAX_MB);

    // Read back as a stream: a header row and every line, the newest first.
    let rows = 0;
    let first: unknown[] = [];
    let headers: unknown[] = [];
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {});
    for await (const sheet of reader)
      for await (const row of sheet) {
        rows++;
        if (rows === 1) headers = row.values as unknown[];
        if (rows === 2) first = row.values as unknown[];
      }
    expect(rows).toBe(LINES + 1);
    expect(first[headers.indexOf('Line ID')]).toBe(`m-${LINES - 1}`);
  }, 300_000);
});
