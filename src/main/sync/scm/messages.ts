/** What a clerk reads about SCM's outcome: which journal, what SCM said, where to look, what to do. */
import type { JournalBatchRow } from '../../ledger/schema';

const RECURRING_JOBS = 'System administration › Data management IT › Recurring data jobs';
const ADJUSTMENT_JOURNALS = 'Inventory management › Journal entries › Items › Inventory adjustment';

/** Why a line of a package SCM processed is not in SCM (read back settled that it is not). */
export function notCreatedMessage(batch: JournalBatchRow, lineId: string, errors: readonly string[]): string {
  const mine = errors.filter((e) => e.toLowerCase().includes(lineId.toLowerCase()));
  const state = batch.job_state ?? 'no state';
  const said =
    mine.length > 0
      ? mine.join(' ')
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
