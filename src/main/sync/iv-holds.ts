/**
 * Events IV answered without confirming (iv-bulk-answer.ts): resent, as IV counts an event id
 * once, but not forever. An answer shape nobody foresaw would otherwise hold every line in an
 * endless resend while nothing reaches SCM; past MAX_HOLDS attempts the line turns into an
 * error in words with IV's raw answer, held back like a refused line (capped backoff), so a
 * clerk and IT see it and the other lines go on.
 */
import { isoAt } from '../clock';
import type { DueLine } from '../ledger/iv-queue';
import type { OnHandBulkResult } from '../upstream';
import { holdbackDelay } from './backoff';
import type { JobContext } from './context';
import { clip } from './errors';

export const MAX_HOLDS = 8;

export function holdUnconfirmed(
  ctx: JobContext,
  byId: ReadonlyMap<string, DueLine>,
  result: OnHandBulkResult,
  heldMessage: string,
): number {
  let capped = 0;
  for (const id of result.held) {
    const attempts = (byId.get(id)?.attempts ?? 0) + 1;
    // IV may have taken it all the same: it is no longer voided, only corrected.
    if (attempts < MAX_HOLDS) {
      ctx.store.iv.failed(
        id,
        clip(heldMessage)!,
        'retry',
        isoAt(ctx.clock.now() + ctx.timing.minBackoffMs),
        true,
      );
      continue;
    }
    capped++;
    const message =
      `Inventory Visibility has answered ${attempts} times without confirming this line, so Store Ledger stops resending it every run. ` +
      'Check in Inventory Visibility whether the change is there (if it is, the line is in IV: correct it rather than post it again); ' +
      `IT can read IV's answer here: ${result.raw.trim() || '(empty)'}`;
    ctx.store.iv.failed(
      id,
      clip(message)!,
      'data',
      isoAt(ctx.clock.now() + holdbackDelay(attempts, ctx.timing)),
      true,
    );
  }
  return capped;
}
