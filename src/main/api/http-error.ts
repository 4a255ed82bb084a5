import type { FieldError } from '../../shared/adjustment';

/** An answer to a caller's mistake: a status and the fields to fix. Never a stack. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
