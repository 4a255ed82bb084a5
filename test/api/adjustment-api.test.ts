import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV_KEY_NAME } from '../../src/main/people/api-keys';
import { API_KEY, type ApiFixture, ENV_ID, getJson, postJson, seedLine, startApi } from '../helpers/layer';

let f: ApiFixture;
beforeAll(async () => {
  f = await startApi();
});
afterAll(async () => {
  await f.close();
});

describe('adjustment API', () => {
  it("accepts the example line of Microsoft's article and shows it as Created through the read endpoints", async () => {
    const res = await postJson(`${f.api}/adjustment/bulk`, seedLine({ id: 'api-seed' }));
    expect(res.status).toBe(200);
    const [result] = (await res.json()) as { id: string; lineRecordId: string; status: string }[];
    expect(result).toMatchObject({ id: 'api-seed', status: 'Created' });
    const one = await getJson(`${f.api}/adjustment/lines/${result!.lineRecordId}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: 'api-seed',
      organizationId: 'usmf',
      productId: 'D0001',
      quantity: 5,
      status: 'Created',
      source: 'api',
      createdBy: ENV_KEY_NAME,
      authorKind: 'system',
      fnoJournalNameId: null,
      costPrice: null,
      aggregatedLineId: null,
      dimensions: { siteId: '1', locationId: '13', colorId: 'red', sizeId: 'S', styleId: 'women' },
    });
  });

  it('answers in request order, dedupes resends and pages with a total count', async () => {
    const lines = Array.from({ length: 30 }, (_, i) =>
      seedLine({ id: `page-${i}`, productId: 'P-PAGE', quantity: i + 1 }),
    );
    const res = await postJson(`${f.api}/adjustment/bulk`, lines);
    const body = (await res.json()) as { id: string }[];
    expect(body.map((r) => r.id)).toEqual(lines.map((l) => l.id));
    const resend = await postJson(`${f.api}/adjustment/bulk`, lines.slice(0, 5));
    expect(resend.status).toBe(200);
    const page = await getJson(`${f.api}/adjustment/lines?productId=P-PAGE&top=10&skip=10`);
    expect(page.body).toMatchObject({ count: 30 });
    expect((page.body as { value: { id: string }[] }).value.map((l) => l.id)).toEqual(
      lines.slice(10, 20).map((l) => l.id),
    );
    const sorted = await getJson(
      `${f.api}/adjustment/lines?productId=P-PAGE&orderBy=quantity&direction=desc&top=3`,
    );
    expect((sorted.body as { value: { quantity: number }[] }).value.map((l) => l.quantity)).toEqual([
      30, 29, 28,
    ]);
  });

  it('filters by creation date and streams every matching row in the export', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await postJson(`${f.api}/adjustment/bulk`, [
      seedLine({ id: 'date-1', productId: 'P-DATE' }),
      seedLine({ id: 'date-2', productId: 'P-DATE' }),
    ]);
    const inRange = await getJson(`${f.api}/adjustment/lines?productId=P-DATE&from=${today}&to=${today}`);
    expect((inRange.body as { count: number }).count).toBe(2);
    const later = await getJson(`${f.api}/adjustment/lines?productId=P-DATE&from=${tomorrow}`);
    expect((later.body as { count: number }).count).toBe(0);
    const csv = await fetch(`${f.api}/adjustment/lines.csv?productId=P-DATE&to=${today}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect((await csv.text()).trim().split('\r\n')).toHaveLength(3);
  });

  it('filters by company, site, warehouse and status together', async () => {
    await postJson(`${f.api}/adjustment/bulk`, [
      seedLine({ id: 'loc-1', productId: 'P-LOC', dimensions: { siteId: '1', locationId: '11' } }),
      seedLine({ id: 'loc-2', productId: 'P-LOC', dimensions: { siteId: '1', locationId: '12' } }),
      seedLine({ id: 'loc-3', productId: 'P-LOC', dimensions: { siteId: '2', locationId: '12' } }),
      seedLine({
        id: 'loc-4',
        productId: 'P-LOC',
        organizationId: 'usrt',
        dimensions: { siteId: '1', locationId: '12' },
      }),
    ]);
    const ids = async (query: string) =>
      (
        (await getJson(`${f.api}/adjustment/lines?productId=P-LOC&${query}`)).body as {
          value: { id: string }[];
        }
      ).value.map((l) => l.id);
    expect(await ids('locationId=12')).toEqual(['loc-2', 'loc-3', 'loc-4']);
    expect(await ids('locationId=12&siteId=1')).toEqual(['loc-2', 'loc-4']);
    expect(await ids('locationId=12&siteId=1&organizationId=usmf&status=Created')).toEqual(['loc-2']);
    expect(await ids('status=IVPosted,Aggregated')).toEqual([]);
    // Voided is a status a clerk (and a store system) can ask for.
    expect(await ids('status=Voided')).toEqual([]);
    expect(await ids('status=Created,Voided')).toEqual(['loc-1', 'loc-2', 'loc-3', 'loc-4']);
  });

  it('answers 409 naming the id when it comes back with other content', async () => {
    await postJson(`${f.api}/adjustment/bulk`, seedLine({ id: 'conflict-1' }));
    const res = await postJson(`${f.api}/adjustment/bulk`, [
      seedLine({ id: 'conflict-new' }),
      seedLine({ id: 'conflict-1', quantity: 9 }),
    ]);
    expect(res.status).toBe(409);
    const body = (await res.json()) as { errors: { id: string; index: number }[] };
    expect(body.errors).toEqual([expect.objectContaining({ id: 'conflict-1', index: 1, field: 'id' })]);
    expect((await getJson(`${f.api}/adjustment/lines?externalReferenceId=none`)).status).toBe(200);
    const check = await getJson(`${f.api}/adjustment/lines?top=1000`);
    expect((check.body as { value: { id: string }[] }).value.some((l) => l.id === 'conflict-new')).toBe(
      false,
    );
  });

  it('takes 10,000 lines in one request', async () => {
    const lines = Array.from({ length: 10_000 }, (_, i) =>
      seedLine({ id: `big-${i}`, productId: `B${i % 50}` }),
    );
    const res = await postJson(`${f.api}/adjustment/bulk`, lines);
    expect(res.status).toBe(200);
    expect(((await res.json()) as unknown[]).length).toBe(10_000);
    const count = await getJson(`${f.api}/adjustment/lines?productId=B7&top=1`);
    expect((count.body as { count: number }).count).toBe(200);
  });

  it('exports CSV with proper quoting, streamed', async () => {
    await postJson(
      `${f.api}/adjustment/bulk`,
      seedLine({
        id: 'csv-1',
        productId: 'CSV',
        externalReferenceId: 'say "hi", ok',
        externalReferenceCategory: '=cmd',
      }),
    );
    const res = await fetch(`${f.api}/adjustment/lines.csv?productId=CSV`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const text = (await res.text()).replace(/^\ufeff/, '');
    const [header, row] = text.split('\r\n');
    expect(header!.split(',')).toContain('externalReferenceId');
    expect(row).toContain('"say ""hi"", ok"');
    expect(row).toContain("'=cmd");
    expect(row).toContain('"{""colorId"":""red""');
  });

  it('exports the known formula payloads as inert text, and quantities as numbers', async () => {
    await postJson(
      `${f.api}/adjustment/bulk`,
      seedLine({
        id: 'csv-2',
        productId: 'CSV2',
        quantity: -3,
        externalReferenceId: `-2+3+cmd|' /C calc'!A0`,
        externalReferenceCategory: '-1+HYPERLINK("http://evil.example","x")',
        fnoJournalNameId: '  @SUM(A1)',
      }),
    );
    const res = await fetch(`${f.api}/adjustment/lines.csv?productId=CSV2`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    const row = (await res.text()).split('\r\n')[1]!;
    // quantityDataSource, physicalMeasure, quantity: the number as a number.
    expect(row).toContain(",'@iv,adjustment,-3,");
    expect(row).toContain(`,'-2+3+cmd|' /C calc'!A0,`);
    // Trimmed on the way in (normalisation); the leading-space variants are in test/shared/csv.test.ts.
    expect(row).toContain(`,'@SUM(A1),`);
    expect(row).toContain(`"'-1+HYPERLINK(""http://evil.example"",""x"")"`);
  });

  it('reports health without a key', async () => {
    const res = await fetch(`${f.server.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      version: 'test',
      ledger: { state: 'open', environmentConfigured: true },
    });
  });

  it('answers 409 until an environment ID is configured', async () => {
    const other = await startApi();
    other.layer.settings.update({ environmentId: null });
    const res = await postJson(
      `${other.server.baseUrl}/api/environment/${ENV_ID}/transaction/adjustment/bulk`,
      seedLine(),
    );
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/environment ID/);
    await other.close();
  });
});

describe('size limits', () => {
  it('answers 413 past the body limit, storing nothing', async () => {
    const before = (await getJson(`${f.api}/adjustment/lines?top=1`)).body as { count: number };
    const huge =
      `[${JSON.stringify(seedLine({ id: 'huge', externalReferenceId: 'x'.repeat(200) }))}${','.repeat(0)}]`.padEnd(
        33 * 1024 * 1024,
        ' ',
      );
    const res = await postJson(`${f.api}/adjustment/bulk`, huge);
    expect(res.status).toBe(413);
    const after = (await getJson(`${f.api}/adjustment/lines?top=1`)).body as { count: number };
    expect(after.count).toBe(before.count);
  });

  it('answers 413 past 50,000 lines', async () => {
    const lines = Array.from({ length: 50_001 }, (_, i) => ({ id: `n${i}` }));
    const res = await postJson(`${f.api}/adjustment/bulk`, lines);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/50000 lines/);
  });
});
