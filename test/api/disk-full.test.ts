import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toErrorBody } from '../../src/main/errors';
import { connectionOf } from '../../src/main/ledger/internal';
import { type ApiFixture, getJson, postJson, seedLine, startApi } from '../helpers/layer';
import { asAdmin, call } from '../helpers/people';

/**
 * A full disk, made real for SQLite with `PRAGMA max_page_count`: the ledger file may not
 * grow past its current size, so the next insert fails inside SQLite with SQLITE_FULL
 * exactly as on a full disk (portable: no root or tmpfs needed on the CI machine; the
 * same path was also checked by hand on a small tmpfs, see docs/security.md).
 */
const bulk = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    seedLine({
      id: `${prefix}-${i}`,
      productId: prefix === 'before' ? 'BEFORE' : 'FULL',
      externalReferenceId: 'r'.repeat(200),
    }),
  );

let f: ApiFixture;
let dataDir: string;
beforeAll(async () => {
  f = await startApi();
  dataDir = f.layer.info().dataDir;
  // Big enough to go through the bulk writer's thread, so both connections exist.
  expect((await postJson(`${f.api}/adjustment/bulk`, bulk('before', 600))).status).toBe(200);
});
afterAll(async () => {
  await f.close();
});

function fillDisk(): void {
  const conn = connectionOf(f.layer.ledger);
  conn.bulk.pragma(`max_page_count = ${conn.db.pragma('page_count', { simple: true })}`);
}

function freeDisk(): void {
  connectionOf(f.layer.ledger).bulk.pragma('max_page_count = 1073741823');
}

describe('disk full', () => {
  it('answers 507 in words with Retry-After, stores nothing, leaves no temp file, and /health says degraded', async () => {
    const filesBefore = fs.readdirSync(dataDir).sort();
    fillDisk();
    const res = await postJson(`${f.api}/adjustment/bulk`, bulk('full', 2000));
    expect(res.status).toBe(507);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /^The disk holding the ledger is full; nothing was stored/,
    );
    expect((await getJson(`${f.api}/adjustment/lines?productId=FULL`)).body).toMatchObject({ count: 0 });
    expect(fs.readdirSync(dataDir).sort()).toEqual(filesBefore);

    const health = await getJson(`${f.server.baseUrl}/health`);
    expect(health.body).toMatchObject({
      status: 'degraded',
      ledger: { state: 'degraded', reason: 'disk_full', message: expect.stringMatching(/disk .* is full/) },
    });
    // The UI's channel says the same, and a form entry gets the same words, not "internal".
    expect(await call(f.layer, await asAdmin(f.layer), 'ledger.health', {})).toMatchObject({
      ok: true,
      value: { state: 'degraded', reason: 'disk_full' },
    });
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    expect(toErrorBody(full)).toEqual({ code: 'unavailable', message: expect.stringMatching(/is full/) });
  });

  it('resumes by itself when space returns: the probe clears /health, the next POST is stored', async () => {
    expect(f.layer.health.current().state).toBe('degraded');
    freeDisk();
    // What the probe timer does every few seconds while degraded.
    f.layer.health.tryProbe();
    expect((await getJson(`${f.server.baseUrl}/health`)).body).toMatchObject({ status: 'ok' });

    fillDisk();
    expect((await postJson(`${f.api}/adjustment/bulk`, bulk('again', 500))).status).toBe(507);
    freeDisk();
    const res = await postJson(`${f.api}/adjustment/bulk`, bulk('again', 500));
    expect(res.status).toBe(200);
    expect((await getJson(`${f.api}/adjustment/lines?productId=FULL`)).body).toMatchObject({ count: 500 });
    expect((await getJson(`${f.server.baseUrl}/health`)).body).toMatchObject({
      status: 'ok',
      ledger: { state: 'open' },
    });
  });
});
