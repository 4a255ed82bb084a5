// The PIN's one rule: what the server accepts, what a PIN field keeps of what was typed, and
// the words every PIN field describes it with.
import { describe, expect, it } from 'vitest';
import { PIN_RULE, pinSchema, pinTyped } from '../../src/shared/people';

describe('a PIN', () => {
  it('keeps the digits typed, up to a PIN’s length', () => {
    expect(pinTyped('12a3 4')).toBe('1234');
    expect(pinTyped('1234567890')).toBe('12345678');
    expect(pinTyped('')).toBe('');
  });

  it('is accepted by the server exactly when a field would keep it whole', () => {
    for (const pin of ['1234', '12345678']) expect(pinSchema.safeParse(pin).success).toBe(true);
    for (const pin of ['123', '123456789', '12a4']) {
      const parsed = pinSchema.safeParse(pin);
      expect(parsed.success).toBe(false);
      if (pin !== '12a4') expect(parsed.error?.issues[0]?.message).toBe(`must be ${PIN_RULE}`);
    }
    expect(PIN_RULE).toBe('4 to 8 digits');
  });
});
