// The entry form's pure model: what a scan, a typed quantity and a post do to the form.
import { describe, expect, it } from 'vitest';
import {
  clearKept,
  emptyForm,
  type FormValues,
  mapFieldErrors,
  nextForm,
  toLine,
  validate,
} from '../../src/renderer/src/pages/create/form-model';
import { itemHintText } from '../../src/renderer/src/pages/create/item-hint-text';
import {
  activeFilterCount,
  baseQuery,
  emptyFilters,
  localDayBound,
} from '../../src/renderer/src/pages/transactions/filters';

const filled = (over: Partial<FormValues> = {}): FormValues => ({
  ...emptyForm(),
  organizationId: 'usmf',
  productId: 'D0001',
  siteId: '1',
  locationId: '13',
  quantity: '5',
  ...over,
});

describe('entry form model', () => {
  it("builds the API body, leaving blank optionals out and reading numbers in the UI's locale", () => {
    const line = { quantity: '-2,5', colorId: 'red', externalReferenceId: ' R1 ', costPrice: '1.234,5' };
    expect(toLine(filled(line), 'id-1', 'de-DE')).toEqual({
      id: 'id-1',
      organizationId: 'usmf',
      productId: 'D0001',
      quantityDataSource: '@iv',
      physicalMeasure: 'adjustment',
      quantity: -2.5,
      dimensions: { siteId: '1', locationId: '13', colorId: 'red' },
      externalReferenceId: 'R1',
      costPrice: 1234.5,
    });
    // A German clerk's "1.000" is one thousand (it was posted as 1); an American's "1,000" too.
    expect(toLine(filled({ quantity: '1.000' }), 'id', 'de-DE').quantity).toBe(1000);
    expect(toLine(filled({ quantity: '1,000' }), 'id', 'en-US').quantity).toBe(1000);
    expect(toLine(filled({ quantity: '1.5' }), 'id', 'en-US').quantity).toBe(1.5);
    expect(validate(filled({ quantity: '1.000' }), 'id', 'de-DE')).toEqual({});
  });

  it('refuses a scan that lands in Quantity in words, not as a number, and a separator the locale does not use', () => {
    expect(validate(filled({ quantity: 'D0009' }), 'id', 'en-US').quantity).toContain(
      "must be a number, not 'D0009': was that a scan?",
    );
    expect(validate(filled({ quantity: '0x10' }), 'id', 'en-US').quantity).toContain('must be a number');
    // A UPC read as a number has a barcode's check digit: refused before it is sent.
    expect(validate(filled({ quantity: '036000291452' }), 'id', 'en-US').quantity).toContain(
      '36000291452 looks like a scanned barcode, not a quantity: was that a scan?',
    );
    // Never guessed: "2,5" in en-US and "1.00" in de-DE are no numbers there.
    expect(validate(filled({ quantity: '2,5' }), 'id', 'en-US').quantity).toBe(
      "must be a number like 5, -3 or 2.5, not '2,5'",
    );
    expect(validate(filled({ quantity: '1.00' }), 'id', 'de-DE').quantity).toMatch(/^must be a number/);
    expect(validate(filled({ costPrice: '3 EUR' }), 'id', 'en-US').costPrice).toMatch(/^must be a number/);
    expect(validate(filled(), 'id', 'en-US')).toEqual({});
  });

  it('after a post keeps what the next scan shares and clears what belonged to the item', () => {
    const next = nextForm(filled({ colorId: 'red', externalReferenceId: 'SHELF-4', costPrice: '3' }));
    expect(next).toMatchObject({
      productId: '',
      quantity: '',
      colorId: '',
      costPrice: '',
      siteId: '1',
      externalReferenceId: 'SHELF-4',
    });
    expect(clearKept(next)).toMatchObject({
      organizationId: 'usmf',
      siteId: '',
      externalReferenceId: '',
      quantityDataSource: '@iv',
    });
  });

  it("maps the API's field paths onto the form's fields", () => {
    const values = filled({ extraDimensions: [{ rowId: 7, name: 'channel', value: '' }] });
    expect(
      mapFieldErrors(
        [
          { field: 'line.quantity', message: 'q' },
          { field: 'dimensions.siteId', message: 's' },
          { field: 'dimensions.channel', message: 'c' },
          { field: 'id', message: 'i' },
        ],
        values,
      ),
    ).toEqual({ quantity: 'q', siteId: 's', 'extra:7': 'c', form: 'i' });
  });
});

describe('grid filters', () => {
  it('send only what is set, a picked day as the local day it bounds', () => {
    const f = {
      ...emptyFilters<'Created'>(),
      productId: ' D0001 ',
      dates: ['2026-11-30', '2026-11-30'] as [string, string],
    };
    const q = baseQuery(f);
    expect(q).toMatchObject({ productId: 'D0001', status: undefined, siteId: undefined });
    expect(q.from).toBe(new Date(2026, 10, 30, 0, 0, 0, 0).toISOString());
    expect(q.to).toBe(new Date(2026, 10, 30, 23, 59, 59, 999).toISOString());
    expect(localDayBound(null, true)).toBeUndefined();
    expect(activeFilterCount(f)).toBe(2);
    expect(activeFilterCount(emptyFilters())).toBe(0);
  });
});

describe('item hint beside Product', () => {
  it("shows the copy's name, or its caution, or nothing", () => {
    const found = {
      organizationId: 'usmf',
      itemNumber: 'M0001',
      name: 'Mid-range speaker',
      dimensions: {},
      matchedBy: 'itemNumber' as const,
    };
    expect(itemHintText({ found, warnings: [], asOf: null })).toEqual({
      text: 'Mid-range speaker',
      caution: false,
    });
    expect(itemHintText({ found: { ...found, name: null }, warnings: [], asOf: null })).toEqual({
      text: 'M0001',
      caution: false,
    });
    expect(
      itemHintText({ found: null, warnings: [{ field: 'code', message: 'X is unknown' }], asOf: null }),
    ).toEqual({ text: 'X is unknown', caution: true });
    // A barcode says what the line will be posted as: its item and variant, not the barcode.
    const barcode = {
      ...found,
      itemNumber: 'D0001',
      name: 'Speaker cable 1',
      dimensions: { colorId: 'red', sizeId: 'S', styleId: 'women' },
      matchedBy: 'barcode' as const,
    };
    expect(itemHintText({ found: barcode, warnings: [], asOf: null })).toEqual({
      text: 'Speaker cable 1: posts as D0001 (colour red, size S, style women)',
      caution: false,
    });
    expect(itemHintText(null)).toBeNull();
  });
});
