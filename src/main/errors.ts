import type { FieldError } from '../shared/adjustment';
import type { RpcErrorBody } from '../shared/rpc';
import { STORAGE_MESSAGES, storageFault } from './ledger/health';

/** An error meant for the user: it carries a code and words, never a stack. */
export class AppError extends Error {
  constructor(
    readonly code: RpcErrorBody['code'],
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): RpcErrorBody {
    return { code: this.code, message: this.message, ...(this.errors && { errors: this.errors }) };
  }
}

export class InputError extends AppError {
  constructor(message: string, errors: FieldError[]) {
    super('invalid_input', `${message}: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors);
  }
}

export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} was not found`);
}

/** Anything else is a bug: the user gets a plain sentence, the log gets the detail. */
export function toErrorBody(error: unknown): RpcErrorBody {
  if (error instanceof AppError) return error.toBody();
  const fault = storageFault(error);
  if (fault) return { code: 'unavailable', message: STORAGE_MESSAGES[fault] };
  return {
    code: 'internal',
    message: 'Something went wrong inside Store Ledger. The details are in its log.',
  };
}
