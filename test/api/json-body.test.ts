import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../src/main/api/http-error';
import { BODY_LIMITS, JsonShapeScanner, parseScanned } from '../../src/main/api/json-body';
import { API_KEY, postJson, seedLine, startApi } from '../helpers/layer';

async function scan(text: string, chunkSize: number): Promise<unknown> {
  const bytes = Buffer.from(text);
  const scanner = new JsonShapeScanner();
  for (let i = 0; i < bytes.length; i += chunkSize) scanner.push(bytes.subarray(i, i + chunkSize));
  scanner.finish();
  return parseScanned(bytes, scanner);
}

async function refusal(text: string, chunkSize = 7): Promise<HttpError> {
  try {
    await scan(text, chunkSize);
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('not refused');
}

const DOCUMENTS = [
  '[]',
  '{}',
  '[1,2,3]',
  '["a","b\\"c",true,null,-1.5e3]',
  JSON.stringify([
    seedLine(),
    seedLine({ id: 'x', dimensions: { siteId: '1', locationId: '2', 'a\\"': 'q' } }),
  ]),
  JSON.stringify(seedLine({ id: 'caf\u00e9 \ud83d\ude00 \\u0041 ,:{}[]' })),
  ' [ {"a" : [ [ ], { } ] } , "x" ] ',
  '"just a string"',
  '42',
];

describe('the streaming shape scanner', () => {
  it.each(DOCUMENTS)('parses %s like JSON.parse, however the body is cut into chunks', async (text) => {
    for (const size of [1, 2, 3, 5, 64, 1 << 20]) expect(await scan(text, size)).toEqual(JSON.parse(text));
  });

  it('refuses an object with too many keys, naming the line and field', async () => {
    const keys = Array.from({ length: BODY_LIMITS.keysPerObject + 1 }, (_, i) => `"k${i}":"v"`).join(',');
    const error = await refusal(`[{"id":"a"},{"id":"b","dimensions":{${keys}}}]`);
    expect(error.status).toBe(400);
    expect(error.errors).toEqual([{ index: 1, field: 'dimensions', message: expect.stringMatching(/keys/) }]);
  });

  it('names a key with escapes and non-ASCII text as JSON means it, however the body is cut', async () => {
    const text = `[{"id":"a"},{"caf\\u00e9 \\"x\\"":{"schä":"${'x'.repeat(70_000)}"}}]`;
    for (const size of [1, 3, 7, 1 << 20]) {
      const error = await refusal(text, size);
      expect(error.errors).toEqual([
        { index: 1, field: 'café "x".schä', message: expect.stringMatching(/at most 65536 bytes/) },
      ]);
    }
  });

  it('refuses deep nesting', async () => {
    const error = await refusal(`${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    expect(error.errors![0]!.message).toMatch(/nests deeper than 16/);
  });

  it('refuses a huge string, naming the field', async () => {
    const error = await refusal(
      JSON.stringify([seedLine(), seedLine({ externalReferenceId: 'x'.repeat(70_000) })]),
    );
    expect(error.errors).toEqual([
      { index: 1, field: 'externalReferenceId', message: expect.stringMatching(/at most 65536 bytes/) },
    ]);
  });

  it('refuses more lines than a request may carry with 413, at the first one too many', async () => {
    const error = await refusal(`[${'{},'.repeat(50_001)}{}]`);
    expect(error.status).toBe(413);
    expect(error.message).toMatch(/at most 50000 lines/);
  });

  it.each(['[{"a":1}', '{"a":', '[1,2] 3', '["open'])(
    'refuses truncated or trailing JSON %s',
    async (text) => {
      expect((await refusal(text)).errors).toEqual([
        { field: '(body)', message: expect.stringMatching(/^is not valid JSON/) },
      ]);
    },
  );
});

describe('hostile bodies over HTTP', () => {
  /**
   * Sends only the head of a hostile body and never ends the request: an answer proves the
   * server refused it from what streamed in, without waiting for (or buffering) the rest.
   */
  function answerBeforeTheEnd(url: string, head: string, declaredLength: number) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${API_KEY}`,
          'content-type': 'application/json',
          'content-length': declaredLength,
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          body += d.toString();
        });
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      req.on('error', reject);
      req.write(head);
    });
  }

  it('refuses millions of dimension keys and 32 MB of {} from the first megabytes, storing nothing', async () => {
    const f = await startApi();
    const url = `${f.api}/adjustment/bulk`;
    try {
      const keys = Array.from({ length: 100_000 }, (_, i) => `"d${i}":"v"`).join(',');
      const manyKeys = await answerBeforeTheEnd(url, `[{"id":"k","dimensions":{${keys}`, 33_000_000);
      expect(manyKeys.status).toBe(400);
      expect(JSON.parse(manyKeys.body)).toMatchObject({ errors: [{ index: 0, field: 'dimensions' }] });

      const empties = await Promise.all(
        Array.from({ length: 10 }, () => answerBeforeTheEnd(url, `[${'{},'.repeat(300_000)}`, 32_000_000)),
      );
      for (const answer of empties) expect(answer.status).toBe(413);
      // Still serving, and nothing was stored.
      expect((await postJson(url, seedLine({ id: 'after-the-storm' }))).status).toBe(200);
      expect(f.layer.ledger.lines.countByStatus().Created).toBe(1);
    } finally {
      await f.close();
    }
  });
});

describe('a key given twice', () => {
  const twice = async (text: string) => {
    const error = await refusal(text, 5);
    return { status: error.status, errors: error.errors };
  };

  it('is refused with the key and the line named, wherever it is, however the body is chunked', async () => {
    expect(await twice('{"id":"a","quantity":1,"id":"b"}')).toEqual({
      status: 400,
      errors: [{ field: 'id', message: 'is given twice in one object: send it once' }],
    });
    expect(
      await twice(
        '[{"id":"a","dimensions":{"siteId":"1"}},{"id":"b","dimensions":{"siteId":"1","colorId":"x","siteId":"2"}}]',
      ),
    ).toEqual({
      status: 400,
      errors: [
        { index: 1, field: 'dimensions.siteId', message: 'is given twice in one object: send it once' },
      ],
    });
    // The same key in two objects, or in an array's objects, is no repeat.
    expect(await scan('[{"a":{"k":1},"b":{"k":2},"c":[{"k":1},{"k":2}]}]', 3)).toEqual([
      { a: { k: 1 }, b: { k: 2 }, c: [{ k: 1 }, { k: 2 }] },
    ]);
  });

  it('names a repeated key with an escape or a quote in it', async () => {
    expect((await twice('{"a\\"b":1,"x":[1,{"y":2}],"a\\"b":2}')).errors).toEqual([
      { field: 'a"b', message: 'is given twice in one object: send it once' },
    ]);
  });
});
