import type { RpcErrorBody } from '../../../shared/rpc';

type FieldIssue = NonNullable<RpcErrorBody['errors']>[number];
/** The business layer's codes, plus two of the transport's own: no answer, and a stale UI session. */
export type RpcErrorCode = RpcErrorBody['code'] | 'unreachable' | 'unauthorized';

/** An RPC that failed: the business layer's code, its plain-words message and per-field errors. */
export class RpcError extends Error {
  readonly code: RpcErrorCode;
  readonly errors: FieldIssue[];

  constructor(body: { code: RpcErrorCode; message: string; errors?: FieldIssue[] }) {
    super(body.message);
    this.name = 'RpcError';
    this.code = body.code;
    this.errors = body.errors ?? [];
  }

  /**
   * Field → message, with a prefix removed (the RPC input wraps a line as `line.*`,
   * the ingest path names fields bare). The first message per field wins.
   */
  byField(stripPrefix?: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const issue of this.errors) {
      let field = issue.field;
      if (stripPrefix && field.startsWith(`${stripPrefix}.`)) field = field.slice(stripPrefix.length + 1);
      if (!(field in out)) out[field] = issue.message;
    }
    return out;
  }
}

export function isRpcError(error: unknown): error is RpcError {
  return error instanceof RpcError;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
