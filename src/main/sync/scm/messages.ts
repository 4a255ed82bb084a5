/** What a clerk reads about SCM's outcome: which journal, what SCM said, where to look, what to do. */
import type { JournalBatchRow } from '../../ledger/schema';

const RECURRING_JOBS = 'System administration › Data management IT › Recurring data jobs';
const ADJUSTMENT_JOURNALS = 'Inventory management › Journal entries › Items › Inventory adjustment';

/** "The value 'SL-…-1' in field 'Journal number' is not found": the line's journal header failed. */
const HEADER_NOT_FOUND =
  /value\s+['"“]([^'"”]{1,200})['"”]\s+in\s+field\s+['"“]journal\s*number['"”]\s+is\s+not\s+found/i;

/**
 * A line refused because its journal's header was not imported says only that; the reason is on
 * the header's row (a journal name SCM does not know, say). Those messages name the header by the
 * reference the package gave it: they are kept with the line, so its cause can be read first.
 */
function headerReasons(mine: readonly string[], errors: readonly string[]): string[] {
  const references = mine.flatMap((m) => {
    const ref = HEADER_NOT_FOUND.exec(m)?.[1];
    return ref ? [ref.toLowerCase()] : [];
  });
  if (references.length === 0) return [];
  return errors.filter((e) => !mine.includes(e) && references.some((ref) => e.toLowerCase().includes(ref)));
}

/** Why a line of a package SCM processed is not in SCM (read back settled that it is not). */
export function notCreatedMessage(batch: JournalBatchRow, lineId: string, errors: readonly string[]): string {
  const mine = errors.filter((e) => e.toLowerCase().includes(lineId.toLowerCase()));
  const headers = headerReasons(mine, errors);
  const state = batch.job_state ?? 'no state';
  const said =
    mine.length > 0
      ? `${mine.join(' ')}${headers.length > 0 ? ` The journal's header was refused: ${headers.slice(0, 3).join(' ')}` : ''}`
      : errors.length > 0
        ? `No message of SCM's names this line. SCM's messages for the whole package (not tied to a line): ${errors.slice(0, 5).join(' ')}${errors.length > 5 ? ` (and ${errors.length - 5} more)` : ''}`
        : 'SCM gave no message for this line.';
  const whole =
    batch.job_state === 'PreProcessError'
      ? 'The whole package was refused before any line was imported (PreProcessError). '
      : '';
  return `${whole}${said} (Not created in SCM; import ${state}. Look up message ${batch.message_id} in ${RECURRING_JOBS}; fix the cause there or in the line's data, then Retry.)`;
}

/** A journal meant to post that SCM's posting job has not posted in time. */
export function overdueMessage(journalNumber: string, company: string, hours: number): string {
  return (
    `SCM's posting job has not posted journal ${journalNumber} (${company}) ${hours} hour${hours === 1 ? '' : 's'} after it was created. ` +
    `Open the journal in SCM (${ADJUSTMENT_JOURNALS}) and check the Inventory Visibility posting job's log. ` +
    'This line turns FnOPosted by itself once SCM posts the journal.'
  );
}

/** A journal SCM no longer lists (deleted there) while lines still wait for it to post. */
export function journalMissingMessage(journalNumber: string, company: string): string {
  return (
    `SCM no longer lists journal ${journalNumber} (${company}); it may have been deleted there. ` +
    `Check ${ADJUSTMENT_JOURNALS}; if it is gone, mark these lines DoNotSync with the reason, or enter them again.`
  );
}
