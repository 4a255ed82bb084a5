// The local bulk API takes what Microsoft's cloud business-layer API takes, so a store system
// written for `/transaction/adjustment/bulk` posts here unchanged (src/shared/line-input.ts):
// names in any casing (ASP.NET binds them so; Microsoft's IV tests send lower-case names),
// string.Empty defaults as absent, transDate as a date or a date-time, numeric strings.
// Each shape is stored normalised: the same line in two shapes is one line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetailedLine } from '../../src/shared/views';
import { type ApiFixture, getJson, postJson, startApi } from '../helpers/layer';

let f: ApiFixture;
beforeAll(async () => {
  f = await startApi();
});
afterAll(async () => {
  await f.close();
});

/** The bulk answer: per-line results (200) or the refusal (4xx). */
type Answer = { lineRecordId: string }[] & { errors: { field: string; message: string }[] };

async function post(body: unknown): Promise<{ status: number; body: Answer }> {
  const res = await postJson(`${f.api}/adjustment/bulk`, body);
  return { status: res.status, body: (await res.json()) as Answer };
}

async function stored(lineRecordId: string): Promise<DetailedLine> {
  return (await getJson(`${f.api}/adjustment/lines/${lineRecordId}`)).body as DetailedLine;
}

/** A production integration's model: camelCase names and string.Empty defaults everywhere. */
const dotNetModel = (id: string) => ({
  id,
  organizationId: 'usmf',
  productId: 'D0001',
  quantityDataSource: '@iv',
  physicalMeasure: 'adjustment',
  quantity: 4,
  dimensions: {
    siteId: '1',
    locationId: '13',
    colorId: 'red',
    batchId: '',
    serialId: '',
    licensePlateId: '',
  },
  externalReferenceCategory: '',
  externalReferenceId: '',
  fnoJournalNameId: '',
  costPrice: null,
  transDate: '',
});

describe("Microsoft's contract, as Microsoft accepts it", () => {
  it('takes blank optional fields and blank extra dimensions as absent', async () => {
    const answer = await post(dotNetModel('ms-blank'));
    expect(answer.status).toBe(200);
    const line = await stored(answer.body[0]!.lineRecordId);
    expect(line.dimensions).toEqual({ colorId: 'red', locationId: '13', siteId: '1' });
    expect(line).toMatchObject({ externalReferenceCategory: null, fnoJournalNameId: null, costPrice: null });
  });

  it("takes lower-case and Pascal-case property names, as ASP.NET's binding does", async () => {
    const lower = await post({
      id: 'ms-lower',
      organizationid: 'usmf',
      productid: 'D0001',
      quantitydatasource: '@iv',
      physicalmeasure: 'adjustment',
      quantity: 2,
      dimensions: { siteid: '1', locationid: '13' },
    });
    expect(lower.status).toBe(200);
    const pascal = await post({
      Id: 'ms-pascal',
      OrganizationId: 'usmf',
      ProductId: 'D0001',
      QuantityDataSource: '@iv',
      PhysicalMeasure: 'adjustment',
      Quantity: 2,
      Dimensions: { SiteId: '1', LocationId: '13' },
      ExternalReferenceId: 'PO-7',
    });
    expect(pascal.status).toBe(200);
    expect(await stored(pascal.body[0]!.lineRecordId)).toMatchObject({
      id: 'ms-pascal',
      productId: 'D0001',
      quantity: 2,
      dimensions: { siteId: '1', locationId: '13' },
      externalReferenceId: 'PO-7',
    });
  });

  it('takes numeric strings for quantity and costPrice, and stores numbers', async () => {
    const answer = await post({ ...dotNetModel('ms-strings'), quantity: '-4.5', costPrice: '12.25' });
    expect(answer.status).toBe(200);
    expect(await stored(answer.body[0]!.lineRecordId)).toMatchObject({ quantity: -4.5, costPrice: 12.25 });
  });

  it("takes transDate as a date-time (the preview article's type) and stores its date part", async () => {
    for (const [id, transDate] of [
      ['ms-dt-1', '2026-12-07T10:15:00'],
      ['ms-dt-2', '2026-12-07T23:30:00.1234567-05:00'],
      ['ms-dt-3', '2026-12-07T00:00:00Z'],
    ]) {
      const answer = await post({ ...dotNetModel(id!), transDate });
      expect(answer.status, transDate).toBe(200);
      expect((await stored(answer.body[0]!.lineRecordId)).transDate).toBe('2026-12-07');
    }
  });

  it('stores every shape normalised: the same line sent in two shapes is one line, never two', async () => {
    const first = await post({ ...dotNetModel('ms-same'), quantity: '4' });
    const second = await post({
      ID: 'ms-same',
      organizationID: 'usmf',
      PRODUCTID: 'D0001',
      quantityDataSource: '@iv',
      physicalMeasure: 'adjustment',
      quantity: 4,
      dimensions: { SITEID: '1', locationId: '13', colorId: 'red' },
    });
    expect(second.status).toBe(200);
    expect(second.body[0]!.lineRecordId).toBe(first.body[0]!.lineRecordId);
  });

  it('refuses, never guesses, a name given twice in two casings, and a quantity that is not a number', async () => {
    const twice = await post({ ...dotNetModel('ms-twice'), ProductId: 'D0002' });
    expect(twice.status).toBe(400);
    expect(twice.body.errors).toEqual([
      {
        index: 0,
        id: 'ms-twice',
        field: 'ProductId',
        message: 'is given twice (as productId and ProductId): send it once',
      },
    ]);
    const words = await post({ ...dotNetModel('ms-words'), quantity: 'four' });
    expect(words.status).toBe(400);
    expect(words.body.errors[0]).toMatchObject({
      field: 'quantity',
      message: "must be a number, not 'four'",
    });
    const ambiguous = await post({ ...dotNetModel('ms-comma'), quantity: '1,5' });
    expect(ambiguous.status).toBe(400);
    expect((await getJson(`${f.api}/adjustment/lines?externalReferenceId=ms-twice`)).body).toMatchObject({
      count: 0,
    });
  });
});
