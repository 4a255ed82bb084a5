import { parseTypedNumber, type TypedNumber } from '../../../shared/numbers';
import { scanLikeQuantity } from '../../../shared/quantity-check';

/** The UI's language: numbers are read and shown back in it (de-DE: "1.000" is one thousand). */
export function uiLocale(): string {
  // Through globalThis: the form's model is also run by unit tests in Node, which has no DOM types.
  const nav = (globalThis as { navigator?: { language?: string } }).navigator;
  return nav?.language || 'en-US';
}

/** What the clerk typed in a number field, read in the UI's locale (shared/numbers.ts). */
export function readNumber(text: string, locale: string = uiLocale()): TypedNumber {
  return parseTypedNumber(text, locale);
}

/**
 * A typed quantity as the pipeline will judge it, for feedback before anything is sent:
 * letters refused in words, and a number with a barcode's check digit refused as a likely scan
 * (the pipeline also knows the store's barcodes; this window only knows the GS1 rule).
 */
export function readQuantity(text: string, locale: string = uiLocale()): TypedNumber {
  const read = parseTypedNumber(text, locale);
  if (!read.ok) return read;
  const scan = scanLikeQuantity(read.value, () => null);
  return scan ? { ok: false, message: scan } : read;
}
