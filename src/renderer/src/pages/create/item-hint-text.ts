import type { LookupResult } from '../../../../shared/master-data';

/** The Product field's description: the name when the copy knows it, its caution when not. */
export function itemHintText(hint: LookupResult | null): { text: string; caution: boolean } | null {
  if (!hint) return null;
  if (hint.found) return { text: hint.found.name ?? hint.found.itemNumber, caution: false };
  const warning = hint.warnings[0];
  return warning ? { text: warning.message, caution: true } : null;
}
