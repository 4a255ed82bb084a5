import { AsyncLocalStorage } from 'node:async_hooks';
import type { NewAuditEvent } from '../ledger';

/** A line event's facts but its time and its lines (the ingest's write adds those). */
export type LineEventBasis = Omit<
  NewAuditEvent,
  'at' | 'lines_first' | 'lines_last' | 'lines_count' | 'lines_digest' | 'lines_marks'
>;

/**
 * The RPC being answered, as the audit sees it: lines it enters are recorded under its action,
 * actor and target (one event per write, in the lines' own transaction), and dispatch then
 * records no second event for the same request.
 */
export interface AuditScope {
  basis: LineEventBasis;
  linesRecorded: boolean;
}

const scope = new AsyncLocalStorage<AuditScope>();

export function inAuditScope<T>(value: AuditScope, work: () => Promise<T>): Promise<T> {
  return scope.run(value, work);
}

/** The scope of the call being answered, if an audited RPC is. */
export function currentAuditScope(): AuditScope | undefined {
  return scope.getStore();
}
