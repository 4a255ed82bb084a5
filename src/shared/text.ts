/** C0 and C1 control characters and DEL: they break CSV exports, logs and SCM. */
export const CONTROL_CHARS = /\p{Cc}/u;

export function hasControlChars(text: string): boolean {
  return CONTROL_CHARS.test(text);
}
