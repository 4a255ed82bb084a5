/** C0 and C1 control characters and DEL: they break CSV exports, logs and SCM. */
export const CONTROL_CHARS = /\p{Cc}/u;

export function hasControlChars(text: string): boolean {
  return CONTROL_CHARS.test(text);
}

/**
 * Invisible characters that make two values look equal and compare different: zero-width
 * space/joiners, word joiner, byte-order mark, soft hyphen, direction marks and overrides
 * (all Unicode "format", Cf), line and paragraph separators, and lone surrogate halves.
 */
const INVISIBLE_CHARS = /[\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/**
 * The one rule for ids and text values, applied at every edge (API body, API query and
 * path, the entry form through the shared schema): Unicode NFC, then leading and trailing
 * white space trimmed. `textProblem` then refuses what no normalisation can make safe.
 * So "usmf", " usmf", "usmf " and the NFD spelling of "café" are one value, stored and
 * sent to IV and SCM once, and idempotency compares what is stored.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFC').trim();
}

/** Why a (normalised) value cannot be taken, in words, or null. */
export function textProblem(text: string): string | null {
  if (CONTROL_CHARS.test(text)) return 'must not contain control characters';
  if (INVISIBLE_CHARS.test(text))
    return 'must not contain invisible characters (zero-width, direction marks, separators)';
  return null;
}
