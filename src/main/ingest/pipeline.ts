/**
 * The one entry pipeline. Every way a line enters the ledger (the bulk API, Create, Scan, a
 * count's Apply, a draft's Post, a correction) comes through here and passes the same steps, in
 * this order: read and normalise (the shared schema: Microsoft's contract as its API takes it,
 * one text rule, one set of limits); review (a barcode read as its item and variant, a quantity
 * that looks like a scan refused, a large quantity asked about, the store's copy of SCM's
 * master data cautioning); store (all or nothing, idempotent by id); then one `lines.added`
 * event, which the sync and the grids subscribe to. An outcome that stored nothing becomes one
 * AppError (outcome.ts). What differs between paths is only the table below.
 */
import { type AdjustmentLine, adjustmentLineSchema, fieldErrors } from '../../shared/adjustment';
import type { EntryWarning } from '../../shared/master-data';
import type { LineAuthor } from '../../shared/people';
import type { EnteredLine, LineSource } from '../../shared/views';
import { currentAuditScope } from '../audit/scope';
import type { Ledger } from '../ledger';
import type { EntryKnowledge } from '../master-data/knowledge';
import type { ApprovalRequest } from './approval-rule';
import type { HeldResult } from './held';
import { type IngestContext, ingest, ingestInSlices } from './ingest';
import { type IngestOk, storedOrThrow } from './outcome';
import { reasonPolicy } from './reason-rule';
import { type LineReview, type ReviewPolicy, reviewLine } from './review';

export type { EnteredLine };

export type EntrySource = 'api' | 'form' | 'scan' | 'count' | 'import' | 'correction';

/**
 * What differs by entry path: how the line's source is stored, whether a person can be asked,
 * and whether the reason is judged (a reversing line repeats one judged when it entered).
 */
const PATHS: Record<EntrySource, { stored: LineSource; asksLargeQuantity: boolean; judgesReason: boolean }> =
  {
    // A store system cannot answer a question: a large quantity is cautioned in its answer.
    api: { stored: 'api', asksLargeQuantity: false, judgesReason: true },
    form: { stored: 'form', asksLargeQuantity: true, judgesReason: true },
    scan: { stored: 'form', asksLargeQuantity: true, judgesReason: true },
    count: { stored: 'form', asksLargeQuantity: true, judgesReason: true },
    import: { stored: 'import', asksLargeQuantity: true, judgesReason: true },
    // A reversing line mirrors a stored one, whose quantity and reason were judged when it entered.
    correction: { stored: 'form', asksLargeQuantity: false, judgesReason: false },
  };

export interface EntryRequest {
  source: EntrySource;
  /** Who enters the lines (people/actor.ts `authorOf`): a person, a store system's key, the computer's user. */
  author: LineAuthor;
  /** *Instant update to IV service* / `createWithIVSync=true`. */
  instantIv?: boolean;
  /** The person answered yes to this request's large quantities. */
  confirmedLargeQuantity?: boolean;
  /**
   * Who enters the lines, for a manager's approval (approval-rule.ts): their role, a manager who
   * approved, whether lines that need one wait in the approval list. Absent: no approval applies
   * (a reversing line, tests seeding a ledger).
   */
  approval?: ApprovalRequest;
  now?: Date;
}

/** A judgement without storing: nobody is the author of a line that is not stored. */
export type ReviewRequest = Omit<EntryRequest, 'author' | 'instantIv' | 'approval'>;

export interface Entered {
  lines: EnteredLine[];
  created: number;
  /** Lines that wait for a manager in the approval list (the request parked them). */
  held: HeldResult[];
}

/** The pipeline's judgement of a line that waits (a draft row, a count item), without storing it. */
export interface Reviewed {
  /** The line as it would be stored, when it is valid. */
  line: AdjustmentLine | null;
  errors: { field: string; message: string }[];
  cautions: EntryWarning[];
  /** A question to answer before it can be stored (a large quantity), or null. */
  confirm: string | null;
}

export interface LinesAdded {
  source: EntrySource;
  created: number;
  instantIv: boolean;
}

export interface PipelineDeps {
  ledger: Ledger;
  knowledge: (now?: Date) => EntryKnowledge;
  /** A write went through: the ledger's disk is healthy again. */
  wrote?: () => void;
}

export class EntryPipeline {
  private readonly listeners = new Set<(event: LinesAdded) => void>();

  constructor(private readonly deps: PipelineDeps) {}

  /** Subscribes to `lines.added`: after each commit that created lines. Answers the unsubscribe. */
  onLinesAdded(listener: (event: LinesAdded) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One line or a bulk, checked and stored in slices that never hold the event loop. Throws AppError. */
  async enter(body: unknown, request: EntryRequest): Promise<Entered> {
    return this.settle(await ingestInSlices(this.deps.ledger, body, this.context(request)), request);
  }

  /**
   * The same in one synchronous stretch, for a caller that stores lines inside its own
   * transaction (a correction with its link, a count's apply, a draft's slice). Throws AppError.
   */
  enterNow(body: unknown, request: EntryRequest): Entered {
    return this.settle(ingest(this.deps.ledger, body, this.context(request)), request);
  }

  /** The same judgement for lines that wait to be stored (draft rows, count items), one result per line. */
  review(lines: readonly unknown[], request: ReviewRequest): Reviewed[] {
    const knowledge = this.deps.knowledge(request.now);
    const policy = this.policy(request);
    return lines.map((raw) => {
      const parsed = adjustmentLineSchema.safeParse(raw);
      if (!parsed.success)
        return {
          line: null,
          errors: fieldErrors(parsed.error).map(({ field, message }) => ({ field, message })),
          cautions: [],
          confirm: null,
        };
      const judged = reviewLine(parsed.data, knowledge, policy);
      return {
        line: judged.errors.length === 0 ? judged.line : null,
        errors: judged.errors,
        cautions: judged.check?.warnings ?? [],
        confirm: judged.confirm,
      };
    });
  }

  private policy(request: ReviewRequest & Pick<EntryRequest, 'approval'>): ReviewPolicy {
    const settings = this.deps.ledger.settings.read();
    const path = PATHS[request.source];
    return {
      largeQuantityThreshold: settings.entry.largeQuantityThreshold,
      asksLargeQuantity: path.asksLargeQuantity,
      confirmedLargeQuantity: request.confirmedLargeQuantity ?? false,
      reasons: reasonPolicy(
        this.deps.ledger.reasons.list(),
        settings.entry.reasonRequired,
        path.judgesReason,
      ),
      approval: request.approval ? { settings: settings.approvals, request: request.approval } : null,
    };
  }

  private context(request: EntryRequest): IngestContext {
    const knowledge = this.deps.knowledge(request.now);
    const policy = this.policy(request);
    // The audited RPC answered now (dispatch): its lines are recorded under its action.
    const audit = currentAuditScope();
    return {
      ...(audit && { audit: audit.basis }),
      source: PATHS[request.source].stored,
      author: request.author,
      instantIv: request.instantIv ?? false,
      ...(request.now && { now: request.now }),
      ...(request.approval?.approvedBy && { approvedBy: request.approval.approvedBy }),
      park: request.approval?.park ?? false,
      review: (line): LineReview => reviewLine(line, knowledge, policy),
    };
  }

  private settle(outcome: Parameters<typeof storedOrThrow>[0], request: EntryRequest): Entered {
    const ok: IngestOk = storedOrThrow(outcome);
    this.deps.wrote?.();
    const lines = ok.results.map((result, i): EnteredLine => {
      const check = ok.checks[i];
      const line = ok.lines[i]!;
      return {
        id: result.id,
        lineRecordId: result.lineRecordId,
        status: result.status,
        created: result.created,
        warnings: check?.warnings ?? [],
        productId: line.productId,
        dimensions: line.dimensions,
        scannedCode: check?.scannedCode ?? null,
      };
    });
    if (ok.created > 0) {
      // Recorded with the lines: dispatch adds no second event for this request.
      const audit = currentAuditScope();
      if (audit) audit.linesRecorded = true;
      const event: LinesAdded = {
        source: request.source,
        created: ok.created,
        instantIv: request.instantIv ?? false,
      };
      for (const listener of this.listeners) listener(event);
    }
    return { lines, created: ok.created, held: ok.held };
  }
}
