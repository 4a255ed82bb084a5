import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionOf } from '../../src/main/ledger/internal';
import { API_KEY, type ApiFixture, ENV_ID, seedLine, startApi } from '../helpers/layer';

let f: ApiFixture;
let bulk: string;
beforeAll(async () => {
  f = await startApi();
  bulk = `${f.api}/adjustment/bulk`;
  // One good line so "unchanged" means something.
  await fetch(bulk, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(seedLine({ id: 'existing' })),
  });
});
afterAll(async () => {
  await f.close();
});

interface BadRequest {
  name: string;
  status: number;
  /** The field the answer must name (in errors[].field, or the message for non-field errors). */
  names: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  method?: string;
  path?: string;
}

const line = (o: Record<string, unknown>) => seedLine({ id: 'bad', ...o });
const without = (key: string) => {
  const l = line({});
  delete l[key];
  return l;
};

const CASES: BadRequest[] = [
  // JSON.parse keeps the last of a key given twice, silently: the body is refused instead.
  {
    name: 'id given twice',
    status: 400,
    names: 'id',
    raw: JSON.stringify(line({})).replace('"id":"bad"', '"id":"a","id":"bad"'),
  },
  {
    name: 'a dimension given twice, in the second line of a bulk',
    status: 400,
    names: 'dimensions.siteId',
    raw: `[${JSON.stringify(line({ id: 'ok-1' }))},${JSON.stringify(line({})).replace('"siteId":"1"', '"siteId":"1","siteId":"2"')}]`,
  },
  { name: 'quantity as words', status: 400, names: 'quantity', body: line({ quantity: '5 units' }) },
  {
    name: 'quantity twice in two casings',
    status: 400,
    names: 'Quantity',
    body: { ...line({ quantity: 5 }), Quantity: 5 },
  },
  { name: 'quantity zero', status: 400, names: 'quantity', body: line({ quantity: 0 }) },
  {
    name: 'quantity 1e308',
    status: 400,
    names: 'quantity',
    raw: JSON.stringify(line({})).replace('"quantity":5', '"quantity":1e308'),
  },
  {
    name: 'quantity NaN literal',
    status: 400,
    names: '(body)',
    raw: JSON.stringify(line({})).replace('"quantity":5', '"quantity":NaN'),
  },
  {
    name: 'quantity Infinity literal',
    status: 400,
    names: '(body)',
    raw: JSON.stringify(line({})).replace('"quantity":5', '"quantity":Infinity'),
  },
  { name: 'quantity null', status: 400, names: 'quantity', body: line({ quantity: null }) },
  { name: 'quantity missing', status: 400, names: 'quantity', body: without('quantity') },
  { name: 'id missing', status: 400, names: 'id', body: without('id') },
  { name: 'id as number', status: 400, names: 'id', body: line({ id: 42 }) },
  { name: 'id blank', status: 400, names: 'id', body: line({ id: '  ' }) },
  { name: 'id 100k chars', status: 400, names: 'id', body: line({ id: 'x'.repeat(100_000) }) },
  { name: 'organizationId missing', status: 400, names: 'organizationId', body: without('organizationId') },
  {
    name: 'organizationId 65 chars',
    status: 400,
    names: 'organizationId',
    body: line({ organizationId: 'o'.repeat(65) }),
  },
  { name: 'productId as number', status: 400, names: 'productId', body: line({ productId: 1 }) },
  { name: 'productId with newline', status: 400, names: 'productId', body: line({ productId: 'D00\n01' }) },
  { name: 'productId with NUL', status: 400, names: 'productId', body: line({ productId: 'D00\u000001' }) },
  {
    name: 'data source fno',
    status: 400,
    names: 'quantityDataSource',
    body: line({ quantityDataSource: 'fno' }),
  },
  {
    name: 'data source FNO any case',
    status: 400,
    names: 'quantityDataSource',
    body: line({ quantityDataSource: 'FnO' }),
  },
  {
    name: 'physicalMeasure missing',
    status: 400,
    names: 'physicalMeasure',
    body: without('physicalMeasure'),
  },
  {
    name: 'physicalMeasure as array',
    status: 400,
    names: 'physicalMeasure',
    body: line({ physicalMeasure: ['a'] }),
  },
  { name: 'dimensions missing', status: 400, names: 'dimensions', body: without('dimensions') },
  { name: 'dimensions as array', status: 400, names: 'dimensions', body: line({ dimensions: ['1', '13'] }) },
  {
    name: 'siteId missing',
    status: 400,
    names: 'dimensions.siteId',
    body: line({ dimensions: { locationId: '13' } }),
  },
  {
    name: 'locationId missing',
    status: 400,
    names: 'dimensions.locationId',
    body: line({ dimensions: { siteId: '1' } }),
  },
  {
    name: 'dimension value number',
    status: 400,
    names: 'dimensions.colorId',
    body: line({ dimensions: { siteId: '1', locationId: '13', colorId: 3 } }),
  },
  {
    name: 'dimension key with dash',
    status: 400,
    names: 'dimensions.my-dim',
    body: line({ dimensions: { siteId: '1', locationId: '13', 'my-dim': 'x' } }),
  },
  {
    name: 'dimension key starting with digit',
    status: 400,
    names: 'dimensions.1abc',
    body: line({ dimensions: { siteId: '1', locationId: '13', '1abc': 'x' } }),
  },
  {
    name: 'dimension given twice in two casings',
    status: 400,
    names: 'dimensions.SITEID',
    body: line({ dimensions: { siteId: '1', SITEID: '2', locationId: '13' } }),
  },
  {
    name: 'dimension value 100k chars',
    status: 400,
    names: 'dimensions.colorId',
    body: line({ dimensions: { siteId: '1', locationId: '13', colorId: 'r'.repeat(100_000) } }),
  },
  {
    name: '41 dimensions',
    status: 400,
    names: 'dimensions',
    body: line({
      dimensions: {
        siteId: '1',
        locationId: '13',
        ...Object.fromEntries(Array.from({ length: 39 }, (_, i) => [`x${i}`, 'v'])),
      },
    }),
  },
  { name: 'costPrice negative', status: 400, names: 'costPrice', body: line({ costPrice: -0.01 }) },
  {
    name: 'costPrice with a decimal comma',
    status: 400,
    names: 'costPrice',
    body: line({ costPrice: '1,5' }),
  },
  { name: 'transDate not a date', status: 400, names: 'transDate', body: line({ transDate: 'yesterday' }) },
  { name: 'transDate impossible', status: 400, names: 'transDate', body: line({ transDate: '2026-02-30' }) },
  {
    name: 'transDate date-time of an impossible day',
    status: 400,
    names: 'transDate',
    body: line({ transDate: '2026-02-30T10:00:00Z' }),
  },
  { name: 'transDate as number', status: 400, names: 'transDate', body: line({ transDate: 20261126 }) },
  {
    name: 'external reference 257 chars',
    status: 400,
    names: 'externalReferenceId',
    body: line({ externalReferenceId: 'e'.repeat(257) }),
  },
  {
    name: 'external category with tab',
    status: 400,
    names: 'externalReferenceCategory',
    body: line({ externalReferenceCategory: 'POS\tsale' }),
  },
  {
    name: 'journal name 65 chars',
    status: 400,
    names: 'fnoJournalNameId',
    body: line({ fnoJournalNameId: 'j'.repeat(65) }),
  },
  { name: 'unknown field', status: 400, names: 'warehouse', body: line({ warehouse: '13' }) },
  { name: 'line is a string', status: 400, names: '(line)', body: ['not a line'] },
  { name: 'line is null', status: 400, names: '(line)', body: [null] },
  { name: 'empty array', status: 400, names: '(body)', body: [] },
  { name: 'bad JSON', status: 400, names: '(body)', raw: '[{"id": "x",' },
  { name: 'empty body', status: 400, names: '(body)', raw: '' },
  {
    name: 'duplicate ids in one request',
    status: 400,
    names: 'id',
    body: [line({ id: 'd1' }), line({ id: 'd1' })],
  },
  {
    name: 'one bad line among good ones',
    status: 400,
    names: 'quantity',
    body: [line({ id: 'g1' }), line({ id: 'g2', quantity: 'x' })],
  },
  {
    name: 'same id, other content',
    status: 409,
    names: 'id',
    body: seedLine({ id: 'existing', quantity: 99 }),
  },
  { name: 'no API key', status: 401, names: 'API key', body: line({}), headers: { authorization: '' } },
  {
    name: 'wrong API key',
    status: 401,
    names: 'API key',
    body: line({}),
    headers: { authorization: 'Bearer nope' },
  },
  {
    name: 'wrong environment',
    status: 404,
    names: 'environment',
    body: line({}),
    path: '/api/environment/other-env/transaction/adjustment/bulk',
  },
  {
    name: 'not JSON content type',
    status: 415,
    names: 'Content-Type',
    raw: 'id=1',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  },
  { name: 'GET on bulk', status: 405, names: 'POST', method: 'GET' },
  {
    name: 'unknown endpoint',
    status: 404,
    names: 'No such endpoint',
    body: line({}),
    path: `/api/environment/${ENV_ID}/transaction/adjustment/nope`,
  },
  {
    name: 'createWithIVSync not boolean',
    status: 400,
    names: 'createWithIVSync',
    body: line({}),
    path: `/api/environment/${ENV_ID}/transaction/adjustment/bulk?createWithIVSync=maybe`,
  },
  {
    name: 'list top too large',
    status: 400,
    names: 'top',
    method: 'GET',
    path: `/api/environment/${ENV_ID}/transaction/adjustment/lines?top=1001`,
  },
  {
    name: 'list unknown status',
    status: 400,
    names: 'status',
    method: 'GET',
    path: `/api/environment/${ENV_ID}/transaction/adjustment/lines?status=Posted`,
  },
  {
    name: 'list unknown parameter',
    status: 400,
    names: 'colour',
    method: 'GET',
    path: `/api/environment/${ENV_ID}/transaction/adjustment/lines?colour=red`,
  },
  {
    name: 'list bad date',
    status: 400,
    names: 'from',
    method: 'GET',
    path: `/api/environment/${ENV_ID}/transaction/adjustment/lines?from=26/11/2026`,
  },
  {
    name: 'list negative skip',
    status: 400,
    names: 'skip',
    method: 'GET',
    path: `/api/environment/${ENV_ID}/transaction/adjustment/aggregated?skip=-1`,
  },
  {
    name: 'foreign Host header',
    status: 421,
    names: 'loopback',
    body: line({}),
    headers: { host: 'evil.example:7780' },
  },
];

function countRows(): number {
  return connectionOf(f.layer.ledger)
    .db.prepare('SELECT count(*) FROM adjustment_lines')
    .pluck()
    .get() as number;
}

describe('bad requests', () => {
  it('has at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES)('$name → $status naming $names, nothing stored', async (c) => {
    const before = countRows();
    const url = `${f.server.baseUrl}${c.path ?? `/api/environment/${ENV_ID}/transaction/adjustment/bulk`}`;
    const method = c.method ?? 'POST';
    const headers: Record<string, string> = {
      authorization: `Bearer ${API_KEY}`,
      'content-type': 'application/json',
      ...c.headers,
    };
    if (headers.authorization === '') delete headers.authorization;
    const res = await fetchWithHost(
      url,
      method,
      headers,
      method === 'GET' ? undefined : (c.raw ?? JSON.stringify(c.body)),
    );
    expect(res.status).toBe(c.status);
    const body = JSON.parse(res.body) as {
      error: { message: string };
      errors?: { field: string; message: string }[];
    };
    const named = [body.error.message, ...(body.errors ?? []).map((e) => e.field)];
    expect(named.some((n) => n.includes(c.names))).toBe(true);
    expect(body.error.message).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(countRows()).toBe(before);
  });
});

/** fetch cannot override Host; node:http can. */
async function fetchWithHost(url: string, method: string, headers: Record<string, string>, body?: string) {
  const http = await import('node:http');
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
