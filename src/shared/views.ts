import type { AuthorKind } from './people';
import type { AggregatedStatus, LineStatus, StoredLineStatus, TargetTransactionStatus } from './status';

export type LineSource = 'api' | 'form' | 'import';
export type ErrorKind = 'retry' | 'data' | 'config';

/** A detailed line on the read API and in the grids: the stored fields, its status and its link. */
export interface DetailedLine {
  lineRecordId: string;
  id: string;
  organizationId: string;
  productId: string;
  quantityDataSource: string;
  physicalMeasure: string;
  quantity: number;
  dimensions: Record<string, string>;
  externalReferenceCategory: string | null;
  externalReferenceId: string | null;
  fnoJournalNameId: string | null;
  costPrice: number | null;
  transDate: string;
  /** The store's reason code (null on lines from before reasons, or entered without one). */
  reasonCode?: string | null;
  /** The manager who approved the line (an override, or a held line approved), else null. */
  approvedBy?: string | null;
  status: StoredLineStatus;
  aggregatedLineId: string | null;
  source: LineSource;
  createdAt: string;
  /** The author's name: a person's, an API key's, the computer's user (single clerk, or before sign-in). */
  createdBy: string;
  /** The author's stable ID (a person's or an API key's); null for the computer's user. */
  createdById?: string | null;
  /** Which kind of author; lines stored before people existed read `before-sign-in`. */
  authorKind?: AuthorKind;
  ivPostedAt: string | null;
  aggregatedAt: string | null;
  attempts: number;
  lastError: string | null;
  lastErrorKind: ErrorKind | null;
  /** Set when a clerk voided the line before it left the ledger. */
  voidReason?: string | null;
  voidedAt?: string | null;
  voidedBy?: string | null;
  voidedById?: string | null;
  /** The line this one reverses (a correction), and the line that reverses this one. */
  corrects?: string | null;
  correctedBy?: string | null;
  /** A line posted by Correct in place of this one (another site, say), and the line a replacing line stands in for. */
  replacedBy?: string | null;
  replaces?: string | null;
  /** An IV call may have applied this line (or IV has it): it can be corrected, never voided. */
  ivMaybeApplied?: boolean;
  /** An IV call carrying this line may be on the wire right now: Void waits for its outcome. */
  ivSending?: boolean;
  /**
   * The line's SCM outcome, read through its aggregated line (what reached SCM); absent on
   * the read API, null before aggregation.
   */
  scm?: ScmOutcome | null;
}

/** Where a detailed line's change stands in SCM: its aggregated line's status and journal. */
export interface ScmOutcome {
  status: AggregatedStatus;
  statusReason: string | null;
  journalNumber: string | null;
  lastError: string | null;
  lastErrorKind: ErrorKind | null;
}

/** An aggregated line: what reaches SCM as one journal line. */
export interface AggregatedLine {
  aggregatedLineId: string;
  organizationId: string;
  productId: string;
  quantityDataSource: string;
  physicalMeasure: string;
  dimensions: Record<string, string>;
  fnoJournalNameId: string | null;
  costPrice: number | null;
  transDate: string;
  quantity: number;
  status: AggregatedStatus;
  statusReason: string | null;
  targetTransactionStatus: TargetTransactionStatus;
  journalNumber: string | null;
  journalLineNumber: number | null;
  detailedLineCount: number;
  attempts: number;
  lastError: string | null;
  lastErrorKind: ErrorKind | null;
  createdAt: string;
  updatedAt: string;
}

export interface AggregatedLineDetail extends AggregatedLine {
  detailedLineIds: string[];
}

/** One upstream exchange about a line, for troubleshooting: when, what was sent, what came back, how long. */
export interface Attempt {
  attemptId: number;
  job: 'iv' | 'fno';
  action: string;
  at: string;
  durationMs: number;
  outcome: 'ok' | 'retry' | 'data' | 'config';
  request: string | null;
  response: string | null;
}

export interface Page<T> {
  value: T[];
  count: number;
}

export interface WriteResult {
  id: string;
  lineRecordId: string;
  status: LineStatus;
}

/** One line of an entry request, as stored (or as it already was, for an id sent before). */
export interface EnteredLine extends WriteResult {
  created: boolean;
  /** Cautions from the store's copy of SCM's master data (and a large quantity from a store system). */
  warnings: { field: string; message: string }[];
  /** The item and dimensions stored: they differ from those sent when a barcode was read. */
  productId: string;
  dimensions: Record<string, string>;
  /** The barcode the line was sent with, when it was read as its item and variant. */
  scannedCode: string | null;
}
