/**
 * Following SCM's posting job [GA]: it posts the journals on its own recurrence, and no API
 * posts or explains one. A header reading IsPosted = Yes makes its lines FnOPosted; a journal
 * meant to post and still unposted *Posting overdue after* hours later makes them FnOPostError,
 * in words. Such journals are read on every run, so a journal SCM posts later ends FnOPosted.
 */
import type { AttemptTarget } from '../../ledger/sync-history';
import type { JournalHeader } from '../../upstream';
import { logAttempt } from '../attempts';
import { add, iso, type JobContext } from '../context';
import { clip } from '../errors';
import { failedCall } from './failed-call';
import { journalMissingMessage, overdueMessage } from './messages';

/** Journal headers asked for per OData call (the client splits long filters further). */
const HEADER_CHUNK = 100;

const pair = (company: string, journal: string) => `${company.toLowerCase()}\u0000${journal.toLowerCase()}`;

export async function followPosting(ctx: JobContext): Promise<void> {
  const journals = ctx.store.batches.postingJournals();
  for (let i = 0; i < journals.length; i += HEADER_CHUNK) {
    if (ctx.stopping()) return;
    const chunk = journals.slice(i, i + HEADER_CHUNK);
    const started = Date.now();
    const request = clip(
      `GET journal headers ${chunk.map((j) => `${j.organization_id}/${j.journal_number}`).join(', ')}`,
    )!;
    let headers: JournalHeader[];
    try {
      headers = await ctx.scm.readJournalHeaders(
        chunk.map((j) => ({ dataAreaId: j.organization_id, journalNumber: j.journal_number })),
      );
      ctx.reached('scm');
    } catch (error) {
      failedCall(ctx, 'journalHeaders', request, started, error, []);
      throw error;
    }
    const byPair = new Map(headers.map((h) => [pair(h.dataAreaId, h.journalNumber), h]));
    let changed = 0;
    ctx.store.transaction(() => {
      const targets: AttemptTarget[] = [];
      const said: string[] = [];
      for (const j of chunk) {
        const header = byPair.get(pair(j.organization_id, j.journal_number));
        const moved = header?.isPosted
          ? posted(ctx, j.organization_id, header)
          : notPosted(ctx, j.organization_id, j.journal_number, header === undefined);
        changed += moved.length;
        targets.push(...moved);
        said.push(
          `${j.journal_number}: ${header ? (header.isPosted ? `posted ${header.postedAt ?? ''}`.trim() : 'not posted') : 'not found'}`,
        );
      }
      logAttempt(ctx, 'fno', {
        action: 'journalHeaders',
        started,
        outcome: 'ok',
        request,
        response: clip(said.join('; ')),
        targets,
      });
    });
    if (changed > 0) ctx.changed();
  }
}

function posted(ctx: JobContext, company: string, header: JournalHeader): AttemptTarget[] {
  const ids = ctx.store.batches
    .awaitingPosting(company, header.journalNumber)
    .map((l) => l.aggregated_line_id);
  const r = ctx.store.status.moveAggregated(
    ids.map((id) => ({ id })),
    'FnOPosted',
    iso(),
    { last_error: null, last_error_kind: null, fno_posted_at: header.postedAt },
  );
  add(ctx.counts, 'posted', r.moved.length);
  return r.moved.map((id) => ({ id, outcome: 'ok', message: `journal ${header.journalNumber} posted` }));
}

/** FnOCreated lines of an unposted journal past the overdue time become FnOPostError, in words. */
function notPosted(
  ctx: JobContext,
  company: string,
  journalNumber: string,
  missing: boolean,
): AttemptTarget[] {
  const hours = ctx.settings.transactions.postingOverdueHours;
  const overdueBefore = Date.now() - hours * ctx.timing.hourMs;
  const due = ctx.store.batches
    .awaitingPosting(company, journalNumber)
    .filter((l) => l.status === 'FnOCreated' && Date.parse(l.posting_since ?? l.updated_at) <= overdueBefore)
    .map((l) => l.aggregated_line_id);
  if (due.length === 0) return [];
  const message = missing
    ? journalMissingMessage(journalNumber, company)
    : overdueMessage(journalNumber, company, hours);
  const r = ctx.store.status.moveAggregated(
    due.map((id) => ({ id })),
    'FnOPostError',
    iso(),
    { last_error: clip(message), last_error_kind: 'data' },
  );
  add(ctx.counts, 'postErrors', r.moved.length);
  return r.moved.map((id) => ({ id, outcome: 'data', message }));
}
