import { z } from 'zod';
import { normalizeText, textProblem } from './text';

/**
 * A store's reason codes: why stock moved (damaged, expired, theft, found, a receipt corrected,
 * a count). A line names one in `reasonCode`; the code's journal name and external reference
 * category fill those fields where the line leaves them empty (the upstream contract is
 * unchanged: the reason travels in fields SCM and IV already have), and a code can say that a
 * line with it always waits for a manager.
 */
export interface ReasonCode {
  code: string;
  words: string;
  fnoJournalNameId: string | null;
  externalReferenceCategory: string | null;
  /** A line with this reason always needs a manager's approval (from a clerk). */
  approvalAlways: boolean;
  /** An inactive code is refused on new lines; old lines keep it. */
  active: boolean;
}

/** The code a count's Apply gives its lines. */
export const COUNT_REASON = 'COUNT';

/** A code: letters, digits, - and _, as short as a key on a label. */
const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

const cleanText = (max: number, what: string) =>
  z
    .string({ error: `must be ${what}` })
    .overwrite(normalizeText)
    .max(max, { error: `must be at most ${max} characters` })
    .superRefine((s, ctx) => {
      const problem = textProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

const optional = (max: number, what: string) =>
  cleanText(max, what)
    .nullish()
    .transform((s) => (s == null || s === '' ? null : s));

export const reasonCodeSchema = cleanText(32, 'a short code')
  .refine((s) => s.length > 0, { error: 'must not be blank' })
  .refine((s) => CODE.test(s), { error: 'must use only letters, digits, - and _' })
  .transform((s) => s.toUpperCase());

export const reasonInputs = {
  list: z.strictObject({}),
  upsert: z.strictObject({
    code: reasonCodeSchema,
    words: cleanText(80, 'words').refine((s) => s.length > 0, { error: 'must not be blank' }),
    fnoJournalNameId: optional(64, 'a journal name'),
    externalReferenceCategory: optional(256, 'a category'),
    approvalAlways: z.boolean({ error: 'must be true or false' }).default(false),
    active: z.boolean({ error: 'must be true or false' }).default(true),
  }),
} as const;

/** "DAMAGED — Damaged": a code as a picker shows it. */
export function reasonLabel(r: Pick<ReasonCode, 'code' | 'words'>): string {
  return r.words.toUpperCase() === r.code ? r.words : `${r.words} (${r.code})`;
}
