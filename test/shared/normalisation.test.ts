import { describe, expect, it } from 'vitest';
import { adjustmentLineSchema, fieldErrors } from '../../src/shared/adjustment';
import { normalizeText, textProblem } from '../../src/shared/text';
import { seedLine } from '../helpers/layer';

const parse = (overrides: Record<string, unknown>) => adjustmentLineSchema.safeParse(seedLine(overrides));
const errorsOf = (overrides: Record<string, unknown>) => {
  const parsed = parse(overrides);
  return parsed.success ? [] : fieldErrors(parsed.error);
};

describe('the one normalisation rule (NFC, trim, refuse control and invisible characters)', () => {
  it('makes NFC and NFD spellings, and padded values, one value', () => {
    const nfd = 'Cafe\u0301';
    expect(normalizeText(nfd)).toBe('Caf\u00e9');
    expect(normalizeText('  usmf\t')).toBe('usmf');
    const a = parse({ id: ` r-${nfd} `, organizationId: ' usmf', productId: 'D0001 ' });
    const b = parse({ id: 'r-Caf\u00e9', organizationId: 'usmf', productId: 'D0001' });
    expect(a.success && b.success).toBe(true);
    expect(a.data).toEqual(b.data);
  });

  it('normalises dimension values and optional text the same way', () => {
    const parsed = parse({
      dimensions: { siteId: ' 1 ', locationId: '13\u3000', colorId: 'ro\u0301sa' },
      externalReferenceId: '  R1  ',
      externalReferenceCategory: '   ',
      transDate: ' 2026-01-02 ',
    });
    expect(parsed.success).toBe(true);
    expect(parsed.data!.dimensions).toEqual({ colorId: 'r\u00f3sa', locationId: '13', siteId: '1' });
    expect(parsed.data!.externalReferenceId).toBe('R1');
    expect(parsed.data!.externalReferenceCategory).toBeNull();
    expect(parsed.data!.transDate).toBe('2026-01-02');
  });

  it.each([
    ['zero-width space', 'D00\u200b01'],
    ['zero-width joiner', 'D0001\u200d'],
    ['word joiner', '\u2060D0001'],
    ['soft hyphen', 'D00\u00ad01'],
    ['right-to-left override', '\u202eD0001'],
    ['line separator', 'D00\u202801'],
    ['lone surrogate', 'D00\ud80001'],
  ])('refuses a %s, naming the field and the rule', (_name, value) => {
    expect(textProblem(normalizeText(value))).toMatch(/invisible/);
    expect(errorsOf({ productId: value })).toEqual([
      { field: 'productId', message: expect.stringMatching(/invisible characters/) },
    ]);
    expect(errorsOf({ dimensions: { siteId: '1', locationId: value } })).toEqual([
      { field: 'dimensions.locationId', message: expect.stringMatching(/invisible characters/) },
    ]);
  });

  it('refuses control characters inside a value', () => {
    expect(errorsOf({ id: 'a\u0000b' })).toEqual([
      { field: 'id', message: 'must not contain control characters' },
    ]);
  });

  it('counts the limit on the normalised value', () => {
    expect(parse({ organizationId: `  ${'o'.repeat(64)}  ` }).success).toBe(true);
  });
});

describe('dimension names', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('refuses %s by name instead of dropping it', (key) => {
    const dimensions = JSON.parse(`{"siteId":"1","locationId":"13","${key}":"x"}`);
    expect(errorsOf({ dimensions })).toEqual([
      { field: `dimensions.${key}`, message: expect.stringMatching(/reserved|letter/) },
    ]);
  });

  it('refuses a line-level __proto__ key as unknown', () => {
    const line = JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(seedLine()).slice(1)}`);
    expect(errorsOf(line)).toEqual([{ field: '__proto__', message: 'is not a known field' }]);
  });
});
