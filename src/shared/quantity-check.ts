/**
 * Quantities that are really scans, and quantities large enough to ask about: the pipeline's
 * rules (main/ingest/review.ts), which the entry screens also run before sending, so the clerk
 * hears at once; the server still decides.
 *
 * Quantities that are really scans. A barcode scanned into a quantity field arrives as a long
 * whole number (a 12-digit UPC-A loses its leading zero on the way: 036000291452 becomes
 * 36000291452), and a ledger that stored it would send tens of billions of units to IV and SCM.
 * A quantity of eight or more digits is refused when the store's copy knows it as a barcode or
 * item number, or when its last digit is a valid GS1 check digit (EAN-8, UPC-A, EAN-13, GTIN-14):
 * no store counts ten million of anything, and a person who means it can split the line.
 */

/** The fewest digits a scanned code has (EAN-8). */
const SCAN_MIN_DIGITS = 8;
const GTIN_MAX_DIGITS = 14;

/**
 * The GS1 check digit rule (GS1 General Specifications, §7.9): from the right, digits other than
 * the check digit are weighted 3, 1, 3, …; leading zeros change nothing, so the rule holds for a
 * code whose leading zeros a number dropped.
 */
export function hasGtinCheckDigit(digits: string): boolean {
  if (!/^\d+$/.test(digits) || digits.length < 2) return false;
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight)
    sum += Number(digits[i]) * weight;
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}

/**
 * Why a quantity looks like a scanned code, in words, or null. `knownAs` answers what the
 * store's copy knows a code as ("the barcode of D0001", "item 10000123"), or null.
 */
export function scanLikeQuantity(quantity: number, knownAs: (code: string) => string | null): string | null {
  if (!Number.isInteger(quantity)) return null;
  const digits = String(Math.abs(quantity));
  if (digits.length < SCAN_MIN_DIGITS) return null;
  const padded = [digits, `0${digits}`];
  for (const code of padded) {
    const known = knownAs(code);
    if (known)
      return `${digits} is ${known}: was that a scan? Scan items into the item field and type the quantity`;
  }
  if (digits.length <= GTIN_MAX_DIGITS && hasGtinCheckDigit(digits))
    return `${digits} looks like a scanned barcode, not a quantity: was that a scan? Scan items into the item field and type the quantity`;
  return null;
}

/**
 * A quantity at or beyond the store's threshold (`settings.entry.largeQuantityThreshold`), in
 * or out: a person is asked before it is stored, a store system's line is cautioned.
 */
export function isLargeQuantity(quantity: number, threshold: number): boolean {
  return Math.abs(quantity) >= threshold;
}
