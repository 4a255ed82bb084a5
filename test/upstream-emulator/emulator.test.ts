import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type Emulator,
  IV_ENTRA_SCOPE,
  IV_EXCHANGE_SCOPE,
  JOURNAL_COLUMNS,
  type OnHandRow,
  provisioningConfig,
  startEmulator,
  toCsv,
} from './index';
import { ScmService } from './scm';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ importDelayMs: 20, postingDelayMs: 20 });
});
afterAll(() => emu.close());
beforeEach(() => emu.admin.reset());

// ---- a minimal client, written from upstream.md ----

const c = () => emu.credentials;

function entra(scope: string, secret = c().clientSecret): Promise<Response> {
  return fetch(`${c().authorityHost}/${c().tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c().clientId,
      client_secret: secret,
      scope,
    }),
  });
}

async function accessToken(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

const scmToken = async () => accessToken(await entra(`${c().fnoEnvironmentUrl}/.default`));

function exchange(assertion: string, init: Omit<RequestInit, 'body' | 'method'> = {}): Promise<Response> {
  // Mixed-case field names on purpose, as Microsoft's sample client sends them.
  return fetch(`${c().ivSecurityServiceUrl}/token`, {
    ...init,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_assertion_type: 'aad_app',
      client_assertion: assertion,
      Scope: IV_EXCHANGE_SCOPE,
      Context: c().environmentId,
      context_type: 'finops-env',
    }),
  });
}

async function ivToken(): Promise<string> {
  return accessToken(await exchange(await accessToken(await entra(IV_ENTRA_SCOPE))));
}

const ivUrl = (op: string, env = c().environmentId) =>
  `${c().ivEndpoint}/api/environment/${env}/onhand/${op}`;

function ivPost(
  token: string | undefined,
  op: string,
  body: unknown,
  init: RequestInit = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'Api-Version': '1.0' };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(ivUrl(op), { ...init, method: 'POST', headers, body: JSON.stringify(body) });
}

interface BulkAnswer {
  success: string[];
  failure: { id: string | null; statusCode: number; message: string }[];
}

const event = (
  id: string,
  qty: number,
  dims: Record<string, string> = { siteId: '1', locationId: '13' },
) => ({
  id,
  organizationId: 'usmf',
  productId: 'D0001',
  dimensions: dims,
  quantities: { '@iv': { adjustment: qty } },
});

async function query(
  token: string,
  dims: string[],
  values: string[][],
  productId = 'D0001',
): Promise<OnHandRow[]> {
  const res = await ivPost(token, 'exactquery', {
    filters: { organizationId: ['usmf'], productId: [productId], dimensions: dims, values },
    groupByValues: [],
    returnNegative: true,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as OnHandRow[];
}

const row = (over: Record<string, unknown>) => ({
  dataAreaId: 'usmf',
  JournalNameId: '',
  InventoryServiceJournalExpectedStatus: 'Created',
  ItemNumber: 'D0001',
  InventorySiteId: '1',
  InventoryWarehouseId: '13',
  TransactionDate: '2024-05-01',
  InventoryQuantity: 5,
  InventoryServiceAdjustmentOffsetDatasource: '@iv',
  InventoryServiceAdjustmentOffsetPhysicalMeasure: 'adjustment',
  ...over,
});

function enqueueRaw(token: string, csv: string): Promise<Response> {
  return fetch(
    `${c().fnoEnvironmentUrl}/api/connector/enqueue/${c().activityId}?entity=Inventory%20adjustment&company=usmf`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'x-ms-dyn-externalidentifier': 'batch-1' },
      body: csv,
    },
  );
}

async function enqueue(token: string, rows: Record<string, unknown>[]): Promise<string> {
  const res = await enqueueRaw(token, toCsv(JOURNAL_COLUMNS, rows));
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(text).toMatch(/^"[0-9a-f-]{36}"$/);
  return JSON.parse(text) as string;
}

interface JobStatus {
  DataJobStatus: { DataJobState: string };
  ExecutionLog: string;
}

async function waitJob(token: string, messageId: string): Promise<JobStatus> {
  const seen = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const res = await fetch(
      `${c().fnoEnvironmentUrl}/api/connector/jobstatus/${c().activityId}?jobId=${messageId}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(res.status).toBe(200);
    const status = (await res.json()) as JobStatus;
    seen.add(status.DataJobStatus.DataJobState);
    if (!['Enqueued', 'InProcess'].includes(status.DataJobStatus.DataJobState)) {
      expect(seen.has('Enqueued') || seen.has('InProcess')).toBe(true);
      return status;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('job never finished');
}

async function odata(token: string, path: string): Promise<Response> {
  return fetch(path.startsWith('http') ? path : `${c().fnoEnvironmentUrl}/data/${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

async function entries(token: string, filter: string): Promise<Record<string, unknown>[]> {
  const res = await odata(
    token,
    `InventoryServiceAdjustmentJournalEntries?cross-company=true&$filter=${encodeURIComponent(filter)}`,
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { value: Record<string, unknown>[] }).value;
}

async function header(token: string, journalNumber: string): Promise<Record<string, unknown>> {
  const res = await odata(
    token,
    `InventoryServiceAdjustmentJournalHeaders?cross-company=true&$filter=${encodeURIComponent(`JournalNumber eq '${journalNumber}' and dataAreaId eq 'usmf'`)}`,
  );
  const value = ((await res.json()) as { value: Record<string, unknown>[] }).value;
  expect(value).toHaveLength(1);
  return value[0] as Record<string, unknown>;
}

// ---- tests ----

describe('tokens', () => {
  it('Entra → IV exchange → bulk, with and without the 307 hop', async () => {
    const direct = await ivToken();
    expect((await ivPost(direct, 'bulk', [event('a', 1)])).status).toBe(200);

    emu.admin.updateSettings({ ivTokenRedirect: true });
    const assertion = await accessToken(await entra(IV_ENTRA_SCOPE));
    const hop = await exchange(assertion, { redirect: 'manual' });
    expect(hop.status).toBe(307);
    expect(hop.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ivsec\//);
    const followed = await accessToken(await exchange(assertion));
    expect((await ivPost(followed, 'bulk', [event('b', 1)])).status).toBe(200);
    expect(emu.admin.counters().ivEventsAccepted).toBe(2);
  });

  it('answers 401 for a wrong secret, a missing, foreign or expired token; 404 for an unknown environment', async () => {
    const wrong = await entra(IV_ENTRA_SCOPE, 'nope');
    expect(wrong.status).toBe(401);
    const body = (await wrong.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_client');
    expect(body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/);

    expect((await ivPost(undefined, 'bulk', [event('a', 1)])).status).toBe(401);
    const entraIv = await accessToken(await entra(IV_ENTRA_SCOPE));
    expect((await ivPost(entraIv, 'bulk', [event('a', 1)])).status).toBe(401);
    const iv = await ivToken();
    expect((await odata(iv, 'InventoryServiceAdjustmentJournalHeaders?cross-company=true')).status).toBe(401);
    const scm = await scmToken();
    expect((await odata(scm, 'InventoryServiceAdjustmentJournalHeaders?cross-company=true')).status).toBe(
      200,
    );

    const notFound = await fetch(ivUrl('bulk', '00000000-0000-4000-8000-000000000000'), {
      method: 'POST',
      headers: { authorization: `Bearer ${iv}`, 'content-type': 'application/json' },
      body: '[]',
    });
    expect(notFound.status).toBe(404);

    emu.admin.expireTokens();
    expect((await ivPost(iv, 'bulk', [event('a', 1)])).status).toBe(401);
    expect((await odata(scm, 'InventoryServiceAdjustmentJournalHeaders?cross-company=true')).status).toBe(
      401,
    );
    expect((await fetch(`${c().ivEndpoint}/health/ping`)).status).toBe(200);
  });

  it('expires tokens after tokenLifetimeSeconds', async () => {
    const short = await startEmulator({ tokenLifetimeSeconds: 0.05 });
    try {
      const res = await fetch(
        `${short.credentials.authorityHost}/${short.credentials.tenantId}/oauth2/v2.0/token`,
        {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: short.credentials.clientId,
            client_secret: short.credentials.clientSecret,
            scope: `${short.credentials.fnoEnvironmentUrl}/.default`,
          }),
        },
      );
      const token = await accessToken(res);
      await new Promise((r) => setTimeout(r, 80));
      const later = await fetch(
        `${short.credentials.fnoEnvironmentUrl}/data/InventoryServiceAdjustmentJournalHeaders`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
      expect(later.status).toBe(401);
    } finally {
      await short.close();
    }
  });
});

describe('IV on-hand', () => {
  it('caps a bulk call at 512 events', async () => {
    const token = await ivToken();
    const many = Array.from({ length: 513 }, (_, i) => event(`e${i}`, 1));
    const tooMany = await ivPost(token, 'bulk', many);
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { message: string }).message).toMatch(/at most 512/);
    expect(emu.admin.events()).toHaveLength(0);
    const ok = (await (await ivPost(token, 'bulk', many.slice(0, 512))).json()) as BulkAnswer;
    expect(ok.success).toHaveLength(512);
  });

  it('counts an id once, refuses fno and invalid events per event', async () => {
    const token = await ivToken();
    await ivPost(token, 'bulk', [event('dup', 5)]);
    const res = await ivPost(token, 'bulk', [
      event('dup', 5),
      { ...event('fno', 1), quantities: { fno: { physicalinvent: 1 } } },
      { ...event('noProduct', 1), productId: undefined },
      { ...event('text', 1), quantities: { '@iv': { adjustment: '1' } } },
      event('new', 2),
    ]);
    const answer = (await res.json()) as BulkAnswer;
    expect(answer.success).toEqual(['dup', 'new']);
    expect(answer.failure.map((f) => [f.id, f.statusCode])).toEqual([
      ['fno', 400],
      ['noProduct', 400],
      ['text', 400],
    ]);
    expect(answer.failure[0]?.message).toMatch(/fno/);
    expect(emu.admin.counters()).toMatchObject({
      ivBulkCalls: 2,
      ivEventsReceived: 6,
      ivEventsAccepted: 2,
      ivEventsDuplicate: 1,
      ivEventsRejected: 3,
    });
    expect(emu.admin.events().map((e) => e.id)).toEqual(['dup', 'new']);
    const [sum] = await query(token, ['siteId', 'locationId'], [['1', '13']]);
    expect(sum?.quantities['@iv']).toEqual({ adjustment: 7 });
  });

  it('exactquery sums over unlisted dimensions and matches dimension keys without regard to case', async () => {
    const token = await ivToken();
    await ivPost(token, 'bulk', [
      event('r', 3, { SiteId: '1', LOCATIONID: '13', colorId: 'red', channel: 'pos' }),
      event('b', 4, { siteId: '1', locationId: '13', ColorId: 'blue' }),
      event('other', 100, { siteId: '1', locationId: '12' }),
    ]);
    const [all, ...rest] = await query(token, ['siteId', 'locationId'], [['1', '13']]);
    expect(rest).toHaveLength(0);
    expect(all).toMatchObject({
      productId: 'D0001',
      dimensions: { siteId: '1', locationId: '13' },
      quantities: { '@iv': { adjustment: 7 }, fno: { physicalinvent: 100 } },
    });
    const byColor = await query(
      token,
      ['siteId', 'locationId', 'colorId'],
      [
        ['1', '13', 'red'],
        ['1', '13', 'blue'],
      ],
    );
    expect(byColor.map((r) => [r.dimensions.colorId, r.quantities['@iv']?.adjustment])).toEqual([
      ['red', 3],
      ['blue', 4],
    ]);
    expect(emu.admin.events()[0]?.dimensions).toEqual({
      channel: 'pos',
      colorId: 'red',
      locationId: '13',
      siteId: '1',
    });
  });
});

describe('SCM journals', () => {
  it('enqueue → jobstatus → read-back: Processed, numbered journal and lines', async () => {
    const token = await scmToken();
    const id = await enqueue(token, [
      row({ InventoryServiceTransactionId: 'agg-1' }),
      row({ InventoryServiceTransactionId: 'agg-2', ItemNumber: 'd0002', InventoryQuantity: -1.5 }),
    ]);
    const status = await waitJob(token, id);
    expect(status.DataJobStatus.DataJobState).toBe('Processed');
    const lines = await entries(
      token,
      "InventoryServiceTransactionId eq 'agg-1' or InventoryServiceTransactionId eq 'AGG-2'",
    );
    expect(
      lines.map((l) => [l.JournalNumber, l.LineNumber, l.ItemNumber, l.InventoryQuantity, l.JournalNameId]),
    ).toEqual([
      ['IVJ-000001', 1, 'D0001', 5, 'IVAdj'],
      ['IVJ-000001', 2, 'D0002', -1.5, 'IVAdj'],
    ]);
    expect(await header(token, 'IVJ-000001')).toMatchObject({
      IsPosted: 'No',
      InventoryServicePostingStatus: 'NotPosted',
    });
    const [journal] = emu.admin.journals();
    expect(journal?.externalIdentifier).toBe('batch-1');
    expect(journal?.lines[0]).toMatchObject({
      LineNumber: 1,
      InventorySiteId: '1',
      TransactionDate: '2024-05-01',
    });
  });

  it('ProcessedWithErrors keeps the good rows, logs each bad row, and refuses a duplicate', async () => {
    const token = await scmToken();
    const first = await enqueue(token, [
      row({ InventoryServiceTransactionId: 'good' }),
      row({ InventoryServiceTransactionId: 'bad-item', ItemNumber: 'X999' }),
      row({ InventoryServiceTransactionId: 'bad-wh', InventoryWarehouseId: '99' }),
      row({ InventoryServiceTransactionId: 'bad-journal', JournalNameId: 'Nope' }),
    ]);
    const status = await waitJob(token, first);
    expect(status.DataJobStatus.DataJobState).toBe('ProcessedWithErrors');
    const log = status.ExecutionLog.split('\n');
    expect(log).toContain(
      "bad-item: Write failed for table row of type 'InventoryServiceAdjustmentJournalEntity'. Infolog: Warning: The value 'X999' in field 'Item number' is not found in the related table 'Items'.",
    );
    expect(log.find((l) => l.startsWith('bad-wh: '))).toMatch(/'99' in field 'Warehouse'/);
    expect(log.find((l) => l.startsWith('bad-journal: '))).toMatch(/'Nope' in field 'Journal name'/);
    expect(log.at(-1)).toMatch(/1 of 4 row\(s\) imported/);
    expect(
      (await entries(token, "InventoryServiceTransactionId ne 'zzz'")).map(
        (l) => l.InventoryServiceTransactionId,
      ),
    ).toEqual(['good']);

    // Fix the cause in SCM, then resend the whole file: the good row is a duplicate, bad-item imports now.
    emu.admin.addItem({ organizationId: 'usmf', itemNumber: 'X999' });
    const second = await enqueue(token, [
      row({ InventoryServiceTransactionId: 'good' }),
      row({ InventoryServiceTransactionId: 'bad-item', ItemNumber: 'X999' }),
    ]);
    const again = await waitJob(token, second);
    expect(again.DataJobStatus.DataJobState).toBe('ProcessedWithErrors');
    expect(again.ExecutionLog).toMatch(/^good: .*The record already exists\./m);
    expect((await entries(token, "InventoryServiceTransactionId eq 'bad-item'"))[0]?.JournalNumber).toBe(
      'IVJ-000002',
    );
    expect(emu.admin.counters()).toMatchObject({
      scmEnqueueCalls: 2,
      scmRowsReceived: 6,
      scmRowsImported: 2,
      scmRowsDuplicate: 1,
      scmRowsFailed: 3,
      journals: 2,
    });
  });

  it('PreProcessError for a file with a wrong header', async () => {
    const token = await scmToken();
    const res = await enqueueRaw(
      token,
      'InventoryServiceTransactionId,ItemNumbr,InventoryQuantity\r\nx,D0001,1\r\n',
    );
    const status = await waitJob(token, JSON.parse(await res.text()) as string);
    expect(status.DataJobStatus.DataJobState).toBe('PreProcessError');
    expect(status.ExecutionLog).toMatch(/ItemNumbr/);
    expect(emu.admin.journals()).toHaveLength(0);
  });

  it('posting moves fno.physicalinvent and takes the offset back out of the external measure', async () => {
    const iv = await ivToken();
    const scm = await scmToken();
    await ivPost(iv, 'bulk', [event('line-1', 5, { siteId: '1', locationId: '13', channel: 'pos' })]);
    const id = await enqueue(scm, [
      row({ InventoryServiceTransactionId: 'agg-p', InventoryServiceJournalExpectedStatus: 'Posted' }),
    ]);
    expect((await waitJob(scm, id)).DataJobStatus.DataJobState).toBe('Processed');
    await emu.admin.idle();
    expect(await header(scm, 'IVJ-000001')).toMatchObject({
      IsPosted: 'Yes',
      InventoryServicePostingStatus: 'Posted',
    });
    const [sum] = await query(iv, ['siteId', 'locationId'], [['1', '13']]);
    expect(sum?.quantities).toEqual({ '@iv': { adjustment: 0 }, fno: { physicalinvent: 105 } });
    expect(emu.admin.counters().journalsPosted).toBe(1);
  });

  it('one line that would make on-hand negative fails the whole journal', async () => {
    const scm = await scmToken();
    const id = await enqueue(scm, [
      row({
        InventoryServiceTransactionId: 'ok',
        InventoryServiceJournalExpectedStatus: 'Posted',
        InventoryQuantity: 10,
      }),
      row({
        InventoryServiceTransactionId: 'neg',
        InventoryServiceJournalExpectedStatus: 'Posted',
        InventoryQuantity: -1000,
      }),
    ]);
    await waitJob(scm, id);
    await emu.admin.idle();
    const h = await header(scm, 'IVJ-000001');
    expect(h).toMatchObject({ IsPosted: 'No', InventoryServicePostingStatus: 'PostError' });
    expect(h.InventoryServicePostingError).toMatch(/D0001.*-1000/);
    const fno = emu.admin.onHand({ organizationId: 'usmf', productId: 'D0001' });
    expect(fno.map((r) => r.quantities.fno?.physicalinvent)).toEqual([100]);
    expect(emu.admin.counters().journalsPostError).toBe(1);
  });

  it('the recurring posting job attempts a PostError journal again until the on-hand allows it, then posts it once', async () => {
    const iv = await ivToken();
    const scm = await scmToken();
    await ivPost(iv, 'bulk', [event('e-ok', 10), event('e-neg', -150)]);
    const posted = { InventoryServiceJournalExpectedStatus: 'Posted' };
    const id = await enqueue(scm, [
      row({ ...posted, InventoryServiceTransactionId: 'ok', InventoryQuantity: 10 }),
      row({ ...posted, InventoryServiceTransactionId: 'neg', InventoryQuantity: -150 }),
    ]);
    await waitJob(scm, id);
    // idle does not wait for passes that cannot change anything.
    await emu.admin.idle();
    const failed = await header(scm, 'IVJ-000001');
    expect(failed).toMatchObject({ IsPosted: 'No', InventoryServicePostingStatus: 'PostError' });
    expect(failed.InventoryServicePostingError).toContain('on-hand 110, quantity -150');

    // Passes go on while the cause stays: attempts grow, the journal counts once.
    await new Promise((r) => setTimeout(r, 150));
    const during = emu.admin.counters();
    expect(during.postingAttemptsFailed).toBeGreaterThanOrEqual(3);
    expect(during).toMatchObject({ journalsPostError: 1, journalsPosted: 0 });
    expect((await query(iv, ['siteId', 'locationId'], [['1', '13']]))[0]?.quantities).toEqual({
      '@iv': { adjustment: -140 },
      fno: { physicalinvent: 100 },
    });

    // The cause is fixed in SCM (over the HTTP admin API): the next pass posts the journal.
    const fix = await fetch(`${emu.url}/admin/onhand`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organizationId: 'usmf',
        itemNumber: 'D0001',
        dimensions: { siteId: '1', locationId: '13' },
        quantity: 40,
      }),
    });
    expect(fix.status).toBe(200);
    await emu.admin.idle();
    expect(await header(scm, 'IVJ-000001')).toMatchObject({
      IsPosted: 'Yes',
      InventoryServicePostingStatus: 'Posted',
      InventoryServicePostingError: '',
    });
    const after = emu.admin.counters();
    expect(after).toMatchObject({ journalsPostError: 1, journalsPosted: 1 });

    // Posted once: later passes leave it, and the offset took the external measure back to 0 once.
    await new Promise((r) => setTimeout(r, 100));
    expect(emu.admin.counters()).toMatchObject({
      journalsPosted: 1,
      postingAttemptsFailed: after.postingAttemptsFailed,
    });
    expect((await query(iv, ['siteId', 'locationId'], [['1', '13']]))[0]?.quantities).toEqual({
      '@iv': { adjustment: 0 },
      fno: { physicalinvent: 0 },
    });
  });

  it('OData answers a filter on InventoryServiceTransactionId or JournalNumber from its index, as the scan would', async () => {
    const scm = await scmToken();
    const usrt = { dataAreaId: 'usrt', InventoryWarehouseId: '11' };
    await waitJob(
      scm,
      await enqueue(scm, [
        ...['a', 'b', 'c', 'd', 'e'].map((t) => row({ InventoryServiceTransactionId: t })),
        row({ ...usrt, InventoryServiceTransactionId: 'X1' }),
        row({ ...usrt, InventoryServiceTransactionId: 'x2' }),
      ]),
    );
    await waitJob(scm, await enqueue(scm, [row({ InventoryServiceTransactionId: 'f' })]));
    const scan = vi.spyOn(ScmService.prototype, 'allJournals');
    const ids = async (path: string) => {
      const res = await odata(scm, path);
      expect(res.status).toBe(200);
      return ((await res.json()) as { value: Record<string, unknown>[] }).value.map((r) =>
        [r.dataAreaId, r.JournalNumber, r.LineNumber, r.InventoryServiceTransactionId].join('/'),
      );
    };
    const both = async (set: string, filter: string, extra = '') => {
      const indexed = await ids(`${set}?cross-company=true${extra}&$filter=${encodeURIComponent(filter)}`);
      expect(scan).not.toHaveBeenCalled();
      // The same filter, made unindexable by an `or` that matches nothing: the scan.
      const scanned = await ids(
        `${set}?cross-company=true${extra}&$filter=${encodeURIComponent(`${filter} or dataAreaId eq 'none'`)}`,
      );
      expect(scan).toHaveBeenCalled();
      scan.mockClear();
      expect(indexed).toEqual(scanned);
      return indexed;
    };
    const E = 'InventoryServiceAdjustmentJournalEntries';
    try {
      expect(
        await both(
          E,
          "InventoryServiceTransactionId eq 'f' or InventoryServiceTransactionId eq 'x1' or InventoryServiceTransactionId eq 'A' or InventoryServiceTransactionId eq 'nope'",
        ),
      ).toEqual(['usmf/IVJ-000001/1/a', 'usrt/IVJ-000001/1/X1', 'usmf/IVJ-000002/1/f']);
      expect(await both(E, "JournalNumber eq 'ivj-000001'")).toHaveLength(7);
      expect(await both(E, "JournalNumber eq 'IVJ-000001' and dataAreaId eq 'USRT'")).toEqual([
        'usrt/IVJ-000001/1/X1',
        'usrt/IVJ-000001/2/x2',
      ]);
      expect(
        await both(
          E,
          "(InventoryServiceTransactionId eq 'a' and dataAreaId eq 'usrt') or InventoryServiceTransactionId eq 'b'",
        ),
      ).toEqual(['usmf/IVJ-000001/2/b']);
      expect(await both('InventoryServiceAdjustmentJournalHeaders', "JournalNumber eq 'IVJ-000001'")).toEqual(
        ['usmf/IVJ-000001//', 'usrt/IVJ-000001//'],
      );
      // Without cross-company=true: the default company only, from the index too.
      const local = await odata(scm, `${E}?$filter=${encodeURIComponent("JournalNumber eq 'IVJ-000001'")}`);
      expect(((await local.json()) as { value: unknown[] }).value).toHaveLength(5);
      expect(scan).not.toHaveBeenCalled();

      // Paging and $select on the index path.
      emu.admin.updateSettings({ odataPageSize: 2 });
      const seen: unknown[] = [];
      let next: string | undefined =
        `${E}?cross-company=true&$select=InventoryServiceTransactionId,LineNumber&$filter=${encodeURIComponent("JournalNumber eq 'IVJ-000001' and dataAreaId eq 'usmf'")}`;
      let pages = 0;
      while (next) {
        const page = (await (await odata(scm, next)).json()) as {
          value: Record<string, unknown>[];
          '@odata.nextLink'?: string;
        };
        pages++;
        for (const v of page.value)
          expect(Object.keys(v)).toEqual(['InventoryServiceTransactionId', 'LineNumber']);
        seen.push(...page.value.map((v) => v.InventoryServiceTransactionId));
        next = page['@odata.nextLink'];
      }
      expect(pages).toBe(3);
      expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(scan).not.toHaveBeenCalled();
    } finally {
      scan.mockRestore();
    }
  });

  it('OData: `in` is refused, pages carry a nextLink, unknown jobs are 404', async () => {
    const scm = await scmToken();
    const refused = await odata(
      scm,
      `InventoryServiceAdjustmentJournalEntries?cross-company=true&$filter=${encodeURIComponent("InventoryServiceTransactionId in ('a','b')")}`,
    );
    expect(refused.status).toBe(400);
    const err = (await refused.json()) as { error: { message: string; innererror: { message: string } } };
    expect(err.error.message).toBe('An error has occurred.');
    expect(err.error.innererror.message).toMatch(/'in' operator/);

    emu.admin.updateSettings({ odataPageSize: 2 });
    await waitJob(
      scm,
      await enqueue(
        scm,
        ['a', 'b', 'c'].map((t) => row({ InventoryServiceTransactionId: t })),
      ),
    );
    const ids: unknown[] = [];
    let next: string | undefined = 'InventoryServiceAdjustmentJournalEntries?cross-company=true';
    while (next) {
      const page = (await (await odata(scm, next)).json()) as {
        value: { InventoryServiceTransactionId: string }[];
        '@odata.nextLink'?: string;
      };
      expect(page.value.length).toBeLessThanOrEqual(2);
      ids.push(...page.value.map((v) => v.InventoryServiceTransactionId));
      next = page['@odata.nextLink'];
      if (next) expect(next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scm\/data\/.*\$skip=2/);
    }
    expect(ids).toEqual(['a', 'b', 'c']);

    const unknown = await fetch(
      `${c().fnoEnvironmentUrl}/api/connector/jobstatus/${c().activityId}?jobId=nope`,
      {
        headers: { authorization: `Bearer ${scm}` },
      },
    );
    expect(unknown.status).toBe(404);
    const badActivity = await fetch(
      `${c().fnoEnvironmentUrl}/api/connector/enqueue/00000000-0000-4000-8000-000000000000`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${scm}` },
        body: 'x',
      },
    );
    expect(badActivity.status).toBe(404);
    expect(
      ((await badActivity.json()) as { error: { innererror: { message: string } } }).error.innererror.message,
    ).toMatch(/activity/);
  });
});

describe('faults and outages', () => {
  it('429 with Retry-After, 500, hang, drop, and lost (applied but unanswered)', async () => {
    const token = await ivToken();
    const admin = emu.admin;

    admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['429'], retryAfterSeconds: 7 });
    const throttled = await ivPost(token, 'bulk', [event('t', 1)]);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');

    admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['500'] });
    expect((await ivPost(token, 'bulk', [event('t', 1)])).status).toBe(500);

    admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['hang'] });
    await expect(
      ivPost(token, 'bulk', [event('h', 1)], { signal: AbortSignal.timeout(150) }),
    ).rejects.toThrow();

    admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['drop'] });
    await expect(ivPost(token, 'bulk', [event('d', 1)])).rejects.toThrow();

    admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['lost'] });
    await expect(ivPost(token, 'bulk', [event('lost', 1)])).rejects.toThrow();

    // SCM: an enqueue whose answer is lost still queues the file.
    const scm = await scmToken();
    admin.setFault({ endpoint: '*', rate: 1, kinds: ['lost'] });
    await expect(
      enqueueRaw(scm, toCsv(JOURNAL_COLUMNS, [row({ InventoryServiceTransactionId: 'l1' })])),
    ).rejects.toThrow();

    admin.clearFaults();
    await admin.idle();
    expect(admin.events().map((e) => e.id)).toEqual(['lost']);
    expect(admin.journals().map((j) => j.lines.map((l) => l.InventoryServiceTransactionId))).toEqual([
      ['l1'],
    ]);
    expect(admin.counters().faultsInjected).toBe(6);
    expect((await ivPost(token, 'bulk', [event('after', 1)])).status).toBe(200);
  });

  it('a share of faults follows the seed', async () => {
    const runs: number[][] = [];
    for (let round = 0; round < 2; round++) {
      emu.admin.reset();
      emu.admin.setFault({ endpoint: 'ivQuery', rate: 0.5, kinds: ['500'] });
      const token = await ivToken();
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        statuses.push((await ivPost(token, 'exactquery', { filters: { organizationId: ['usmf'] } })).status);
      }
      runs.push(statuses);
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]).toContain(500);
    expect(runs[0]).toContain(200);
  });

  it('stop() drops the network but keeps state; start() listens on the same port', async () => {
    const token = await ivToken();
    await ivPost(token, 'bulk', [event('kept', 2)]);
    const port = emu.port;
    await emu.stop();
    await expect(fetch(`${c().ivEndpoint}/health/ping`)).rejects.toThrow();
    await emu.start();
    expect(emu.port).toBe(port);
    const [sum] = await query(token, ['siteId', 'locationId'], [['1', '13']]);
    expect(sum?.quantities['@iv']).toEqual({ adjustment: 2 });
  });

  it('the HTTP admin API mirrors the in-process one', async () => {
    const admin = `${emu.url}/admin`;
    const post = (path: string, body: unknown) =>
      fetch(`${admin}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('faults', { endpoint: 'entra', rate: 1, kinds: ['429'] })).status).toBe(200);
    expect((await entra(IV_ENTRA_SCOPE)).status).toBe(429);
    expect((await fetch(`${admin}/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await post('faults', { endpoint: 'nowhere', rate: 1 })).status).toBe(400);
    expect(
      (
        await post('onhand', {
          organizationId: 'usmf',
          itemNumber: 'D0004',
          dimensions: { SiteId: '1', locationId: '11' },
          quantity: 3,
        })
      ).status,
    ).toBe(200);
    const rows = (await (
      await fetch(`${admin}/onhand?organizationId=usmf&productId=D0004`)
    ).json()) as OnHandRow[];
    expect(rows).toEqual([
      {
        organizationId: 'usmf',
        productId: 'D0004',
        dimensions: { locationId: '11', siteId: '1' },
        quantities: { fno: { physicalinvent: 3 } },
      },
    ]);
    const settings = (await (await post('settings', { importDelayMs: 5 })).json()) as {
      importDelayMs: number;
    };
    expect(settings.importDelayMs).toBe(5);
    const counters = (await (await fetch(`${admin}/counters`)).json()) as Record<string, number>;
    expect(counters.faultsInjected).toBe(1);
    expect((await post('reset', {})).status).toBe(200);
    expect(emu.admin.counters().faultsInjected).toBe(0);
  });
});

describe('cli', () => {
  it('--write-config writes a 0600 provisioning file once listening; SIGTERM closes cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-cli-'));
    try {
      const file = join(dir, 'provisioning.json');
      const child = spawn(
        process.execPath,
        [
          'node_modules/tsx/dist/cli.mjs',
          'test/upstream-emulator/cli.ts',
          '--port',
          '0',
          '--write-config',
          file,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        out += d.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const deadline = Date.now() + 8000;
      while (!out.includes('Provisioning file') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 25));
      expect(out).toMatch(/Upstream emulator: http:\/\/127\.0\.0\.1:\d+/);
      const config = JSON.parse(readFileSync(file, 'utf8')) as ReturnType<typeof provisioningConfig> & {
        connection: { ivEndpoint: string; fnoEnvironmentUrl: string };
        transactions: Record<string, unknown>;
      };
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readdirSync(dir)).toEqual(['provisioning.json']);
      expect(Object.keys(config)).toEqual(['environmentId', 'enableFeature', 'connection', 'transactions']);
      expect(config.transactions.fnoSyncMaxLineCount).toBe(10000);
      expect((await fetch(`${config.connection.ivEndpoint}/health/ping`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--catalog names the bad key and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-cli-'));
    try {
      const file = join(dir, 'catalog.json');
      writeFileSync(
        file,
        JSON.stringify({
          organizations: ['usmf'],
          items: [{ organizationId: 'usmf', itemNo: 'x' }],
          warehouses: [],
          journalNames: [],
          onHand: [],
        }),
      );
      const child = spawn(
        process.execPath,
        ['node_modules/tsx/dist/cli.mjs', 'test/upstream-emulator/cli.ts', '--catalog', file],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      expect(code).toBe(2);
      expect(err).toMatch(/items\[0\].*itemNo/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('provisioningConfig has no mappings key', () => {
    expect(provisioningConfig(emu)).not.toHaveProperty('mappings');
  });
});
