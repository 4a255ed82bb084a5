/**
 * A refusal's cause, first, and what to do about that kind of refusal, with the one action that
 * fixes it: the words over readScmCause (scm-cause.ts), which reads SCM's message.
 */
import { readScmCause, type ScmCause } from './scm-cause';

export { type RefusalKind, readScmCause, type ScmCause } from './scm-cause';

/** The one action that fixes a kind of refusal (the UI renders it as a button or a link). */
export type RefusalAction = 'retry' | 'doNotSync' | 'count' | 'journalLines' | 'scmJournals';

export interface Refusal extends ScmCause {
  /** What failed and for which value, in a few words: "SCM does not know item ZZ9999". */
  cause: string;
  /** What to do, chosen by the kind of refusal. */
  todo: string;
  /** The same in a line, for a grid's preview. */
  hint: string;
  action: RefusalAction;
  /** The message whole, as kept. */
  message: string;
}

/** The line's place and company, when the caller knows them: they make the words exact. */
export interface RefusalContext {
  company?: string | undefined;
  /** The aggregated line's status: a message not recognised on an FnOPostError is about posting. */
  status?: string | undefined;
}

const RELEASED = 'Product information management › Products › Released products';
const WAREHOUSES = 'Inventory management › Setup › Inventory breakdown';
const JOURNAL_NAMES = 'Inventory management › Setup › Journal names, inventory';
const ADJUSTMENT_JOURNALS = 'Inventory management › Journal entries › Items › Inventory adjustment';

const trimStatement = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…` : s);

/** The cause, what to do and the one action, for a message SCM gave (or the sync wrote). */
export function explainScmRefusal(message: string | null | undefined, ctx: RefusalContext = {}): Refusal {
  const c = readScmCause(message);
  const v = c.value ?? '';
  const at = ctx.company ? ` in ${ctx.company}` : '';
  const words = (cause: string, todo: string, hint: string, action: RefusalAction): Refusal => ({
    ...c,
    cause,
    todo,
    hint,
    action,
    message: message ?? '',
  });
  switch (c.kind) {
    case 'unknownItem':
      return words(
        `SCM does not know item ${v}${at}`,
        `Check the item number. If it is right, release the product${at} in SCM (${RELEASED}), then Retry. If it was mistyped, Correct its detailed lines with the right item and mark this line DoNotSync.`,
        'Check the item number or release it in SCM, then Retry',
        'retry',
      );
    case 'unknownSite':
      return words(
        `SCM does not know site ${v}${at}`,
        `Check the site on the line. If it is right, create the site${at} in SCM (${WAREHOUSES} › Sites), then Retry. If it was mistyped, Correct its detailed lines and mark this line DoNotSync.`,
        'Check the site or create it in SCM, then Retry',
        'retry',
      );
    case 'unknownWarehouse':
      return words(
        `SCM does not know warehouse ${v}${at}`,
        `Check the warehouse on the line. If it is right, create the warehouse${at} in SCM (${WAREHOUSES} › Warehouses), then Retry. If it was mistyped, Correct its detailed lines and mark this line DoNotSync.`,
        'Check the warehouse or create it in SCM, then Retry',
        'retry',
      );
    case 'unknownJournalName':
      return words(
        `SCM does not know journal name ${v}${at}`,
        `The journal name comes from the detailed lines. Create it${at} in SCM (${JOURNAL_NAMES}), then Retry; or Correct the lines without a journal name (SCM's default) and mark this line DoNotSync. Settings › SCM › Journal names entity set checks names at entry from then on.`,
        'Create the journal name in SCM, then Retry',
        'retry',
      );
    case 'unknownCompany':
      return words(
        `SCM has no company ${v}`,
        'The organization on the detailed lines is not a company in SCM. Correct the lines with the right organization, then mark this line DoNotSync.',
        'Correct the organization, then mark DoNotSync',
        'doNotSync',
      );
    case 'unknownValue':
      return words(
        `SCM does not know ${c.field ?? 'a value'} ${v}`.trim(),
        `SCM refused the ${c.field ?? 'value'} ${v}. Fix it in SCM or Correct the detailed lines, then Retry (or mark this line DoNotSync).`,
        `Fix ${c.field ?? 'the value'} in SCM, then Retry`,
        'retry',
      );
    case 'journalHeader':
      return words(
        "SCM refused the header of the line's journal",
        `SCM refused the header of the journal this line was sent in, so it refused the line too. The header's reason is shown with it when SCM gave one; fix that (in SCM or on the lines), then Retry.`,
        "Fix the journal header's cause, then Retry",
        'retry',
      );
    case 'missingValue':
      return words(
        `SCM needs a value in ${c.field}`,
        `The line reached SCM without ${c.field}. Correct its detailed lines with one, then mark this line DoNotSync.`,
        `Correct the lines with a ${c.field}, then mark DoNotSync`,
        'doNotSync',
      );
    case 'invalidValue':
      return words(
        `SCM refused ${c.field} ${v}`,
        `SCM does not take ${v} as ${c.field}. Correct the detailed lines, then mark this line DoNotSync.`,
        `Correct ${c.field}, then mark DoNotSync`,
        'doNotSync',
      );
    case 'negativeOnHand':
      return words(
        `Posting would take ${v ? `item ${v}` : 'the item'} below zero on-hand`,
        `SCM does not post a journal that would make on-hand negative. Count ${v || 'the item'} (Count), or post its receipt in SCM first; SCM's posting job then posts the journal and the line turns FnOPosted by itself.`,
        'Count the item or post its receipt first',
        'count',
      );
    case 'heldByOtherLine':
      return words(
        `Waits with its journal for another line (${v})`,
        `SCM posts a journal whole: another line of it (${v}) stops it. Fix that line (its cause is shown on it); this one posts with the journal by itself.`,
        `Fix the journal's other line (${v}) first`,
        'journalLines',
      );
    case 'postingStalled':
      return words(
        `SCM's posting job passed over journal ${v}`,
        `The posting job ran and left the journal unposted, and no line of it could be named from here. Open the journal in SCM (${ADJUSTMENT_JOURNALS}) for SCM's own words and fix what stops it (stock, cost, period). Once SCM posts it the line turns FnOPosted by itself.`,
        'Open the journal in SCM and see why it did not post',
        'scmJournals',
      );
    case 'postingOverdue':
      return words(
        `SCM's posting job has not posted journal ${v} in time`,
        `Check in SCM that the Inventory Visibility posting job runs (its batch schedule), and open the journal (${ADJUSTMENT_JOURNALS}) for what stops it. Once SCM posts it the line turns FnOPosted by itself; Retry starts a fresh wait.`,
        "Check SCM's posting job and the journal",
        'scmJournals',
      );
    case 'journalGone':
      return words(
        `Journal ${v} is gone from SCM`,
        `SCM no longer lists journal ${v}: it was probably deleted there. If it is gone, mark this line DoNotSync with the reason, or enter its lines again.`,
        'Mark DoNotSync, or enter the lines again',
        'doNotSync',
      );
    case 'alreadyInScm':
      return words(
        'SCM already has this line',
        'SCM already holds a line with this transaction ID. Retry reads SCM back first and settles the line without sending it twice.',
        'Retry: it reads SCM back first',
        'retry',
      );
    case 'postedJournal':
      return words(
        `The line is on journal ${v || '(posted)'}, already posted`.trim(),
        'SCM posted the journal that holds this line. Retry reads SCM back and settles it; if it is still refused, mark it DoNotSync with the reason.',
        'Retry: it reads SCM back first',
        'retry',
      );
    case 'wholePackage':
      return words(
        'SCM refused the whole package before importing any line',
        'Look up the message in SCM (System administration › Data management IT › Recurring data jobs) for the reason, fix it there, then Retry.',
        'See the recurring data job in SCM, then Retry',
        'retry',
      );
    case 'noReason':
      return words(
        'SCM did not say why',
        'SCM did not name a reason for this line. Look up the message in SCM (System administration › Data management IT › Recurring data jobs), fix the cause there, then Retry.',
        'See the recurring data job in SCM, then Retry',
        'retry',
      );
    default:
      if (ctx.status === 'FnOPostError')
        return words(
          trimStatement(c.statement),
          `Open the journal in SCM (${ADJUSTMENT_JOURNALS}) and the Inventory Visibility posting job's log, and fix what stops it. Once SCM posts it the line turns FnOPosted by itself; Retry starts a fresh wait.`,
          'Open the journal in SCM and see why it did not post',
          'scmJournals',
        );
      return words(
        trimStatement(c.statement),
        'Fix the cause SCM names, in SCM or on the detailed lines (Correct), then Retry. If the line must never go to SCM, mark it DoNotSync with the reason.',
        'Fix what SCM names, then Retry',
        'retry',
      );
  }
}
