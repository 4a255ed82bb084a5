/**
 * Statuses as the preview of Microsoft's business-layer article named them (its GA version,
 * https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-sync-changes,
 * renames the aggregated ones: GA_STATUS_ALIASES), and the only transitions allowed between them.
 */
export const LINE_STATUSES = ['Created', 'IVPosted', 'Aggregated'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

export const AGGREGATED_STATUSES = [
  'Created',
  'DoNotSync',
  'FnOSent',
  'FnOCreateError',
  'FnOCreated',
  'FnOPostError',
  'FnOPosted',
] as const;
export type AggregatedStatus = (typeof AGGREGATED_STATUSES)[number];

/** The GA article's names for the aggregated statuses: accepted in filters, never stored or shown. */
export const GA_STATUS_ALIASES: Readonly<Record<string, AggregatedStatus>> = {
  FnOSyncEnqueued: 'FnOSent',
  FnOTransCreated: 'FnOCreated',
  FnOTransCreateError: 'FnOCreateError',
  FnOTransPosted: 'FnOPosted',
  FnOTransPostError: 'FnOPostError',
};
/**
 * Voided (ledger format 5): a line IV cannot have counted (Created, and no IV call may have
 * applied it: attempts that never reached IV do not count), set aside by a clerk with
 * a reason; kept for audit and never sent. It is a stored status outside the sync's own three,
 * which never read or write it. A line IV has or may have is corrected instead, by a reversing
 * line linked to it (shared/line-actions.ts).
 */
export const VOIDED = 'Voided' as const;
export type StoredLineStatus = LineStatus | typeof VOIDED;
export const STORED_LINE_STATUSES = [...LINE_STATUSES, VOIDED] as const satisfies readonly StoredLineStatus[];
/** The only status a line can be voided from (and only while no IV call may have applied it). */
export const VOIDABLE_FROM: LineStatus = 'Created';

const LINE_TRANSITIONS: Record<LineStatus, readonly LineStatus[]> = {
  Created: ['IVPosted'],
  IVPosted: ['Aggregated'],
  Aggregated: [],
};

/**
 * Besides the article's forward path, two troubleshooting edges: a clerk may retry a failed
 * line once the cause is fixed in SCM (back to the state the job resumes from), or mark a
 * line that will never go through DoNotSync with a reason.
 */
const AGGREGATED_TRANSITIONS: Record<AggregatedStatus, readonly AggregatedStatus[]> = {
  Created: ['DoNotSync', 'FnOSent'],
  DoNotSync: [],
  FnOSent: ['FnOCreated', 'FnOCreateError', 'FnOSent'],
  FnOCreateError: ['FnOSent', 'Created', 'DoNotSync'],
  FnOCreated: ['FnOPosted', 'FnOPostError'],
  FnOPostError: ['FnOCreated', 'FnOPosted', 'DoNotSync'],
  FnOPosted: [],
};

export function canMoveLine(from: LineStatus, to: LineStatus): boolean {
  return LINE_TRANSITIONS[from].includes(to);
}

export function canMoveAggregated(from: AggregatedStatus, to: AggregatedStatus): boolean {
  return AGGREGATED_TRANSITIONS[from].includes(to);
}

/** Statuses from which a line can still change (used by the sync jobs and the "not yet synced" count). */
export const OPEN_AGGREGATED_STATUSES: readonly AggregatedStatus[] = ['Created', 'FnOSent', 'FnOCreated'];
export const FAILED_AGGREGATED_STATUSES: readonly AggregatedStatus[] = ['FnOCreateError', 'FnOPostError'];

export const TARGET_TRANSACTION_STATUSES = ['None', 'Created', 'Posted'] as const;
export type TargetTransactionStatus = (typeof TARGET_TRANSACTION_STATUSES)[number];

export const TARGET_TRANSACTION_TYPES = ['InventoryAdjustmentJournal'] as const;
export type TargetTransactionType = (typeof TARGET_TRANSACTION_TYPES)[number];
export const TARGET_TRANSACTION_TYPE_LABELS: Record<TargetTransactionType, string> = {
  InventoryAdjustmentJournal: 'Inventory adjustment journal',
};
