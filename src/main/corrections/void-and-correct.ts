import os from 'node:os';
import { VOIDABLE_FROM } from '../../shared/status';
import type { DetailedLine } from '../../shared/views';
import { AppError, notFound } from '../errors';
import type { EntryPipeline } from '../ingest/pipeline';
import type { Ledger } from '../ledger';
import type { SyncService } from '../sync/types';

function lineOrThrow(ledger: Ledger, lineRecordId: string): DetailedLine {
  const line = ledger.lines.get(lineRecordId);
  if (!line) throw notFound(`Line ${lineRecordId}`);
  return line;
}

/**
 * Void (issue 9 item 9): a line that has not left the ledger (Created, never tried) is set
 * aside with a reason, kept for audit, never sent. Refused while the IV job is sending,
 * since it may have read the line already.
 */
export function voidLine(
  ledger: Ledger,
  sync: SyncService,
  lineRecordId: string,
  reason: string,
): DetailedLine {
  const line = lineOrThrow(ledger, lineRecordId);
  if (line.status === 'Voided') throw new AppError('conflict', 'This line is already voided.');
  if (line.status !== VOIDABLE_FROM)
    throw new AppError(
      'conflict',
      'This line has already reached Inventory Visibility, so it cannot be voided: post a correcting line instead.',
    );
  if (line.attempts > 0)
    throw new AppError(
      'conflict',
      'Store Ledger has already tried to send this line to Inventory Visibility, so it may be there: wait until it is IVPosted, then post a correcting line.',
    );
  if (sync.status().jobs.iv.state === 'running')
    throw new AppError(
      'conflict',
      'The IV job is sending lines right now and may be sending this one: try Void again in a moment.',
    );
  if (!ledger.lines.void(lineRecordId, reason, os.userInfo().username, new Date().toISOString()))
    throw new AppError('conflict', 'The line changed meanwhile (the IV job took it): open it again.');
  return lineOrThrow(ledger, lineRecordId);
}

/**
 * Correct (issue 9 item 9): for a line that has left the ledger, the reversing line (same
 * item, place and references, the opposite quantity) is posted and linked both ways, in one
 * transaction. Its id derives from the original, so a second click finds it instead of
 * posting another.
 */
export function correctLine(
  ledger: Ledger,
  entry: EntryPipeline,
  lineRecordId: string,
): { correction: DetailedLine; created: boolean } {
  const original = lineOrThrow(ledger, lineRecordId);
  if (original.status === 'Voided' || original.status === VOIDABLE_FROM)
    throw new AppError(
      'conflict',
      original.status === 'Voided'
        ? 'This line is voided: there is nothing to correct.'
        : 'This line has not left the ledger yet: void it instead.',
    );
  if (original.corrects)
    throw new AppError(
      'conflict',
      'This line is itself a correction: to post the original quantity again, post a new line.',
    );
  if (original.correctedBy) {
    const existing = ledger.lines.get(original.correctedBy);
    if (existing) return { correction: existing, created: false };
  }
  const body: Record<string, unknown> = {
    id: `reversal-${original.lineRecordId}`,
    organizationId: original.organizationId,
    productId: original.productId,
    quantityDataSource: original.quantityDataSource,
    physicalMeasure: original.physicalMeasure,
    quantity: -original.quantity,
    dimensions: original.dimensions,
    ...(original.externalReferenceCategory && {
      externalReferenceCategory: original.externalReferenceCategory,
    }),
    ...(original.externalReferenceId && { externalReferenceId: original.externalReferenceId }),
    ...(original.fnoJournalNameId && { fnoJournalNameId: original.fnoJournalNameId }),
    ...(original.costPrice !== null && { costPrice: original.costPrice }),
  };
  return ledger.transaction(() => {
    const [result] = entry.enterNow(body, { source: 'correction', createdBy: os.userInfo().username }).lines;
    ledger.lines.linkCorrection(original.lineRecordId, result!.lineRecordId);
    return { correction: lineOrThrow(ledger, result!.lineRecordId), created: result!.created };
  });
}
