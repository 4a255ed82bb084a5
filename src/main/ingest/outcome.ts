/**
 * The one translation of an ingest's outcome into what the caller is told: an AppError with a
 * code (one HTTP status per code, api/routes.ts) and words naming the fields. Every entry path
 * throws these and no other, so the API, the window and the imports say the same thing.
 */
import type { FieldError } from '../../shared/adjustment';
import { AppError } from '../errors';
import type { IngestOutcome } from './ingest';

export type IngestOk = Extract<IngestOutcome, { kind: 'ok' }>;

/** "quantity must be a number; dimensions.siteId is required", the first few, for a sentence. */
export function describeErrors(errors: readonly FieldError[], max = 3): string {
  // Lines are named by their index in the request only when there are several to tell apart.
  const several = new Set(errors.map((e) => e.index)).size > 1;
  const said = errors
    .slice(0, max)
    .map((e) => `${several && e.index !== undefined ? `line ${e.index}: ` : ''}${e.field} ${e.message}`)
    .join('; ');
  return errors.length > max ? `${said}; and ${errors.length - max} more (listed in errors)` : said;
}

/** The outcome when it stored the lines; otherwise throws the AppError that says why. */
export function storedOrThrow(outcome: IngestOutcome): IngestOk {
  switch (outcome.kind) {
    case 'ok':
      return outcome;
    case 'invalid':
      throw new AppError(
        'invalid_input',
        `Nothing was stored: ${describeErrors(outcome.errors)}`,
        outcome.errors,
      );
    case 'conflict':
      throw new AppError('conflict', `Nothing was stored: ${describeErrors(outcome.errors)}`, outcome.errors);
    case 'needs_confirmation':
      throw new AppError(
        'needs_confirmation',
        `Nothing was stored yet: ${describeErrors(outcome.errors)}`,
        outcome.errors,
      );
    case 'needs_approval':
      throw new AppError(
        'needs_approval',
        `Nothing was stored: a manager must approve first. ${describeErrors(outcome.errors)}. A manager can approve it here with their PIN or badge, or send it to the approval list.`,
        outcome.errors,
      );
    case 'too_large':
      throw new AppError('too_large', `Nothing was stored: ${outcome.message}`);
    case 'disabled':
      throw new AppError('feature_disabled', outcome.message);
  }
}
