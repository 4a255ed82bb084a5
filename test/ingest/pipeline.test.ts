// The one entry pipeline (src/main/ingest/pipeline.ts): the same steps for every entry path,
// one outcome → error mapping, one lines.added event.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import { AppError } from '../../src/main/errors';
import type { EntryRequest, LinesAdded } from '../../src/main/ingest/pipeline';
import { hasGtinCheckDigit, scanLikeQuantity } from '../../src/shared/quantity-check';
import { openLayer, seedLine } from '../helpers/layer';
import { seedMasterData } from '../helpers/master-data';
import { AS_OS_USER, author } from '../helpers/people';

let layer: BusinessLayer;
let added: LinesAdded[];
beforeEach(async () => {
  layer = openLayer();
  await seedMasterData(layer, 'usmf');
  added = [];
  layer.entry.onLinesAdded((e) => added.push(e));
});
afterEach(async () => {
  await layer.close();
});

const clerk: EntryRequest = { source: 'form', author: author('clerk') };
const api: EntryRequest = { source: 'api', author: author('pos') };

async function refusal(body: unknown, request: EntryRequest): Promise<AppError> {
  try {
    await layer.entry.enter(body, request);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('the pipeline stored what it should have refused');
}

describe('GS1 check digits and scan-like quantities', () => {
  it('knows a UPC-A, an EAN-13 and an EAN-8 by their check digit, with or without the leading zero', () => {
    expect(hasGtinCheckDigit('036000291452')).toBe(true);
    expect(hasGtinCheckDigit('36000291452')).toBe(true);
    expect(hasGtinCheckDigit('4006381333931')).toBe(true);
    expect(hasGtinCheckDigit('96385074')).toBe(true);
    expect(hasGtinCheckDigit('036000291453')).toBe(false);
  });

  it('refuses long whole numbers the store knows as codes, or that carry a check digit; keeps real quantities', () => {
    const none = () => null;
    expect(scanLikeQuantity(36000291452, none)).toMatch(/looks like a scanned barcode.*was that a scan\?/);
    expect(scanLikeQuantity(-36000291452, none)).toMatch(/was that a scan\?/);
    expect(scanLikeQuantity(10000123, (c) => (c === '10000123' ? 'item 10000123 of usmf' : null))).toMatch(
      /^10000123 is item 10000123 of usmf: was that a scan\?/,
    );
    expect(scanLikeQuantity(1234567, none)).toBeNull(); // seven digits: a quantity
    expect(scanLikeQuantity(12345678, none)).toBeNull(); // eight digits, no check digit, not known
    expect(scanLikeQuantity(36000291452.5, none)).toBeNull(); // not whole: typed, not scanned
  });
});

describe('the entry pipeline', () => {
  it('reads a scanned barcode as its item and variant, stores that, and says so; a resend is the same line', async () => {
    const body = seedLine({
      id: 'b-1',
      productId: '0123456789012',
      dimensions: { siteId: '1', locationId: '13' },
    });
    const { lines } = await layer.entry.enter(body, clerk);
    expect(lines[0]).toMatchObject({
      created: true,
      productId: 'D0001',
      dimensions: { colorId: 'red', locationId: '13', siteId: '1', sizeId: 'S', styleId: 'women' },
      scannedCode: '0123456789012',
      warnings: [],
    });
    const stored = layer.ledger.lines.get(lines[0]!.lineRecordId)!;
    expect(stored).toMatchObject({ productId: 'D0001', dimensions: { colorId: 'red', sizeId: 'S' } });
    expect(layer.ledger.masterData.entryCheck(stored.lineRecordId)?.scannedCode).toBe('0123456789012');
    // The same request again is answered with the same line, not a conflict and not a second line.
    const again = await layer.entry.enter(body, clerk);
    expect(again).toMatchObject({
      created: 0,
      lines: [{ lineRecordId: stored.lineRecordId, created: false }],
    });
  });

  it('refuses a barcode whose variant contradicts the line, naming the dimension', async () => {
    const body = seedLine({
      id: 'b-2',
      productId: '0123456789012',
      dimensions: { siteId: '1', locationId: '13', colorId: 'blue' },
    });
    const error = await refusal(body, clerk);
    expect(error.code).toBe('invalid_input');
    expect(error.errors).toEqual([
      expect.objectContaining({
        field: 'dimensions.colorId',
        message: expect.stringMatching(/is blue, but barcode 0123456789012 is D0001 with colorId red/),
      }),
    ]);
    expect(layer.ledger.lines.countByStatus().Created ?? 0).toBe(0);
  });

  it('refuses a quantity that is a known barcode from every path, the API included', async () => {
    for (const request of [clerk, api, { source: 'import', author: author('x') } as EntryRequest]) {
      const error = await refusal(seedLine({ id: 'q-1', quantity: 36000291452 }), request);
      expect(error.code).toBe('invalid_input');
      expect(error.message).toMatch(
        /quantity 36000291452 is the barcode of D0002 in usmf: was that a scan\?/,
      );
    }
    expect(added).toEqual([]);
  });

  it("asks a person about a quantity at the store's threshold, stores it once confirmed, and cautions a store system", async () => {
    layer.settings.update({ entry: { largeQuantityThreshold: 50 } });
    const error = await refusal(seedLine({ id: 'l-1', quantity: -50 }), clerk);
    expect(error.code).toBe('needs_confirmation');
    expect(error.message).toMatch(/D0001: -50 is at or beyond the store's large-quantity threshold of 50/);
    expect(added).toEqual([]);
    const confirmed = await layer.entry.enter(seedLine({ id: 'l-1', quantity: -50 }), {
      ...clerk,
      confirmedLargeQuantity: true,
    });
    expect(confirmed.created).toBe(1);
    const fromPos = await layer.entry.enter(seedLine({ id: 'l-2', quantity: 80 }), api);
    expect(fromPos.lines[0]!.warnings).toEqual([
      { field: 'quantity', message: "80 is at or beyond the store's large-quantity threshold of 50" },
    ]);
  });

  it('emits one lines.added per request that created lines, with its count, and none for a resend', async () => {
    await layer.entry.enter([seedLine({ id: 'e-1' }), seedLine({ id: 'e-2' })], clerk);
    await layer.entry.enter([seedLine({ id: 'e-1' })], clerk);
    layer.entry.enterNow(seedLine({ id: 'e-3' }), { ...api, instantIv: true });
    expect(added).toEqual([
      { source: 'form', created: 2, instantIv: false },
      { source: 'api', created: 1, instantIv: true },
    ]);
  });

  it('maps every refusal once: invalid, conflict, too large, disabled', async () => {
    await layer.entry.enter(seedLine({ id: 'm-1' }), clerk);
    expect((await refusal(seedLine({ id: 'm-1', quantity: 6 }), clerk)).code).toBe('conflict');
    expect((await refusal(seedLine({ id: 'm-2', quantity: 'lots' }), clerk)).message).toBe(
      "Nothing was stored: quantity must be a number, not 'lots'",
    );
    const tooMany = Array.from({ length: 50_001 }, (_, i) => seedLine({ id: `t-${i}` }));
    expect((await refusal(tooMany, api)).code).toBe('too_large');
    layer.settings.update({ enableFeature: false });
    expect((await refusal(seedLine({ id: 'm-3' }), clerk)).code).toBe('feature_disabled');
  });

  it('reviews waiting lines without storing them: errors, cautions and the question, per line', () => {
    layer.settings.update({ entry: { largeQuantityThreshold: 100 } });
    const reviewed = layer.entry.review(
      [
        seedLine({ id: 'r-1', productId: '0123456789012', dimensions: { siteId: '1', locationId: '13' } }),
        seedLine({ id: 'r-2', productId: 'X9999', quantity: 100 }),
        seedLine({ id: 'r-3', quantity: 'D0007' }),
      ],
      { source: 'import' },
    );
    expect(reviewed[0]).toMatchObject({ line: { productId: 'D0001' }, errors: [], confirm: null });
    expect(reviewed[1]!.cautions[0]!.message).toMatch(/^X9999 is not a released product in usmf as of/);
    expect(reviewed[1]!.confirm).toMatch(/X9999: 100 is at or beyond/);
    expect(reviewed[2]).toMatchObject({
      line: null,
      errors: [{ field: 'quantity', message: expect.stringMatching(/not 'D0007': was that a scan\?/) }],
    });
    expect(layer.ledger.lines.countByStatus().Created ?? 0).toBe(0);
  });
});

describe('the place of the next lines', () => {
  it('cautions about an unknown site or warehouse before anything is recorded, and says nothing without a copy', async () => {
    const check = (place: { organizationId: string; siteId?: string; locationId?: string }) =>
      layer.handlers['masterData.checkPlace'](place, AS_OS_USER);
    expect(await check({ organizationId: 'usmf', siteId: '1', locationId: '13' })).toEqual([]);
    const unknown = await check({ organizationId: 'usmf', siteId: '11', locationId: '13' });
    expect(unknown.map((w) => w.message)).toEqual([
      expect.stringMatching(/^Site 11 is not a site of usmf as of \d\d:\d\d today$/),
      expect.stringMatching(/^Warehouse 13 belongs to site 1 in usmf, not site 11/),
    ]);
    expect(await check({ organizationId: 'usmf', locationId: '99' })).toEqual([
      {
        field: 'dimensions.locationId',
        message: expect.stringMatching(/^Warehouse 99 is not a warehouse of usmf/),
      },
    ]);
    expect(await check({ organizationId: 'other', siteId: '11' })).toEqual([]);
  });
});
