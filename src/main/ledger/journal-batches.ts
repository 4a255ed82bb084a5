import { sql } from 'kysely';
import type { TargetTransactionStatus } from '../../shared/status';
import type { ErrorKind } from '../../shared/views';
import type { LedgerConnection } from './connection';
import type { AggregatedLineRow, JournalBatchRow, JournalBatchState } from './schema';

export interface NewBatch {
  batch_id: string;
  organization_id: string;
  journal_name_id: string | null;
  target_status: TargetTransactionStatus | null;
  line_count: number;
  journal_count: number;
  read_back_first: number;
  created_at: string;
}

export type BatchUpdate = Partial<
  Pick<
    JournalBatchRow,
    | 'state'
    | 'message_id'
    | 'job_state'
    | 'execution_log'
    | 'read_back_first'
    | 'last_error'
    | 'execution_id'
    | 'execution_errors'
    | 'unknown_polls'
    | 'unknown_since'
  >
> & { attemptsDelta?: number };

/** A journal awaiting SCM's posting job. */
export interface PostingJournal {
  organization_id: string;
  journal_number: string;
}

/** What cutting journals needs of a Created aggregated line. */
export type BatchLine = Pick<
  AggregatedLineRow,
  'aggregated_line_id' | 'organization_id' | 'fno_journal_name_id' | 'target_transaction_status'
>;

/** Lines whose journal SCM's posting job is expected to post. */
const AWAITING_POSTING = ['FnOCreated', 'FnOPostError'] as const;

/**
 * The SCM job's SQL: data packages sent to SCM (journal_batches) and the aggregated lines they
 * carry, from cutting to posting. Statuses change only through StatusWriter.
 */
export class JournalBatchStore {
  constructor(private readonly conn: LedgerConnection) {}

  private get qb() {
    return this.conn.qb;
  }

  /** Created aggregated lines, oldest first, to be cut into journals. */
  createdAggregated(): BatchLine[] {
    return this.conn.all(
      this.qb
        .selectFrom('aggregated_lines')
        .select(['aggregated_line_id', 'organization_id', 'fno_journal_name_id', 'target_transaction_status'])
        .where('status', '=', 'Created')
        // Still being aggregated: its detailed lines are not all pointed at it yet.
        .where('pending_through_seq', 'is', null)
        .orderBy('seq'),
    );
  }

  insert(batch: NewBatch): void {
    this.conn.run(
      this.qb
        .insertInto('journal_batches')
        .values({ ...batch, state: 'Sending', updated_at: batch.created_at }),
    );
  }

  in(states: readonly JournalBatchState[]): JournalBatchRow[] {
    return this.conn.all(
      this.qb
        .selectFrom('journal_batches')
        .selectAll()
        .where('state', 'in', states)
        // In the order they were cut (rowid): packages go out oldest first.
        .orderBy(sql`rowid`),
    );
  }

  get(batchId: string): JournalBatchRow | undefined {
    return this.conn.first(this.qb.selectFrom('journal_batches').selectAll().where('batch_id', '=', batchId));
  }

  update(batchId: string, fields: BatchUpdate, at: string): void {
    const { attemptsDelta, ...columns } = fields;
    this.conn.run(
      this.qb
        .updateTable('journal_batches')
        .set((eb) => ({
          ...columns,
          updated_at: at,
          ...(attemptsDelta !== undefined && { attempts: eb('attempts', '+', attemptsDelta) }),
        }))
        .where('batch_id', '=', batchId),
    );
  }

  /** The batch's lines still waiting for SCM's answer, in the order they were cut. */
  lines(batchId: string): AggregatedLineRow[] {
    return this.conn.all(
      this.qb
        .selectFrom('aggregated_lines')
        .selectAll()
        .where('journal_batch_id', '=', batchId)
        .where('status', '=', 'FnOSent')
        .orderBy('seq'),
    );
  }

  bumpAttempts(ids: readonly string[], at: string): void {
    if (ids.length === 0) return;
    this.conn.run(
      this.qb
        .updateTable('aggregated_lines')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), updated_at: at }))
        .where('aggregated_line_id', 'in', ids),
    );
  }

  /** An error on lines that keep their status (the call will be made again). */
  lineError(ids: readonly string[], message: string, kind: ErrorKind, at: string): void {
    if (ids.length === 0) return;
    this.conn.run(
      this.qb
        .updateTable('aggregated_lines')
        .set({ last_error: message, last_error_kind: kind, updated_at: at })
        .where('aggregated_line_id', 'in', ids),
    );
  }

  /** Journals with lines created and expected to post: SCM's posting job is still to be heard from. */
  postingJournals(): PostingJournal[] {
    return this.conn.all(
      this.qb
        .selectFrom('aggregated_lines')
        .select(['organization_id', 'journal_number'])
        .distinct()
        .where('status', 'in', AWAITING_POSTING)
        .where('target_transaction_status', '=', 'Posted')
        .where('journal_number', 'is not', null)
        .orderBy('journal_number')
        .$narrowType<{ journal_number: string }>(),
    );
  }

  /** The lines of one journal still awaiting posting, with since when. */
  awaitingPosting(
    organizationId: string,
    journalNumber: string,
  ): Pick<AggregatedLineRow, 'aggregated_line_id' | 'status' | 'posting_since' | 'updated_at'>[] {
    return this.conn.all(
      this.qb
        .selectFrom('aggregated_lines')
        .select(['aggregated_line_id', 'status', 'posting_since', 'updated_at'])
        .where('status', 'in', AWAITING_POSTING)
        .where('target_transaction_status', '=', 'Posted')
        .where('journal_number', '=', journalNumber)
        .where((eb) => eb(eb.fn('lower', ['organization_id']), '=', organizationId.toLowerCase())),
    );
  }

  /** The journals SCM made of this ledger's lines most recently, newest first (at most `limit`). */
  recentJournals(limit = 20): { organization_id: string; journal_number: string }[] {
    return this.conn.all(
      this.qb
        .selectFrom('aggregated_lines')
        .select(['organization_id', 'journal_number'])
        .where('journal_number', 'is not', null)
        .groupBy(['organization_id', 'journal_number'])
        .orderBy((eb) => eb.fn.max('seq'), 'desc')
        .limit(limit)
        .$narrowType<{ journal_number: string }>(),
    );
  }

  /** The lines SCM created in one journal: what to look at when its posting job passes it over. */
  journalLines(
    organizationId: string,
    journalNumber: string,
  ): Pick<AggregatedLineRow, 'aggregated_line_id' | 'product_id' | 'dimensions' | 'quantity'>[] {
    return this.conn.all(
      this.qb
        .selectFrom('aggregated_lines')
        .select(['aggregated_line_id', 'product_id', 'dimensions', 'quantity'])
        .where('journal_number', '=', journalNumber)
        .where((eb) => eb(eb.fn('lower', ['organization_id']), '=', organizationId.toLowerCase()))
        .orderBy('journal_line_number'),
    );
  }

  /**
   * Packages SCM has queued but not started importing, sent before `before`: enqueued, and SCM's
   * job state (when it said one) still Enqueued or Dequeued.
   */
  queuedBefore(before: string): { count: number; oldestSince: string | null } {
    const row = this.conn.first(
      this.qb
        .selectFrom('journal_batches')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
        .where('state', '=', 'Enqueued')
        .where((eb) => eb.or([eb('job_state', 'is', null), eb('job_state', 'in', ['Enqueued', 'Dequeued'])]))
        .where('created_at', '<=', before),
    );
    return { count: Number(row?.n ?? 0), oldestSince: (row?.oldest as string | null | undefined) ?? null };
  }

  /** Something the SCM job must come back for soon: batches in flight, or journals to post. */
  followUp(): { batches: number; posting: number } {
    const batches = this.conn.first(
      this.qb
        .selectFrom('journal_batches')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', 'in', ['Sending', 'Enqueued', 'Imported']),
    );
    const posting = this.conn.first(
      this.qb
        .selectFrom('aggregated_lines')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'FnOCreated')
        .where('target_transaction_status', '=', 'Posted'),
    );
    return { batches: batches?.n ?? 0, posting: posting?.n ?? 0 };
  }
}
