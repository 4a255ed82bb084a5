/**
 * Files main writes for the clerk (an XLSX export, a diagnostics bundle) are offered once behind
 * a random ID: the browser saves them from `GET /download/{id}`, streamed from disk. Before,
 * they came back inside the RPC answer as one base64 string.
 */
import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadOffers } from '../../src/main/downloads/offers';
import { ingest } from '../../src/main/ingest/ingest';
import type { FileOffer } from '../../src/shared/file-upload';
import { type ApiFixture, seedLine, startApi } from '../helpers/layer';
import { author } from '../helpers/people';

const TOKEN = 'per-run-token-for-download-tests';
let f: ApiFixture;
beforeAll(async () => {
  f = await startApi({ rpcToken: TOKEN });
  const lines = Array.from({ length: 30 }, (_, i) => seedLine({ id: `d-${i}` }));
  expect(ingest(f.layer.ledger, lines, { source: 'api', author: author('t'), instantIv: false }).kind).toBe(
    'ok',
  );
});
afterAll(async () => {
  await f.close();
});

async function rpc<V>(
  name: string,
  input: object,
): Promise<{ ok: boolean; value: V; error?: { code: string } }> {
  const res = await fetch(`${f.server.baseUrl}/rpc/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...f.rpcHeaders },
    body: JSON.stringify(input),
  });
  return (await res.json()) as { ok: boolean; value: V; error?: { code: string } };
}

const download = (id: string, init: RequestInit = {}) => fetch(`${f.server.baseUrl}/download/${id}`, init);

describe('downloads', () => {
  it('an export is answered as an offer, not a file; the file downloads once, as an attachment', async () => {
    const reply = await rpc<FileOffer>('export.xlsx', { kind: 'lines', query: {} });
    expect(reply.ok).toBe(true);
    expect(Object.keys(reply.value).sort()).toEqual(['bytes', 'downloadId', 'fileName']);
    expect(reply.value.downloadId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const res = await download(reply.value.downloadId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="adjustment-lines.xlsx"; filename*=UTF-8''adjustment-lines.xlsx`,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.length).toBe(reply.value.bytes);
    expect(Object.keys(unzipSync(bytes))).toContain('xl/worksheets/sheet1.xml');
    // Once: the second fetch finds nothing, in words.
    const again = await download(reply.value.downloadId);
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(
      /downloaded already or is no longer there/,
    );
  });

  it('an unknown or malformed ID is a 404, another method a 405; none needs or reveals the token', async () => {
    expect((await download('A'.repeat(43))).status).toBe(404);
    expect((await download('..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
    const offer = (await rpc<FileOffer>('export.xlsx', { kind: 'aggregated', query: {} })).value;
    expect((await download(offer.downloadId, { method: 'POST' })).status).toBe(405);
    // A refused method does not spend the offer.
    expect((await download(offer.downloadId)).status).toBe(200);
  });

  it('the diagnostics bundle downloads the same way and stays in the data folder', async () => {
    const reply = await rpc<{ fileName: string; path: string; downloadId: string }>('diagnostics.create', {});
    expect(reply.ok).toBe(true);
    expect(reply.value).not.toHaveProperty('contentBase64');
    const res = await download(reply.value.downloadId);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(JSON.parse(strFromU8(files['about.json']!))).toHaveProperty('app');
    expect(fs.existsSync(reply.value.path)).toBe(true);
  });

  it('saving through a dialog is the desktop window’s: headless it says so and the offer stays', async () => {
    const offer = (await rpc<FileOffer>('export.xlsx', { kind: 'lines', query: {} })).value;
    const saved = await rpc('files.save', { downloadId: offer.downloadId });
    expect(saved).toMatchObject({ ok: false, error: { code: 'feature_disabled' } });
    expect((await download(offer.downloadId)).status).toBe(200);
  });
});

describe('an offer not taken', () => {
  it('expires: its temporary file is deleted and its ID finds nothing; close removes the rest', async () => {
    const offers = new DownloadOffers(50);
    const file = offers.tempFile('.xlsx');
    fs.writeFileSync(file, 'x');
    const { downloadId } = offers.offer({
      file,
      fileName: 'a.xlsx',
      contentType: 'x',
      bytes: 1,
      temporary: true,
    });
    await expect.poll(() => fs.existsSync(file)).toBe(false);
    expect(offers.take(downloadId)).toBeUndefined();
    const kept = offers.tempFile('.zip');
    fs.writeFileSync(kept, 'y');
    offers.offer({ file: kept, fileName: 'b.zip', contentType: 'x', bytes: 1, temporary: true });
    offers.close();
    expect(fs.existsSync(kept)).toBe(false);
    expect(fs.existsSync(path.dirname(kept))).toBe(false);
  });
});
