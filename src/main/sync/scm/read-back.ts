/** Reading lines back from SCM's entries entity [OD, MD]: the only way rows are settled. */

import { realNow } from '../../clock';
import type { AggregatedLineRow, JournalBatchRow } from '../../ledger/schema';
import type { AttemptTarget } from '../../ledger/sync-history';
import type { JournalEntry, JournalHeader } from '../../upstream';
import type { JobContext } from '../context';
import { failedCall } from './failed-call';
import { toJournalFiles } from './journal-rows';

/** IDs read back by ID to learn which journal(s) SCM made of a package. */
const SAMPLE_SIZE = 5;
/** Up to this many lines, a read back by ID (about one query) beats sample + whole journal. */
const BY_ID_MAX = 20;

/** A few IDs spread over the list (first and last included). */
export function sampleIds(ids: readonly string[], size = SAMPLE_SIZE): string[] {
  if (ids.length <= size) return [...ids];
  if (size <= 1) return ids.slice(0, size);
  const out = new Set<string>();
  for (let i = 0; i < size; i++) out.add(ids[Math.round((i * (ids.length - 1)) / (size - 1))]!);
  return [...out];
}

/**
 * Where SCM put these aggregated lines: the same answer as reading every ID back by ID, in
 * far fewer queries. A few IDs read back by ID name the journal(s); each is read whole (one
 * query for up to 10,000 lines, instead of one per ~70 IDs); only the IDs still missing are
 * looked up by ID: the rows SCM did not create, or rows in a journal the sample did not name.
 */
export async function locateEntries(
  scm: Pick<JobContext['scm'], 'readBackEntries' | 'readBackJournal'>,
  ids: readonly string[],
): Promise<Map<string, JournalEntry>> {
  const found = new Map<string, JournalEntry>();
  const keep = (entries: readonly JournalEntry[], wanted: ReadonlySet<string>) => {
    for (const e of entries) {
      const key = e.transactionId.toLowerCase();
      if (wanted.has(key) && !found.has(key)) found.set(key, e);
    }
  };
  const wanted = new Set(ids.map((id) => id.toLowerCase()));
  if (ids.length > BY_ID_MAX) {
    keep(await scm.readBackEntries(sampleIds(ids)), wanted);
    const journals = new Map<string, { dataAreaId: string; journalNumber: string }>();
    for (const e of found.values()) {
      journals.set(JSON.stringify([e.dataAreaId.toLowerCase(), e.journalNumber.toLowerCase()]), e);
    }
    for (const j of journals.values()) keep(await scm.readBackJournal(j.dataAreaId, j.journalNumber), wanted);
  }
  const missing = ids.filter((id) => !found.has(id.toLowerCase()));
  if (missing.length > 0) keep(await scm.readBackEntries(missing), wanted);
  return found;
}

/** Reads the lines back; a failure is logged and ends the run. */
export async function readBack(
  ctx: JobContext,
  lines: readonly AggregatedLineRow[],
  why: string,
): Promise<{ found: Map<string, JournalEntry>; started: number }> {
  const started = realNow();
  try {
    const found = await locateEntries(
      ctx.scm,
      lines.map((l) => l.aggregated_line_id),
    );
    ctx.reached('scm');
    return { found, started };
  } catch (error) {
    await failedCall(ctx, 'readBack', `${why}: read back ${lines.length} line(s)`, started, error, []);
    throw error;
  }
}

export const isFound = (found: ReadonlyMap<string, JournalEntry>, line: AggregatedLineRow) =>
  found.has(line.aggregated_line_id.toLowerCase());

/** FnOCreated moves for the lines found, with SCM's journal and line numbers. */
export function createdMoves(
  lines: readonly AggregatedLineRow[],
  found: ReadonlyMap<string, JournalEntry>,
  at: string,
) {
  const moves = [];
  for (const line of lines) {
    const e = found.get(line.aggregated_line_id.toLowerCase());
    if (!e) continue;
    moves.push({
      id: line.aggregated_line_id,
      fields: {
        journal_number: e.journalNumber,
        journal_line_number: Number.isFinite(e.lineNumber) ? e.lineNumber : null,
        last_error: null,
        last_error_kind: null,
        // SCM's posting job has this journal to post from now (the overdue rule counts from here).
        posting_since: line.target_transaction_status === 'Posted' ? at : null,
      },
    });
  }
  return moves;
}

/** What a read back found of each line; lines not found get `missing` (or are left out when null). */
export function readBackTargets(
  lines: readonly AggregatedLineRow[],
  found: ReadonlyMap<string, JournalEntry>,
  missing: string | null,
) {
  return lines.flatMap((l): AttemptTarget[] => {
    const e = found.get(l.aggregated_line_id.toLowerCase());
    if (e)
      return [
        {
          id: l.aggregated_line_id,
          outcome: 'ok',
          message: `found: journal ${e.journalNumber}, line ${e.lineNumber}`,
        },
      ];
    return missing === null ? [] : [{ id: l.aggregated_line_id, outcome: 'ok', message: missing }];
  });
}

/**
 * Lines of this package in a journal SCM has posted and whose lines it then deleted (a journal
 * name may delete lines after posting: the headers entity's AreLinesDeletedAfterPosting). Read
 * back by transaction ID they look "not created", and sending them again would post the
 * quantities twice; so before any line is declared not created or sent again, the package's
 * journals are looked up by their header Description (the package's journal references,
 * journal-rows.ts) and a posted one settles its lines. The journals are the first send's: all of
 * the package's lines, cut as then; if they no longer cut into the package's journal count (the
 * line limit changed since), nothing is settled this way and the caller goes on as before.
 */
export async function postedWithoutLines(
  ctx: JobContext,
  batch: JournalBatchRow,
  missing: readonly AggregatedLineRow[],
): Promise<Map<string, JournalHeader>> {
  const settledBy = new Map<string, JournalHeader>();
  if (missing.length === 0) return settledBy;
  const all = ctx.store.batches.lines(batch.batch_id);
  const journals = toJournalFiles(batch.batch_id, all, ctx.settings.transactions.fnoSyncMaxLineCount);
  if (journals.length !== batch.journal_count) return settledBy;
  const started = realNow();
  // Posted, and (as far as SCM says) a journal name that deletes lines: only a journal left with
  // no line at all has had its lines deleted; one that still has lines never held the missing
  // ones (their rows failed the import), and they stay "not created".
  const posted = new Map<string, JournalHeader>();
  try {
    const headers = await ctx.scm.readJournalHeadersByDescription(
      batch.organization_id,
      journals.map((j) => String(j.header.Description)),
    );
    for (const h of headers) {
      if (!h.isPosted || h.linesDeletedAfterPosting === false) continue;
      if ((await ctx.scm.readBackJournal(h.dataAreaId, h.journalNumber)).length > 0) continue;
      posted.set((h.description ?? '').toLowerCase(), h);
    }
    ctx.reached('scm');
  } catch (error) {
    await failedCall(
      ctx,
      'journalHeaders',
      `find the journals of package ${batch.batch_id} by description`,
      started,
      error,
      [],
    );
    throw error;
  }
  const wanted = new Set(missing.map((l) => l.aggregated_line_id.toLowerCase()));
  for (const journal of journals) {
    const header = posted.get(String(journal.header.Description).toLowerCase());
    if (!header) continue;
    for (const line of journal.lines) {
      const id = String(line.InventoryServiceTransactionId);
      if (wanted.has(id.toLowerCase())) settledBy.set(id, header);
    }
  }
  return settledBy;
}

/** The lines of posted journals whose lines are gone: FnOCreated, then FnOPosted, in the caller's transaction. */
export function settlePostedWithoutLines(
  ctx: JobContext,
  settledBy: ReadonlyMap<string, JournalHeader>,
  at: string,
): string[] {
  if (settledBy.size === 0) return [];
  const ids = [...settledBy.keys()];
  ctx.store.status.moveAggregated(
    ids.map((id) => ({
      id,
      fields: { journal_number: settledBy.get(id)!.journalNumber, journal_line_number: null },
    })),
    'FnOCreated',
    at,
    { last_error: null, last_error_kind: null, posting_since: at },
  );
  return ctx.store.status.moveAggregated(
    ids.map((id) => ({ id, fields: { fno_posted_at: settledBy.get(id)!.postedAt } })),
    'FnOPosted',
    at,
  ).moved;
}
