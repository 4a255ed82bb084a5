import { describe, expect, it } from 'vitest';
import { adjustmentLineSchema, fieldErrors } from '../../src/shared/adjustment';
import { canonicalDimensionName, scmDimensions } from '../../src/shared/dimensions';
import { mappingSchema } from '../../src/shared/mappings';
import { DEFAULT_SETTINGS, provisioningSchema, settingsPatchSchema } from '../../src/shared/settings';
import { canMoveAggregated, canMoveLine } from '../../src/shared/status';
import { seedLine } from '../helpers/layer';

function errorsOf(input: unknown) {
  const result = adjustmentLineSchema.safeParse(input);
  return result.success ? [] : fieldErrors(result.error);
}

describe('adjustment line schema', () => {
  it("accepts the example line of Microsoft's article and normalises blanks to null", () => {
    const line = adjustmentLineSchema.parse(
      seedLine({ fnoJournalNameId: '', costPrice: null, transDate: '' }),
    );
    expect(line).toMatchObject({ fnoJournalNameId: null, costPrice: null, transDate: null, quantity: 5 });
  });

  it('canonicalises base dimension names and keeps external ones as sent, sorted', () => {
    const line = adjustmentLineSchema.parse(
      seedLine({ dimensions: { SITEID: '1', locationid: '13', ColorId: 'red', myExtra_1: 'x' } }),
    );
    expect(Object.keys(line.dimensions)).toEqual(['colorId', 'locationId', 'myExtra_1', 'siteId']);
  });

  it('names every bad field', () => {
    const errors = errorsOf({
      ...seedLine(),
      quantity: '5 pcs',
      quantityDataSource: 'FnO',
      dimensions: { siteId: '1', SiteId: '2', 'bad key': 'x' },
      transDate: '2026-02-30',
      costPrice: -1,
      surprise: true,
    });
    const fields = errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'quantity',
        'quantityDataSource',
        'dimensions.SiteId',
        'dimensions.bad key',
        'dimensions.locationId',
        'transDate',
        'costPrice',
        'surprise',
      ]),
    );
    expect(errors.find((e) => e.field === 'surprise')?.message).toBe('is not a known field');
  });

  it.each([
    ['zero quantity', { quantity: 0 }, 'quantity'],
    ['huge quantity', { quantity: 1e13 }, 'quantity'],
    ['id too long', { id: 'x'.repeat(129) }, 'id'],
    ['control character', { productId: 'D\u0007001' }, 'productId'],
    ['C1 control character', { externalReferenceId: 'A\u0085B' }, 'externalReferenceId'],
    [
      '41 dimensions',
      { dimensions: Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`d${i}`, 'v'])) },
      'dimensions',
    ],
    ['number as dimension value', { dimensions: { siteId: 1, locationId: '13' } }, 'dimensions.siteId'],
  ])('refuses %s', (_name, override, field) => {
    expect(errorsOf(seedLine(override)).map((e) => e.field)).toContain(field);
  });

  it('keeps 64-character codes and 256-character references', () => {
    expect(errorsOf(seedLine({ productId: 'P'.repeat(64), externalReferenceId: 'R'.repeat(256) }))).toEqual(
      [],
    );
    expect(errorsOf(seedLine({ productId: 'P'.repeat(65) })).map((e) => e.field)).toEqual(['productId']);
  });
});

describe('dimensions', () => {
  it('maps only SCM-known dimensions', () => {
    expect(canonicalDimensionName('INVENTDIMENSION12')).toBe('inventDimension12');
    expect(
      scmDimensions({ siteId: '1', locationId: '13', colorId: 'red', wmsPalletId: 'P1', extra: 'x' }),
    ).toEqual({
      siteId: '1',
      locationId: '13',
      colorId: 'red',
    });
  });
});

describe('statuses', () => {
  it("allow only the article's transitions and the troubleshooting edges", () => {
    expect(canMoveLine('Created', 'IVPosted')).toBe(true);
    expect(canMoveLine('Created', 'Aggregated')).toBe(false);
    expect(canMoveLine('Aggregated', 'Created')).toBe(false);
    expect(canMoveAggregated('FnOSent', 'FnOCreated')).toBe(true);
    expect(canMoveAggregated('FnOPosted', 'FnOCreated')).toBe(false);
    expect(canMoveAggregated('DoNotSync', 'Created')).toBe(false);
    expect(canMoveAggregated('FnOCreateError', 'DoNotSync')).toBe(true);
  });
});

describe('settings and mappings', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({
      enableFeature: true,
      isFeatureInitialized: false,
      transactions: {
        fnoSyncMaxLineCount: 10000,
        periodicSyncToIV: true,
        ivSyncFrequencyMinutes: 1,
        periodicSyncToFno: true,
        fnoSyncFrequencyMinutes: 2,
      },
    });
  });

  it('refuses plain http except on loopback, and unknown keys by name', () => {
    const bad = settingsPatchSchema.safeParse({
      connection: { ivEndpoint: 'http://example.com' },
      colour: 1,
    });
    expect(bad.success).toBe(false);
    const fields = fieldErrors(bad.error!).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['connection.ivEndpoint', 'colour']));
    expect(
      settingsPatchSchema.safeParse({ connection: { ivEndpoint: 'http://127.0.0.1:9000/iv/' } }).data,
    ).toEqual({
      connection: { ivEndpoint: 'http://127.0.0.1:9000/iv' },
    });
  });

  it('requires an environment ID in a provisioning file', () => {
    const result = provisioningSchema.safeParse({ enableFeature: true });
    expect(fieldErrors(result.error!).map((e) => e.field)).toEqual(['environmentId']);
  });

  it('validates mapping rows', () => {
    expect(
      mappingSchema.safeParse({ physicalMeasure: 'sold', targetTransactionStatus: 'Maybe' }).success,
    ).toBe(false);
    expect(
      mappingSchema.parse({ physicalMeasure: 'sold', targetTransactionStatus: 'None' }).targetTransactionType,
    ).toBe('InventoryAdjustmentJournal');
  });
});
