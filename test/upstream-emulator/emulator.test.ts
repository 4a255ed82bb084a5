import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_DATA_PROJECT,
  type Emulator,
  IV_ENTRA_SCOPE,
  type OnHandRow,
  provisioningConfig,
  startEmulator,
} from './index';
import { type BulkAnswer, buildPackage, client, event, journal, line } from './test-client';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ importDelayMs: 20, postingDelayMs: 20 });
});
afterAll(() => emu.close());
beforeEach(() => emu.admin.reset());

const { c, entra, accessToken, scmToken, exchange, ivToken, ivUrl, ivPost, query, enqueueRaw, odata } =
  client(() => emu);

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
      { ...event('text', 1), quantities: { '@iv': { adjustment: 'one' } } },
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

  it('exactquery sums over unlisted dimensions, matches keys without regard to case, answers in IV casing', async () => {
    const token = await ivToken();
    const answer = (await (
      await ivPost(token, 'bulk', [
        {
          ...event('r', 3, { SiteId: '1', LOCATIONID: '13', colorId: 'red', channel: 'pos' }),
          dimensionDataSource: 'pos',
        },
        event('b', 4, { siteId: '1', locationId: '13', ColorId: 'blue' }),
        event('other', 100, { siteId: '1', locationId: '12' }),
      ])
    ).json()) as BulkAnswer;
    expect(answer.failure).toEqual([]);
    const [all, ...rest] = await query(token, ['siteId', 'locationId'], [['1', '13']]);
    expect(rest).toHaveLength(0);
    // IV's own casing, not the documented request casing: clients read keys case-insensitively.
    expect(all).toMatchObject({
      productId: 'D0001',
      dimensions: { siteid: '1', locationid: '13' },
      quantities: { '@iv': { adjustment: 7 }, fno: { physicalinvent: 100 } },
    });
    expect(Object.keys(all?.dimensions ?? {})).toEqual(['siteid', 'locationid']);
    const byColor = await query(
      token,
      ['siteId', 'locationId', 'colorId'],
      [
        ['1', '13', 'red'],
        ['1', '13', 'blue'],
      ],
    );
    expect(byColor.map((r) => [r.dimensions.ColorId, r.quantities['@iv']?.adjustment])).toEqual([
      ['red', 3],
      ['blue', 4],
    ]);
    // The admin read-out keeps the documented spelling.
    expect(emu.admin.events()[0]).toMatchObject({
      dimensionDataSource: 'pos',
      dimensions: { channel: 'pos', colorId: 'red', locationId: '13', siteId: '1' },
    });
  });

  it('refuses external dimension keys unless dimensionDataSource names a data source configured for them', async () => {
    const token = await ivToken();
    const external = { siteId: '1', locationId: '13', channel: 'web' };
    const send = async (events: unknown[]) =>
      (await (await ivPost(token, 'bulk', events)).json()) as BulkAnswer;

    const first = await send([
      event('no-source', 1, external),
      { ...event('unknown-source', 1, external), dimensionDataSource: 'ecom' },
      { ...event('pos-source', 2, external), dimensionDataSource: 'POS' },
      event('base-only', 3),
      event('blank-external', 1, { siteId: '1', locationId: '13', channel: '' }),
    ]);
    expect(first.success).toEqual(['pos-source', 'base-only', 'blank-external']);
    expect(first.failure.map((f) => f.id)).toEqual(['no-source', 'unknown-source']);
    expect(first.failure[0]?.message).toMatch(/'channel' is not a base dimension.*dimensionDataSource/);
    expect(first.failure[1]?.message).toMatch(
      /'ecom' has no dimension mapping configured \(configured: pos\)/,
    );

    emu.admin.updateSettings({ dimensionDataSources: ['pos', 'ecom'] });
    const second = await send([{ ...event('unknown-source', 1, external), dimensionDataSource: 'ecom' }]);
    expect(second.success).toEqual(['unknown-source']);
    expect(emu.admin.events().map((e) => [e.id, e.dimensionDataSource])).toEqual([
      ['pos-source', 'pos'],
      ['base-only', null],
      ['blank-external', null],
      ['unknown-source', 'ecom'],
    ]);
  });

  describe('answer shapes (setting ivAnswerShape): IV stores only what it accepted, whatever it answers', () => {
    const mixed = () => [
      event('ok-1', 1),
      { ...event('bad', 1), quantities: { fno: { physicalinvent: 1 } } },
      event('ok-2', 2),
    ];
    const stored = () => emu.admin.events().map((e) => e.id);

    it('successFailure (default): success ids and failure entries with ids', async () => {
      const res = await ivPost(await ivToken(), 'bulk', mixed());
      const body = (await res.json()) as BulkAnswer;
      expect(body.success).toEqual(['ok-1', 'ok-2']);
      expect(body.failure).toEqual([{ id: 'bad', statusCode: 400, message: expect.stringMatching(/fno/) }]);
      expect(stored()).toEqual(['ok-1', 'ok-2']);
    });

    it('failureWithoutIds: failure entries carry no id', async () => {
      emu.admin.updateSettings({ ivAnswerShape: 'failureWithoutIds' });
      const body = (await (await ivPost(await ivToken(), 'bulk', mixed())).json()) as BulkAnswer;
      expect(body.failure).toHaveLength(1);
      expect(body.failure[0]).not.toHaveProperty('id');
      expect(body.failure[0]?.statusCode).toBe(400);
      expect(stored()).toEqual(['ok-1', 'ok-2']);
    });

    it('perItem: one entry per event with its own statusCode', async () => {
      emu.admin.updateSettings({ ivAnswerShape: 'perItem' });
      const body = (await (await ivPost(await ivToken(), 'bulk', mixed())).json()) as {
        id: string;
        statusCode: number;
      }[];
      expect(body.map((i) => [i.id, i.statusCode])).toEqual([
        ['ok-1', 200],
        ['bad', 400],
        ['ok-2', 200],
      ]);
      expect(stored()).toEqual(['ok-1', 'ok-2']);
    });

    it('bodyStatus: a 200 whose body says 500, and nothing stored', async () => {
      emu.admin.updateSettings({ ivAnswerShape: 'bodyStatus' });
      const res = await ivPost(await ivToken(), 'bulk', [event('lost-1', 1), event('lost-2', 1)]);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { statusCode: number; message: string };
      expect(body.statusCode).toBeGreaterThanOrEqual(400);
      expect(body.message).toMatch(/none of the 2 event/);
      expect(stored()).toEqual([]);
      expect(emu.admin.counters()).toMatchObject({ ivEventsReceived: 2, ivEventsAccepted: 0 });
    });

    it('bare: an empty 200; valid events stored, invalid ones not', async () => {
      emu.admin.updateSettings({ ivAnswerShape: 'bare' });
      const res = await ivPost(await ivToken(), 'bulk', mixed());
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('');
      expect(stored()).toEqual(['ok-1', 'ok-2']);
    });
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
      enqueueRaw(
        scm,
        buildPackage(emu.admin.dataProject(), [
          journal('SL-1-1', 'Created', [line({ InventoryServiceTransactionId: 'l1' })]),
        ]),
      ),
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

  it('refuses, as IV does under its default partition by location, an exact query without site and warehouse or with two organizations', async () => {
    const token = await ivToken();
    const noPlace = await ivPost(token, 'exactquery', {
      filters: { organizationId: ['usmf'], productId: ['D0001'] },
    });
    expect(noPlace.status).toBe(400);
    expect(JSON.stringify(await noPlace.json())).toContain('must list siteId and locationId');
    const twoOrgs = await ivPost(token, 'exactquery', {
      filters: {
        organizationId: ['usmf', 'usrt'],
        dimensions: ['siteId', 'locationId'],
        values: [['1', '13']],
      },
    });
    expect(twoOrgs.status).toBe(400);
  });

  it('a share of faults follows the seed', async () => {
    const runs: number[][] = [];
    for (let round = 0; round < 2; round++) {
      emu.admin.reset();
      emu.admin.setFault({ endpoint: 'ivQuery', rate: 0.5, kinds: ['500'] });
      const token = await ivToken();
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        statuses.push(
          (
            await ivPost(token, 'exactquery', {
              filters: {
                organizationId: ['usmf'],
                dimensions: ['siteId', 'locationId'],
                values: [['1', '13']],
              },
            })
          ).status,
        );
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

/** The CLI as `npm run emulator` starts it; `until` resolves once its output holds the text (8 s at most). */
function runCli(args: string[]) {
  const child = spawn(
    process.execPath,
    ['node_modules/tsx/dist/cli.mjs', 'test/upstream-emulator/cli.ts', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const collect = (d: Buffer) => {
    out += d.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const until = async (text: string) => {
    const deadline = Date.now() + 8000;
    while (!out.includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  };
  return { child, exited, until, out: () => out };
}

describe('cli', () => {
  it('--write-config writes a 0600 provisioning file once listening; SIGTERM closes cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-cli-'));
    try {
      const file = join(dir, 'provisioning.json');
      const cli = runCli(['--port', '0', '--write-config', file]);
      await cli.until('Provisioning file');
      expect(cli.out()).toMatch(/Upstream emulator: http:\/\/127\.0\.0\.1:\d+/);
      expect(cli.out()).toMatch(
        /Posting job: +every 250 ms; run it now: curl -X POST http:\/\/127\.0\.0\.1:\d+\/admin\/posting\/run/,
      );
      const config = JSON.parse(readFileSync(file, 'utf8')) as ReturnType<typeof provisioningConfig> & {
        connection: { ivEndpoint: string; fnoEnvironmentUrl: string };
        transactions: Record<string, unknown>;
      };
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readdirSync(dir)).toEqual(['provisioning.json']);
      expect(Object.keys(config)).toEqual([
        'environmentId',
        'enableFeature',
        'defaultOrganizationId',
        'connection',
        'transactions',
      ]);
      expect(config.transactions.fnoSyncMaxLineCount).toBe(10000);
      expect((await fetch(`${config.connection.ivEndpoint}/health/ping`)).status).toBe(200);
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
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
      const cli = runCli(['--catalog', file]);
      expect(await cli.exited).toBe(2);
      expect(cli.out()).toMatch(/items\[0\].*itemNo/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--data-project names the bad key and exits 2; --no-posting-job and --posting-interval-ms take effect', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-cli-'));
    try {
      const file = join(dir, 'project.json');
      writeFileSync(file, JSON.stringify({ ...DEFAULT_DATA_PROJECT, format: 'XLSX' }));
      const bad = runCli(['--data-project', file]);
      expect(await bad.exited).toBe(2);
      expect(bad.out()).toMatch(/Data project file '.*project\.json': Invalid data project: format/);

      writeFileSync(file, JSON.stringify({ ...DEFAULT_DATA_PROJECT, projectName: 'Store IT project' }));
      const good = runCli([
        '--port',
        '0',
        '--data-project',
        file,
        '--no-posting-job',
        '--posting-interval-ms',
        '70',
      ]);
      await good.until('Posting job');
      expect(good.out()).toMatch(/Data project: +Store IT project \(package, CSV\)/);
      expect(good.out()).toMatch(/Posting job: +off \(runs only when asked\)/);
      const url = /Upstream emulator: (http:\/\/127\.0\.0\.1:\d+)/.exec(good.out())?.[1];
      const settings = (await (await fetch(`${url}/admin/settings`)).json()) as Record<string, unknown>;
      expect(settings).toMatchObject({ postingJobEnabled: false, postingDelayMs: 70 });
      good.child.kill('SIGTERM');
      expect(await good.exited).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('provisioningConfig has no mappings key', () => {
    expect(provisioningConfig(emu)).not.toHaveProperty('mappings');
  });
});
