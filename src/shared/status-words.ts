import type { AggregatedStatus, StoredLineStatus, TargetTransactionStatus } from './status';

/** What each status means, in words: the badges' tooltips and the XLSX export's status columns. */
export const LINE_STATUS_WORDS: Record<StoredLineStatus, string> = {
  Created: 'Recorded in the ledger; not yet in Inventory Visibility',
  IVPosted: 'Inventory Visibility has the on-hand change',
  Aggregated: 'Summed into an aggregated line for SCM',
  Voided: 'Voided before it left the ledger: kept for audit, never sent',
};

export const AGGREGATED_STATUS_WORDS: Record<AggregatedStatus, string> = {
  Created: 'Aggregated; waiting for the SCM job',
  DoNotSync: 'Will not be sent to SCM',
  FnOSent: 'Sent to SCM; waiting for its answer',
  FnOCreateError: 'SCM could not create the journal line',
  FnOCreated: "Journal line created in SCM; waiting for SCM's posting job if it is to be posted",
  FnOPostError: "SCM's posting job has not posted the journal in time",
  FnOPosted: 'Journal posted in SCM',
};

/** What a mapping's target transaction status makes of its lines in SCM. */
export const TARGET_STATUS_WORDS: Record<TargetTransactionStatus, string> = {
  None: 'nothing is created in SCM; the aggregated lines become DoNotSync',
  Created: 'the journal is created in SCM but not posted',
  Posted: 'the journal is created and posted in SCM',
};
