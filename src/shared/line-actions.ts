/**
 * Whether a detailed line can be voided or corrected, and why not in a clerk's words.
 * The drawer shows these before the clerk tries; the business layer says the same when it
 * refuses, after it has waited for any IV call carrying the line (void-line.ts), and the
 * ledger's UPDATE holds the rule whatever either believed.
 */
import type { DetailedLine } from './views';

export type Verdict = { ok: true } | { ok: false; why: string };

type LineFacts = Pick<DetailedLine, 'status' | 'corrects' | 'correctedBy' | 'ivMaybeApplied' | 'ivPostedAt'>;

const OK: Verdict = { ok: true };
const no = (why: string): Verdict => ({ ok: false, why });

export const WHY = {
  alreadyVoided: 'This line is already voided.',
  inIv: 'Inventory Visibility has this line, so it cannot be voided: correct it instead. The reversing line takes its quantity back out.',
  maybeInIv:
    'Store Ledger sent this line to Inventory Visibility and never learned whether IV took it (no answer, or the connection dropped after sending), so it cannot be voided: IV may count it. Correct it instead: the reversing line takes the quantity back out, and IV counts each line once, so the total comes out right either way.',
  reverses:
    'This line reverses another one, so it is not voided on its own: that would undo the correction. To put the quantity back, post a new line.',
  corrected:
    'This line is already corrected by its reversing line: voiding it as well would take its quantity out twice.',
  voidedNothingToCorrect: 'This line is voided: it was never sent, so there is nothing to correct.',
  isCorrection: 'This line is itself a correction: to post the original quantity again, post a new line.',
  alreadyCorrected: 'This line is already corrected: open its reversing line.',
} as const;

/**
 * Void: a Created line that IV cannot have counted, whatever the number of attempts that never
 * reached IV, and that is not part of a correction. A line on the wire right now is offered:
 * the void waits for that call's outcome and decides then.
 */
export function voidVerdict(line: LineFacts): Verdict {
  if (line.status === 'Voided') return no(WHY.alreadyVoided);
  if (line.status !== 'Created' || line.ivPostedAt) return no(WHY.inIv);
  if (line.corrects) return no(WHY.reverses);
  if (line.correctedBy) return no(WHY.corrected);
  if (line.ivMaybeApplied) return no(WHY.maybeInIv);
  return OK;
}

/**
 * Correct: any line that is not voided and not itself a reversing line, whether IV has it, may
 * have it or not yet (the reversing line is its own event; IV counts each once). A line is
 * corrected once: a second request finds its reversing line.
 */
export function correctVerdict(line: LineFacts): Verdict {
  if (line.status === 'Voided') return no(WHY.voidedNothingToCorrect);
  if (line.corrects) return no(WHY.isCorrection);
  if (line.correctedBy) return no(WHY.alreadyCorrected);
  return OK;
}
