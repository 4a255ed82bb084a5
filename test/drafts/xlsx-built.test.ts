// The zip worker is its own entry of the build (out/main/zip-worker.js): the headless server a
// store runs finds it beside its bundle and reads a workbook with it, and refuses a bomb.
import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type ServerProcess, startServer } from '../../bench/harness';
import { ensureBuiltServer } from '../helpers/built-server';
import { tempDir } from '../helpers/layer';
import { workbook } from './fixtures';

const KEY = 'zip-worker-built-key-0123456789';
const ENV = 'env-zip-worker';

let server: ServerProcess | null = null;
beforeAll(() => ensureBuiltServer(), 130_000);
afterAll(async () => {
  await server?.stop();
});

async function importXlsx(name: string, body: Uint8Array) {
  const res = await fetch(
    `${server!.baseUrl}/api/environment/${ENV}/transaction/drafts/import?fileName=${name}`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/octet-stream' },
      body,
    },
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the built server', () => {
  it('reads a workbook in out/main/zip-worker.js, and refuses a zip bomb in words, before and in it', async () => {
    expect(fs.existsSync(path.join(ROOT, 'out/main/zip-worker.js'))).toBe(true);
    const config = path.join(tempDir(), 'config.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        environmentId: ENV,
        enableFeature: true,
        defaultOrganizationId: 'usmf',
        transactions: { periodicSyncToIV: false, periodicSyncToFno: false },
      }),
    );
    server = await startServer(tempDir(), config, { STORE_LEDGER_API_KEY: KEY });
    const book = await workbook([
      ['productId', 'quantity', 'siteId', 'locationId'],
      ['D0001', 3, '1', '13'],
      ['D0002', 4.5, '1', '13'],
    ]);
    const read = await importXlsx('stock.xlsx', book);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body).toMatchObject({ added: 2, errors: [] });

    // 20 MB of one byte in 20 KB: refused from the zip's directory, and while it unpacks in
    // the worker when the directory understates it.
    const bomb = Buffer.from(zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(20 * 1024 * 1024) }));
    const words = /part xl\/worksheets\/sheet1\.xml unpacks to more than 200 times its packed size/;
    const refused = await importXlsx('bomb.xlsx', bomb);
    expect(refused.status).toBe(400);
    expect((refused.body.error as { message: string }).message).toMatch(words);
    bomb.writeUInt32LE(1024, bomb.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
    const liar = await importXlsx('liar.xlsx', bomb);
    expect(liar.status).toBe(400);
    expect((liar.body.error as { message: string }).message).toMatch(words);
  }, 120_000);
});
