import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AuthorKind, Role } from '../../shared/people';
import type { AggregatedStatus, LineStatus, TargetTransactionStatus } from '../../shared/status';
import type { ErrorKind, LineSource } from '../../shared/views';
import type { StoreKnowledgeTables } from './store-knowledge-schema';

/** Per-table interfaces, merged into one Database type (the Kysely way). Columns are snake_case as in SQL. */
export interface AdjustmentLinesTable {
  seq: Generated<number>;
  line_record_id: string;
  id: string;
  content_hash: string;
  organization_id: string;
  product_id: string;
  quantity_data_source: string;
  physical_measure: string;
  quantity: number;
  /** JSON object, keys sorted, canonical names. */
  dimensions: string;
  site_id: string;
  location_id: string;
  external_reference_category: string | null;
  external_reference_id: string | null;
  fno_journal_name_id: string | null;
  cost_price: number | null;
  trans_date: string;
  instant_iv: Generated<number>;
  /** The line's own path: Created → IVPosted, or Voided. That it was aggregated is a `line_aggregation` row (migration 9). */
  status: LineStatus;
  source: LineSource;
  created_at: string;
  created_by: string;
  iv_posted_at: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  last_error_kind: ErrorKind | null;
  /** A line IV rejected is held back until then, so it never blocks the others. */
  next_attempt_at: string | null;
  /** Migration 5: why, when and by whom a never-sent line was voided. */
  void_reason: Generated<string | null>;
  voided_at: Generated<string | null>;
  voided_by: Generated<string | null>;
  /** Migration 5: the line this one reverses, and the line that reverses this one. */
  corrects: Generated<string | null>;
  corrected_by: Generated<string | null>;
  /** Migration 10: 1 once an IV call may have applied the line (or IV took it): never voided then. */
  iv_maybe_applied: Generated<number>;
  /** Migration 10: 1 while an IV call carrying the line may be on the wire (its outcome not committed yet). */
  iv_sending: Generated<number>;
  /** Migration 10: the line a replacing line stands in for, and the replacing line of a corrected one. */
  replaces: Generated<string | null>;
  replaced_by: Generated<string | null>;
  /** Migration 13: the author's stable ID (a person's or an API key's), and which kind of author. */
  created_by_id: string | null;
  author_kind: AuthorKind;
  voided_by_id: Generated<string | null>;
  /** Migration 15: the line's reason code (null on lines from before), and the manager who approved it. */
  reason_code: Generated<string | null>;
  approved_by: Generated<string | null>;
  approved_by_id: Generated<string | null>;
}

/** Migration 15: the store's reason codes. */
export interface ReasonCodesTable {
  code: string;
  words: string;
  fno_journal_name_id: string | null;
  external_reference_category: string | null;
  approval_always: number;
  active: number;
  sort: Generated<number>;
  updated_at: Generated<string>;
  updated_by: string | null;
}

/** Migration 15: lines waiting for a manager, outside adjustment_lines (the sync never sees them). */
export interface HeldLinesTable {
  held_id: string;
  line_id: string;
  /** The validated line, JSON. */
  line: string;
  source: string;
  instant_iv: Generated<number>;
  why: string;
  state: Generated<'waiting' | 'approved' | 'refused'>;
  created_at: string;
  created_by: string;
  created_by_id: string | null;
  author_kind: AuthorKind;
  decided_at: Generated<string | null>;
  decided_by: Generated<string | null>;
  decided_by_id: Generated<string | null>;
  refusal: Generated<string | null>;
  line_record_id: Generated<string | null>;
}

/** IVPosted lines not aggregated yet (migration 9). */
export interface AggregationQueueTable {
  seq: number;
}

/** That a line was aggregated: into which aggregated line (its seq) (migration 9). */
export interface LineAggregationTable {
  seq: number;
  aggregated_seq: number;
}

/**
 * The view `detailed_lines`: a line as the grids, exports and API read it. `status` is
 * Aggregated once a `line_aggregation` row says so; `line_status` is the stored column.
 */
export interface DetailedLinesView
  extends Omit<AdjustmentLinesTable, 'seq' | 'instant_iv' | 'attempts' | 'iv_maybe_applied' | 'iv_sending'> {
  seq: number;
  instant_iv: number;
  attempts: number;
  iv_maybe_applied: number;
  iv_sending: number;
  aggregated_line_id: string | null;
  aggregated_at: string | null;
  line_status: LineStatus;
  aggregated_seq: number | null;
}

export interface AggregatedLinesTable {
  seq: Generated<number>;
  aggregated_line_id: string;
  aggregation_key: string;
  organization_id: string;
  product_id: string;
  quantity_data_source: string;
  physical_measure: string;
  dimensions: string;
  site_id: string;
  location_id: string;
  fno_journal_name_id: string | null;
  cost_price: number | null;
  trans_date: string;
  quantity: number;
  status: AggregatedStatus;
  status_reason: string | null;
  target_transaction_status: TargetTransactionStatus;
  journal_batch_id: string | null;
  journal_number: string | null;
  journal_line_number: number | null;
  detailed_line_count: number;
  attempts: Generated<number>;
  last_error: string | null;
  last_error_kind: ErrorKind | null;
  created_at: string;
  updated_at: string;
  /** Since when SCM's posting job has had this line's journal to post (overdue rule). */
  posting_since: string | null;
  /** SCM's PostedDateTime of the journal. */
  fno_posted_at: string | null;
  /** Set while the run that made it is still pointing its detailed lines at it (up to this seq). */
  pending_through_seq: number | null;
  /** While pending: the sum of |quantity| of the detailed lines pointing at it (net 0 is judged against it). */
  pending_magnitude?: number | null;
  /** While pending: its sums hold its detailed lines up to this seq (migration 9). */
  pending_summed_through?: number | null;
  /** The first and last seq of the detailed lines pointing at it: they are looked up in that range. */
  first_line_seq?: number | null;
  last_line_seq?: number | null;
}

export type JournalBatchState = 'Sending' | 'Enqueued' | 'Imported' | 'Done';

/** One data package (or single journal file) of one company sent to SCM's recurring data job. */
export interface JournalBatchesTable {
  batch_id: string;
  organization_id: string;
  journal_name_id: string | null;
  state: JournalBatchState;
  message_id: string | null;
  job_state: string | null;
  execution_log: string | null;
  line_count: number;
  attempts: Generated<number>;
  created_at: string;
  updated_at: string;
  /** 1 while an enqueue may have reached SCM without us knowing: read back before resending. */
  read_back_first: Generated<number>;
  target_status: TargetTransactionStatus | null;
  last_error: string | null;
  journal_count: Generated<number>;
  /** The DMF execution ID from job status, for GetExecutionErrors. */
  execution_id: string | null;
  /** GetExecutionErrors' messages, a JSON list. */
  execution_errors: string | null;
  /** Job status replies without a known state so far. */
  unknown_polls: Generated<number>;
  unknown_since: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface MappingsTable {
  seq: Generated<number>;
  measure_key: string;
  physical_measure: string;
  target_transaction_type: string;
  target_transaction_status: TargetTransactionStatus;
}

export interface SyncRunsTable {
  run_id: Generated<number>;
  job: 'iv' | 'fno';
  trigger: string;
  started_at: string;
  finished_at: string | null;
  outcome: string;
  message: string | null;
  counts: string;
}

export interface SyncAttemptsTable {
  attempt_id: Generated<number>;
  run_id: number | null;
  job: 'iv' | 'fno';
  action: string;
  at: string;
  duration_ms: number;
  outcome: string;
  request: string | null;
  response: string | null;
}

/** Which lines (detailed or aggregated, by their record ID) an attempt concerned. */
export interface SyncAttemptTargetsTable {
  target_id: string;
  attempt_id: number;
  outcome: string;
  message: string | null;
}

/** Row counts per status, kept by triggers. */
export interface StatusCountsTable {
  status: string;
  n: number;
}

/** Migration 13: the store's people. Hashes never leave src/main/people. */
export interface PeopleTable {
  person_id: string;
  name: string;
  role: Role;
  pin_hash: string;
  badge_index: string | null;
  badge_hash: string | null;
  active: number;
  created_at: string;
  created_by: string;
  created_by_id: string | null;
  updated_at: string;
}

/** Migration 13: wrong sign-in attempts per person ('person:<id>') and for badges ('badge'). */
export interface SignInGuardsTable {
  guard: string;
  failed_attempts: number;
  lockouts: number;
  locked_until: string | null;
}

/** Migration 13: the store systems' API keys, as digests. */
export interface ApiKeysTable {
  key_id: string;
  name: string;
  role: Role;
  digest: string;
  created_at: string;
  created_by: string;
  created_by_id: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  revoked_by_id: string | null;
  last_used_at: string | null;
}

/** Migration 14: the append-only audit trail (ledger/audit-chain.ts, src/main/audit). */
export interface AuditEventsTable {
  seq: number;
  at: string;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string;
  pc: string;
  action: string;
  target: string | null;
  old_value: string | null;
  new_value: string | null;
  outcome: 'done' | 'refused';
  error_code: string | null;
  lines_first: number | null;
  lines_last: number | null;
  lines_count: number | null;
  lines_digest: string | null;
  lines_marks: string | null;
  prev_hash: string;
  hash: string;
}

export interface Database extends StoreKnowledgeTables {
  audit_events: AuditEventsTable;
  people: PeopleTable;
  sign_in_guards: SignInGuardsTable;
  api_keys: ApiKeysTable;
  reason_codes: ReasonCodesTable;
  held_lines: HeldLinesTable;
  line_status_counts: StatusCountsTable;
  aggregated_status_counts: StatusCountsTable;
  adjustment_lines: AdjustmentLinesTable;
  aggregation_queue: AggregationQueueTable;
  line_aggregation: LineAggregationTable;
  detailed_lines: DetailedLinesView;
  aggregated_lines: AggregatedLinesTable;
  journal_batches: JournalBatchesTable;
  settings: SettingsTable;
  mappings: MappingsTable;
  sync_runs: SyncRunsTable;
  sync_attempts: SyncAttemptsTable;
  sync_attempt_targets: SyncAttemptTargetsTable;
}

export type AdjustmentLineRow = Selectable<AdjustmentLinesTable>;
export type DetailedLineRow = Selectable<DetailedLinesView>;
export type NewAdjustmentLine = Insertable<AdjustmentLinesTable>;
export type AggregatedLineRow = Selectable<AggregatedLinesTable>;
export type NewAggregatedLine = Insertable<AggregatedLinesTable>;
export type AggregatedLineUpdate = Updateable<AggregatedLinesTable>;
export type JournalBatchRow = Selectable<JournalBatchesTable>;
export type SyncRunRow = Selectable<SyncRunsTable>;
