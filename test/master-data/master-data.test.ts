import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeAsOf } from '../../src/main/master-data/checks';
import type { MasterDataStatus } from '../../src/shared/master-data';
import { linesQuerySchema } from '../../src/shared/queries';
import { type ApiFixture, getJson, postJson, seedLine, startApi } from '../helpers/layer';
import { type Emulator, provisioningConfig, startEmulator } from '../upstream-emulator';

let emulator: Emulator;
let fx: ApiFixture;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
// No inventory journal name entity is public: this tenant has one, under a name of its own.
const JOURNAL_NAMES = 'StoreJournalNames';

beforeEach(async () => {
  emulator.admin.reset();
  emulator.admin.updateSettings({ journalNamesEntitySet: JOURNAL_NAMES });
  fx = await startApi();
  const config = provisioningConfig(emulator) as { environmentId: string };
  fx.layer.settings.applyProvisioning({ ...config, environmentId: 'store-env-1' });
  fx.layer.settings.update({
    defaultOrganizationId: 'usmf',
    transactions: { journalNamesEntitySet: JOURNAL_NAMES },
  });
});
afterEach(async () => {
  await fx.close();
});

describe('the store copy of SCM master data', () => {
  it('reads no journal names unless the store names their entity set, and then checks none', async () => {
    fx.layer.settings.update({ transactions: { journalNamesEntitySet: '' } });
    const status = (await (await postJson(`${fx.api}/masterdata/refresh`, '')).json()) as MasterDataStatus;
    const usmf = status.organizations.find((o) => o.organizationId === 'usmf')!;
    expect(usmf.counts.journalNames).toBe(0);
    expect(usmf.notes).toEqual([]);
    const answer = await postJson(
      `${fx.api}/adjustment/bulk`,
      seedLine({ id: 'jn-1', fnoJournalNameId: 'NoSuchJournal' }),
    );
    const [line] = (await answer.json()) as { warnings?: unknown[] }[];
    expect(line!.warnings).toBeUndefined();
  });

  it('refreshes per organization over paged OData and answers lookups by barcode and item number', async () => {
    // Small pages prove the client follows @odata.nextLink to the end.
    emulator.admin.updateSettings({ odataPageSize: 3 });
    const before = emulator.admin.counters().scmODataCalls;
    const refreshed = await postJson(`${fx.api}/masterdata/refresh`, '');
    expect(refreshed.status).toBe(200);
    const status = (await refreshed.json()) as MasterDataStatus;
    expect(status.lastError).toBeNull();
    const usmf = status.organizations.find((o) => o.organizationId === 'usmf');
    expect(usmf?.counts).toEqual({ products: 14, barcodes: 2, sites: 2, warehouses: 5, journalNames: 2 });
    // 14 products in pages of 3 = 5 calls, and more for the other entities.
    expect(emulator.admin.counters().scmODataCalls - before).toBeGreaterThanOrEqual(5 + 1 + 1 + 2 + 1);

    const byBarcode = await getJson(`${fx.api}/masterdata/lookup?organizationId=usmf&code=0123456789012`);
    expect(byBarcode.body).toMatchObject({
      found: {
        itemNumber: 'D0001',
        name: 'Speaker cable 1',
        dimensions: { colorId: 'red', sizeId: 'S', styleId: 'women' },
        matchedBy: 'barcode',
      },
      warnings: [],
    });
    const byItem = await getJson(`${fx.api}/masterdata/lookup?organizationId=USMF&code=t0002`);
    expect(byItem.body).toMatchObject({ found: { itemNumber: 'T0002', name: 'Television 2' } });
    const unknown = await getJson(`${fx.api}/masterdata/lookup?organizationId=usmf&code=X9999`);
    expect((unknown.body as { warnings: { message: string }[] }).warnings[0]!.message).toMatch(
      /^X9999 is neither a barcode nor a released product in usmf as of \d\d:\d\d today$/,
    );
  });

  it('warns about unknown codes in the API answer without refusing, and keeps what was known on the line', async () => {
    await postJson(`${fx.api}/masterdata/refresh`, '');
    const res = await postJson(`${fx.api}/adjustment/bulk`, [
      seedLine({ id: 'known' }),
      seedLine({
        id: 'unknown',
        productId: 'D9999',
        dimensions: { siteId: '1', locationId: '99' },
        fnoJournalNameId: 'Nope',
      }),
    ]);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      id: string;
      lineRecordId: string;
      warnings?: { field: string; message: string }[];
    }[];
    expect(body[0]!.warnings).toBeUndefined();
    expect(body[1]!.warnings?.map((w) => w.field)).toEqual([
      'productId',
      'dimensions.locationId',
      'fnoJournalNameId',
    ]);
    expect(body[1]!.warnings?.[0]?.message).toMatch(
      /^D9999 is not a released product in usmf as of \d\d:\d\d today$/,
    );

    const check = await getJson(`${fx.api}/adjustment/lines/${body[1]!.lineRecordId}/entry-check`);
    expect(check.body).toMatchObject({ itemName: null, warnings: body[1]!.warnings });
    const known = await getJson(`${fx.api}/adjustment/lines/${body[0]!.lineRecordId}/entry-check`);
    expect(known.body).toMatchObject({ itemName: 'Speaker cable 1', warnings: [] });
    // Both lines are in the ledger: a warning never refuses.
    expect(fx.layer.ledger.lines.list(linesQuerySchema.parse({})).count).toBe(2);
  });

  it('keeps the previous copy and says why when SCM cannot be reached', async () => {
    await postJson(`${fx.api}/masterdata/refresh`, '');
    const first = fx.layer.masterData.status().organizations[0]!.refreshedAt;
    emulator.admin.setFault({ endpoint: 'scmOData', rate: 1, kinds: ['500'] });
    const status = await fx.layer.masterData.refresh();
    expect(status.lastError).toMatch(/could not be loaded from SCM for usmf/);
    expect(status.organizations[0]!.refreshedAt).toBe(first);
    expect(fx.layer.ledger.masterData.product('usmf', 'D0001')?.name).toBe('Speaker cable 1');
  });

  it('does not check an organization it has never loaded, and refuses a blank lookup by field', async () => {
    const res = await postJson(`${fx.api}/adjustment/bulk`, seedLine({ productId: 'D9999' }));
    expect(((await res.json()) as { warnings?: unknown }[])[0]!.warnings).toBeUndefined();
    const bad = await getJson(`${fx.api}/masterdata/lookup?organizationId=usmf&code=%20`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errors: [{ field: 'code', message: 'must not be blank' }] });
  });
});

describe('describeAsOf', () => {
  it('says today, yesterday or the date, in local time', () => {
    const now = new Date(2026, 10, 30, 12, 0);
    expect(describeAsOf(new Date(2026, 10, 30, 9, 12).toISOString(), now)).toBe('09:12 today');
    expect(describeAsOf(new Date(2026, 10, 29, 17, 5).toISOString(), now)).toBe('17:05 yesterday');
    expect(describeAsOf(new Date(2026, 10, 2, 8, 0).toISOString(), now)).toBe('08:00 on 2 Nov 2026');
  });
});
