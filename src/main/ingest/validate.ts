import {
  type AdjustmentLine,
  adjustmentLineSchema,
  type FieldError,
  fieldErrors,
  MAX_LINES_PER_REQUEST,
} from '../../shared/adjustment';
import { runAtOnce } from '../event-loop';

/** A request with thousands of bad lines answers with the first ones: enough to fix the feed. */
export const MAX_REPORTED_ERRORS = 1000;

export function validateLines(
  body: unknown,
): { lines: AdjustmentLine[] } | { errors: FieldError[] } | { tooLarge: string } {
  return runAtOnce(validating(body));
}

type Validated = ReturnType<typeof validateLines>;

/** Validation as steps (a step every 64 lines), so a big bulk can be validated in slices. */
export function* validating(body: unknown): Generator<void, Validated> {
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
    if ((index & 63) === 63) yield;
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
