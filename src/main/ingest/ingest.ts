import { hash } from 'node:crypto';
import {
  type AdjustmentLine,
  adjustmentLineSchema,
  type FieldError,
  fieldErrors,
  MAX_LINES_PER_REQUEST,
} from '../../shared/adjustment';
import type { LineSource, WriteResult } from '../../shared/views';
import type { Ledger } from '../ledger';
import { newRecordId } from '../ledger/ids';
import type { NewAdjustmentLine } from '../ledger/schema';

/** A request with thousands of bad lines answers with the first ones: enough to fix the feed. */
const MAX_REPORTED_ERRORS = 1000;

export interface IngestContext {
  source: LineSource;
  createdBy: string;
  /** *Instant update to IV service* / `createWithIVSync=true`. */
  instantIv: boolean;
  now?: Date;
}

export type IngestOutcome =
  | { kind: 'ok'; results: (WriteResult & { created: boolean })[]; created: number; lines: AdjustmentLine[] }
  | { kind: 'invalid'; errors: FieldError[] }
  | { kind: 'conflict'; errors: FieldError[] }
  | { kind: 'too_large'; message: string }
  | { kind: 'disabled'; message: string };

/** The store's local calendar date: what a clerk means by "today". */
export function localDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Idempotency compares the line as the caller sent it (after normalisation, before the
 * blank transDate is filled in), so a resend the next day is still the same line.
 */
export function contentHash(line: AdjustmentLine): string {
  // Not a security boundary (the ID is the key): a fast one-shot digest is enough.
  return hash('sha1', JSON.stringify(line), 'base64url');
}

export function validateLines(
  body: unknown,
): { lines: AdjustmentLine[] } | { errors: FieldError[] } | { tooLarge: string } {
  const items = Array.isArray(body) ? body : [body];
  if (Array.isArray(body) && body.length === 0) {
    return { errors: [{ field: '(body)', message: 'must contain at least one line' }] };
  }
  if (items.length > MAX_LINES_PER_REQUEST) {
    return {
      tooLarge: `A request may carry at most ${MAX_LINES_PER_REQUEST} lines; this one has ${items.length}.`,
    };
  }
  const lines: AdjustmentLine[] = [];
  const errors: FieldError[] = [];
  const firstIndexById = new Map<string, number>();
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    const parsed = adjustmentLineSchema.safeParse(item);
    const id =
      item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string'
        ? (item as { id: string }).id
        : undefined;
    if (!parsed.success) {
      if (errors.length < MAX_REPORTED_ERRORS) errors.push(...fieldErrors(parsed.error, { index, id }));
      continue;
    }
    const first = firstIndexById.get(parsed.data.id);
    if (first !== undefined) {
      errors.push({ index, id, field: 'id', message: `repeats the id of line ${first} in this request` });
      continue;
    }
    firstIndexById.set(parsed.data.id, index);
    lines.push(parsed.data);
  }
  return errors.length > 0 ? { errors: errors.slice(0, MAX_REPORTED_ERRORS) } : { lines };
}

/**
 * Validates, dedupes by `id`, and appends: all or nothing, in one transaction.
 * A line whose `id` is already in the ledger with the same content is answered with the
 * existing line; with different content, the whole request is refused (409) naming it.
 */
export function ingest(ledger: Ledger, body: unknown, context: IngestContext): IngestOutcome {
  const settings = ledger.settings.read();
  if (!settings.enableFeature) {
    return {
      kind: 'disabled',
      message:
        "The 'Enable feature' setting is off, so new lines are refused. Turn it on under Settings → Inventory transactions.",
    };
  }
  const validated = validateLines(body);
  if ('tooLarge' in validated) return { kind: 'too_large', message: validated.tooLarge };
  if ('errors' in validated) return { kind: 'invalid', errors: validated.errors };

  const now = context.now ?? new Date();
  const createdAt = now.toISOString();
  const today = localDate(now);
  const instantIv = context.instantIv ? 1 : 0;
  const lines = validated.lines;
  // Built before the transaction: the write lock is held only for the SQL.
  const rows: NewAdjustmentLine[] = new Array(lines.length);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    rows[index] = {
      line_record_id: newRecordId(now.getTime()),
      id: line.id,
      content_hash: contentHash(line),
      organization_id: line.organizationId,
      product_id: line.productId,
      quantity_data_source: line.quantityDataSource,
      physical_measure: line.physicalMeasure,
      quantity: line.quantity,
      dimensions: JSON.stringify(line.dimensions),
      site_id: line.dimensions.siteId!,
      location_id: line.dimensions.locationId!,
      external_reference_category: line.externalReferenceCategory,
      external_reference_id: line.externalReferenceId,
      fno_journal_name_id: line.fnoJournalNameId,
      cost_price: line.costPrice,
      trans_date: line.transDate ?? today,
      instant_iv: instantIv,
      status: 'Created',
      aggregated_line_id: null,
      source: context.source,
      created_at: createdAt,
      created_by: context.createdBy,
      iv_posted_at: null,
      aggregated_at: null,
      last_error: null,
      last_error_kind: null,
      next_attempt_at: null,
    };
  }
  try {
    return ledger.transaction(() => {
      const skipped = ledger.lines.insertMany(rows);
      const results: (WriteResult & { created: boolean })[] = rows.map((row) => ({
        id: row.id,
        lineRecordId: row.line_record_id,
        status: 'Created',
        created: true,
      }));
      if (skipped.length === 0) return { kind: 'ok', results, created: rows.length, lines };
      // Only ids already in the ledger were skipped: answer them with the existing line,
      // or refuse the whole request if any came back with other content.
      const conflicts: FieldError[] = [];
      for (const { index, prior } of skipped) {
        const row = rows[index]!;
        if (prior.content_hash !== row.content_hash) {
          conflicts.push({
            index,
            id: row.id,
            field: 'id',
            message: `id '${row.id}' is already in the ledger with different content; a correction is a new line with a new id`,
          });
        }
        results[index] = {
          id: row.id,
          lineRecordId: prior.line_record_id,
          status: prior.status,
          created: false,
        };
      }
      // Throwing rolls back the lines this request did insert: all or nothing.
      if (conflicts.length > 0) throw new ConflictRollback(conflicts);
      return { kind: 'ok', results, created: rows.length - skipped.length, lines };
    });
  } catch (error) {
    if (error instanceof ConflictRollback) return { kind: 'conflict', errors: error.errors };
    throw error;
  }
}

class ConflictRollback extends Error {
  constructor(readonly errors: FieldError[]) {
    super('conflicting ids');
  }
}
