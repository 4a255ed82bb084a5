/**
 * Files over the browser shell's RPC transport: the file is the raw body, the rest of the input
 * a header; the action's limit is known before the first byte and a body past it is refused
 * at the first byte past it. Before, files went as base64 in JSON and the body scanner refused
 * any string over 64 KiB: a 48 KB file could not be imported from a browser.
 */

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_LIMITS, RPC_INPUT_HEADER } from '../../src/shared/file-upload';
import { deliveryCsv } from '../helpers/big-files';
import { exportedManifest } from '../helpers/exported-manifest';
import { type ApiFixture, startApi } from '../helpers/layer';
import { asAdmin, call } from '../helpers/people';
import { DEFAULT_DATA_PROJECT } from '../upstream-emulator';

const TOKEN = 'per-run-token-for-upload-tests';
let f: ApiFixture;
beforeAll(async () => {
  f = await startApi({ rpcToken: TOKEN });
});
afterAll(async () => {
  await f.close();
});

type Reply<V = unknown> = { ok: boolean; value: V; error?: { code: string; message: string } };
type Added = Reply<{ added: number; errors: unknown[]; block: { sourceName: string } }>;

async function rpc<V>(name: string, input: object): Promise<Reply<V>> {
  const res = await fetch(`${f.server.baseUrl}/rpc/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...f.rpcHeaders },
    body: JSON.stringify(input),
  });
  return (await res.json()) as Reply<V>;
}

/** As the browser transport sends it: the bytes as the body, the input in a header. */
function upload(
  name: string,
  input: object | string,
  body: Uint8Array,
  headers: Record<string, string> = {},
): Promise<Response> {
  const encoded = typeof input === 'string' ? input : encodeURIComponent(JSON.stringify(input));
  return fetch(`${f.server.baseUrl}/rpc/${name}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      ...f.rpcHeaders,
      [RPC_INPUT_HEADER]: encoded,
      ...headers,
    },
    body,
  });
}

async function newDraft(name: string): Promise<string> {
  const reply = await rpc<{ draftId: string }>('drafts.create', { name });
  expect(reply.ok).toBe(true);
  return reply.value.draftId;
}

const rowsOf = async (draftId: string) =>
  (await rpc<{ rowCount: number }>('drafts.get', { draftId })).value.rowCount;

interface Raw {
  status: number;
  body: string;
  /** Bytes of the body the client had written when the answer came. */
  sentBeforeAnswer: number;
}

/**
 * A request written by hand, so a test can send less or more than it declares, or stop after the
 * headers: `body` is written in 64 KiB pieces with backpressure until the answer arrives.
 */
function rawUpload(options: {
  name: string;
  headers: Record<string, string | number>;
  body?: Buffer;
  /** Closes the connection after writing the body, without ending the request. */
  abort?: boolean;
  /** Holds back this many bytes of the body until the answer comes (or 10 s pass). */
  holdBack?: number;
}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(`${f.server.baseUrl}/rpc/${options.name}`, {
      method: 'POST',
      headers: { ...f.rpcHeaders, ...options.headers },
    });
    req.on('response', (res) => {
      answered = true;
      const sentBeforeAnswer = sent;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sentBeforeAnswer }));
    });
    // Writing after a refusal fails (the server closes); the answer is what the test reads.
    req.on('error', (error) => {
      if (!answered && !options.abort) reject(error);
    });
    req.flushHeaders();
    void (async () => {
      const body = options.body ?? Buffer.alloc(0);
      const hold = body.length - (options.holdBack ?? 0);
      for (let at = 0; at < body.length && !answered && !req.destroyed; at += 64 * 1024) {
        if (at >= hold) {
          const deadline = Date.now() + 10_000;
          while (!answered && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
          if (answered) break;
        }
        const piece = body.subarray(at, at + 64 * 1024);
        sent += piece.length;
        if (!req.write(piece)) await new Promise((r) => req.once('drain', r));
      }
      if (options.abort) {
        req.destroy();
        resolve({ status: 0, body: '', sentBeforeAnswer: sent });
      } else if (!answered && options.body) req.end();
    })();
  });
}

describe('an action that takes a file, over HTTP', () => {
  it('imports a 15 MB CSV into a draft: the file is the body, the input a header', async () => {
    const draftId = await newDraft('Big delivery');
    const { csv, rows } = deliveryCsv(15 * 1024 * 1024);
    expect(csv.length).toBeGreaterThan(15 * 1024 * 1024);
    const res = await upload('drafts.import', { draftId, fileName: 'Lieferung März.csv' }, csv);
    expect(res.status).toBe(200);
    const reply = (await res.json()) as Added;
    expect(reply).toMatchObject({
      ok: true,
      value: { added: rows, errors: [], block: { sourceName: 'Lieferung März.csv' } },
    });
    expect(await rowsOf(draftId)).toBe(rows);
  }, 120_000);

  it('loads a 9 MB exported data package as the import profile', async () => {
    const project = { ...DEFAULT_DATA_PROJECT, projectName: 'Nine megabytes' };
    const zip = zipSync(
      {
        'Manifest.xml': strToU8(exportedManifest(project)),
        // The package's data, as Data management exports it with data: stored, not compressible.
        'IV journal lines.csv': [randomBytes(9 * 1024 * 1024), { level: 0 }],
      },
      { level: 6 },
    );
    expect(zip.length).toBeGreaterThan(9 * 1024 * 1024);
    expect(zip.length).toBeLessThan(FILE_LIMITS.importProfile.maxBytes);
    const res = await upload('settings.loadImportProfile', { fileName: 'package.zip' }, zip);
    const reply = (await res.json()) as Reply<{
      settings: { transactions: { scmImportProfile: { projectName: string } } };
    }>;
    expect(reply).toMatchObject({ ok: true });
    expect(reply.value.settings.transactions.scmImportProfile.projectName).toBe('Nine megabytes');
  }, 60_000);

  it('refuses a 21 MB file with 413 and the limit in words before the body is read', async () => {
    const draftId = await newDraft('Too big');
    const body = randomBytes(21 * 1024 * 1024);
    const headers = {
      'content-type': 'application/octet-stream',
      [RPC_INPUT_HEADER]: encodeURIComponent(JSON.stringify({ draftId, fileName: 'big.csv' })),
    };
    // Declared: refused at once, before a byte of the body is sent.
    const declared = await rawUpload({
      name: 'drafts.import',
      headers: { ...headers, 'content-length': body.length },
    });
    expect(declared.status).toBe(413);
    expect(declared.sentBeforeAnswer).toBe(0);
    expect(JSON.parse(declared.body)).toMatchObject({
      error: { message: expect.stringMatching(/larger than 20 MB/) },
      errors: [{ field: 'content', message: 'must be at most 20 MB' }],
    });
    // Not declared (chunked): refused at the first byte past the limit. The last 512 KB wait
    // for the answer: a server that read the whole body first would never give one.
    const streamed = await rawUpload({ name: 'drafts.import', headers, body, holdBack: 512 * 1024 });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error.message).toMatch(/larger than 20 MB/);
    expect(streamed.sentBeforeAnswer).toBeGreaterThan(FILE_LIMITS.draftImport.maxBytes);
    expect(streamed.sentBeforeAnswer).toBeLessThanOrEqual(body.length - 512 * 1024);
    expect(await rowsOf(draftId)).toBe(0);
  }, 60_000);
});

describe('a hostile upload changes nothing and is answered in words', () => {
  let draftId: string;
  const csv = Buffer.from('Organization,Item,Qty,Site,Warehouse\nusmf,D0001,1,1,13\n');
  beforeAll(async () => {
    draftId = await newDraft('Hostile');
  });

  it('without the token: 401, nothing read', async () => {
    const res = await upload('drafts.import', { draftId, fileName: 'a.csv' }, csv, {
      'x-store-ledger-token': 'wrong',
    });
    expect(res.status).toBe(401);
    expect(await rowsOf(draftId)).toBe(0);
  });

  it('of the wrong content type: 415, whether a form could send it or JSON carries the file', async () => {
    for (const type of [
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
    ]) {
      const res = await upload('drafts.import', { draftId, fileName: 'a.csv' }, csv, {
        'content-type': type,
      });
      expect(res.status, type).toBe(415);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
        /takes the file as the body, sent with Content-Type: application\/octet-stream/,
      );
    }
    // The old way, the file base64 in JSON: the file field must be bytes.
    const json = await fetch(`${f.server.baseUrl}/rpc/drafts.import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...f.rpcHeaders },
      body: JSON.stringify({ draftId, fileName: 'a.csv', content: csv.toString('base64') }),
    });
    expect(json.status).toBe(415);
    // A file sent to an action that takes none: refused as not JSON.
    const notFile = await upload('drafts.create', {}, csv);
    expect(notFile.status).toBe(415);
    expect(await rowsOf(draftId)).toBe(0);
  });

  it('with input JSON that gives a key twice, is not JSON, or holds the file: 400 naming it', async () => {
    const twice = `{"draftId":"${draftId}","fileName":"a.csv","fileName":"b.csv"}`;
    const cases: [string, RegExp][] = [
      [encodeURIComponent(twice), /fileName is given twice in one object/],
      [encodeURIComponent('{"draftId":'), /is not valid JSON/],
      ['%E0%A4%A', /percent-encoded UTF-8 JSON/],
      [encodeURIComponent('["a.csv"]'), /must be a JSON object/],
      [
        encodeURIComponent(JSON.stringify({ draftId, fileName: 'a.csv', content: 'AAAA' })),
        /must not hold content/,
      ],
    ];
    for (const [header, words] of cases) {
      const res = await upload('drafts.import', header, csv);
      expect(res.status, header).toBe(400);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message, header).toMatch(words);
      expect(body.error.message).toMatch(/^The x-store-ledger-input header /);
    }
    expect(await rowsOf(draftId)).toBe(0);
  });

  it('with bad fields: 400 naming each, judged before the body is read', async () => {
    const res = await rawUpload({
      name: 'drafts.import',
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': 1024 * 1024,
        [RPC_INPUT_HEADER]: encodeURIComponent(
          JSON.stringify({ draftId, fileName: 'evil\u202e.csv', locale: 'xx-!!', surprise: 1 }),
        ),
      },
    });
    // Answered with no byte of the declared megabyte sent.
    expect(res.status).toBe(400);
    expect(res.sentBeforeAnswer).toBe(0);
    const fields = (JSON.parse(res.body) as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['fileName', 'locale', 'surprise']));
    const missing = await upload('drafts.import', {}, csv);
    expect(missing.status).toBe(400);
    const named = ((await missing.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(named).toEqual(expect.arrayContaining(['draftId', 'fileName']));
    expect(await rowsOf(draftId)).toBe(0);
  });

  it('whose Content-Length lies: nothing past the declared length is read, a body cut short adds nothing', async () => {
    const input = encodeURIComponent(JSON.stringify({ draftId, fileName: 'a.csv' }));
    // Declares 1 KB under the limit and sends 2 MB more: Node reads only the declared length,
    // so nothing past it is ever taken as the file (the rest is not a request and is refused).
    const over = await rawUpload({
      name: 'drafts.import',
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': 10,
        [RPC_INPUT_HEADER]: input,
      },
      body: Buffer.concat([Buffer.from('Org,Item,Q'), Buffer.alloc(2 * 1024 * 1024, 0x41)]),
    });
    // Either the ten bytes are judged (not a block: refused in words) or Node refuses the bytes
    // that follow them as a request (400) first; never is anything past the ten bytes a file.
    expect([200, 400]).toContain(over.status);
    if (over.status === 200)
      expect(JSON.parse(over.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    // Declares a megabyte, sends a row and goes away: nothing is imported, the server lives on.
    await rawUpload({
      name: 'drafts.import',
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': 1024 * 1024,
        [RPC_INPUT_HEADER]: input,
      },
      body: csv,
      abort: true,
    });
    expect(await rowsOf(draftId)).toBe(0);
    expect((await fetch(`${f.server.baseUrl}/health`)).status).toBe(200);
  });

  it('with an empty body: 400 "must not be empty"', async () => {
    const res = await upload('drafts.import', { draftId, fileName: 'a.csv' }, new Uint8Array(0));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ field: 'content', message: 'must not be empty' }] });
    // And then a good one goes through, on the same route.
    const ok = (await (await upload('drafts.import', { draftId, fileName: 'a.csv' }, csv)).json()) as Added;
    expect(ok).toMatchObject({ ok: true, value: { added: 1 } });
  });
});

describe('the file field as IPC carries it (a plain Uint8Array, by structured clone)', () => {
  it('imports an XLSX given as a Uint8Array, not a Buffer, through the same dispatch', async () => {
    const draftId = await newDraft('From the window');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Delivery');
    sheet.addRow(['Organization', 'Item number', 'Quantity', 'Site', 'Warehouse']);
    sheet.addRow(['usmf', 'D0003', 6, '1', '12']);
    const bytes = structuredClone(new Uint8Array(await workbook.xlsx.writeBuffer()));
    expect(Buffer.isBuffer(bytes)).toBe(false);
    const reply = await call(f.layer, await asAdmin(f.layer), 'drafts.import', {
      draftId,
      fileName: 'd.xlsx',
      content: bytes,
    });
    expect(reply).toMatchObject({ ok: true, value: { added: 1 } });
  });

  it('refuses a file past the action limit, an empty one, and one that is not bytes, naming the field', async () => {
    const draftId = await newDraft('Refusals');
    const cases: [unknown, string][] = [
      [new Uint8Array(FILE_LIMITS.draftImport.maxBytes + 1), 'must be at most 20 MB'],
      [new Uint8Array(0), 'must not be empty'],
      ['T3JnLEl0ZW0=', "must be the file's bytes"],
      [[79, 114, 103], "must be the file's bytes"],
    ];
    for (const [content, message] of cases) {
      const reply = await call(f.layer, await asAdmin(f.layer), 'drafts.import', {
        draftId,
        fileName: 'a.csv',
        content,
      });
      expect(reply).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', errors: [{ field: 'content', message }] },
      });
    }
    const profile = await call(f.layer, await asAdmin(f.layer), 'settings.loadImportProfile', {
      fileName: 'big.zip',
      content: new Uint8Array(FILE_LIMITS.importProfile.maxBytes + 1),
    });
    expect(profile).toMatchObject({
      ok: false,
      error: {
        errors: [
          { field: 'content', message: 'must be at most 10 MB (export only the data project, without data)' },
        ],
      },
    });
    expect(await rowsOf(draftId)).toBe(0);
  });
});
