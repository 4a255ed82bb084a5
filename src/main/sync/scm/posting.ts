/**
 * Following SCM's posting job [GA]: it posts the journals on its own recurrence, and no API
 * posts or explains one. A header reading IsPosted = Yes makes its lines FnOPosted; a journal
 * meant to post and still unposted *Posting overdue after* hours later makes them FnOPostError,
 * in words; so does one the job has visibly passed over, at once (blocked-posting.ts). Such
 * journals are read on every run, so a journal SCM posts later ends FnOPosted.
 */
import { nowIso, realNow } from '../../clock';
import type { AttemptTarget } from '../../ledger/sync-history';
import type { JournalHeader } from '../../upstream';
import { logAttempt } from '../attempts';
import { add, type JobContext } from '../context';
import { clip } from '../errors';
import { laterOf, numberedAfter, passedOverMessage, suspectLines } from './blocked-posting';
import { failedCall } from './failed-call';
import { journalMissingMessage, overdueMessage } from './messages';

/** Journal headers asked for per OData call (the client splits long filters further). */
const HEADER_CHUNK = 100;

const pair = (company: string, journal: string) => `${company.toLowerCase()}\u0000${journal.toLowerCase()}`;

export async function followPosting(ctx: JobContext): Promise<void> {
  const journals = ctx.store.batches.postingJournals();
  /** Journals SCM lists as not posted, and per organization the latest one read as posted. */
  const unposted: { company: string; journal: string }[] = [];
  const latestPosted = new Map<string, { company: string; journal: string }>();
  for (let i = 0; i < journals.length; i += HEADER_CHUNK) {
    if (ctx.stopping()) return;
    const chunk = journals.slice(i, i + HEADER_CHUNK);
    const started = realNow();
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
      await failedCall(ctx, 'journalHeaders', request, started, error, []);
      throw error;
    }
    const byPair = new Map(headers.map((h) => [pair(h.dataAreaId, h.journalNumber), h]));
    await ctx.store.write(() => {
      const targets: AttemptTarget[] = [];
      const said: string[] = [];
      for (const j of chunk) {
        const header = byPair.get(pair(j.organization_id, j.journal_number));
        const company = j.organization_id.toLowerCase();
        if (header?.isPosted)
          latestPosted.set(company, {
            company: j.organization_id,
            journal: laterOf(latestPosted.get(company)?.journal ?? null, j.journal_number),
          });
        else if (header) unposted.push({ company: j.organization_id, journal: j.journal_number });
        const moved = header?.isPosted
          ? posted(ctx, j.organization_id, header)
          : notPosted(ctx, j.organization_id, j.journal_number, header === undefined);
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
  }
  await passedOver(ctx, unposted, [...latestPosted.values()]);
}

/**
 * Journals SCM's posting job has run past: a later journal of ours in the organization reads
 * posted (in this run, or as remembered from an earlier one) while this one does not. Their
 * FnOCreated lines turn FnOPostError now, each told the likely cause. Answers the lines moved.
 */
function passedOver(
  ctx: JobContext,
  unposted: readonly { company: string; journal: string }[],
  latestPosted: readonly { company: string; journal: string }[],
): Promise<number> {
  const started = realNow();
  return ctx.store.write(() => {
    for (const { company, journal } of latestPosted)
      ctx.store.notePostedJournal(company, laterOf(ctx.store.lastPostedJournal(company), journal));
    const targets: AttemptTarget[] = [];
    const said: string[] = [];
    for (const { company, journal } of unposted) {
      const later = ctx.store.lastPostedJournal(company);
      if (later === null || !numberedAfter(later, journal)) continue;
      const due = ctx.store.batches
        .awaitingPosting(company, journal)
        .filter((l) => l.status === 'FnOCreated');
      if (due.length === 0) continue;
      const suspects = suspectLines(ctx.store, company, journal);
      const r = ctx.store.status.moveAggregated(
        due.map((l) => ({
          id: l.aggregated_line_id,
          fields: {
            last_error: clip(passedOverMessage(journal, company, later, suspects, l.aggregated_line_id)),
            last_error_kind: 'data',
          },
        })),
        'FnOPostError',
        nowIso(ctx.clock),
      );
      add(ctx.counts, 'postErrors', r.moved.length);
      said.push(
        `${journal}: passed over (${later} posted)${suspects.length > 0 ? `; likely ${suspects.map((s) => s.words).join('; ')}` : ''}`,
      );
      targets.push(
        ...r.moved.map((id) => ({
          id,
          outcome: 'data' as const,
          message: `journal ${journal} passed over by SCM's posting job`,
        })),
      );
    }
    if (targets.length > 0)
      logAttempt(ctx, 'fno', {
        action: 'postingJob',
        started,
        outcome: 'data',
        request: clip(`journals not posted: ${unposted.map((u) => u.journal).join(', ')}`),
        response: clip(said.join('; ')),
        targets,
      });
    return targets.length;
  });
}

function posted(ctx: JobContext, company: string, header: JournalHeader): AttemptTarget[] {
  const ids = ctx.store.batches
    .awaitingPosting(company, header.journalNumber)
    .map((l) => l.aggregated_line_id);
  const r = ctx.store.status.moveAggregated(
    ids.map((id) => ({ id })),
    'FnOPosted',
    nowIso(ctx.clock),
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
  const overdueBefore = ctx.clock.now() - hours * ctx.timing.hourMs;
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
    nowIso(ctx.clock),
    { last_error: clip(message), last_error_kind: 'data' },
  );
  add(ctx.counts, 'postErrors', r.moved.length);
  return r.moved.map((id) => ({ id, outcome: 'data', message }));
}
