import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { fieldErrors } from '../../shared/adjustment';
import { FILE_FIELD, RPC_INPUT_HEADER } from '../../shared/file-upload';
import { type FileRpcName, fileLimitOf, rpcInputs } from '../../shared/rpc';
import { InputError } from '../errors';
import { readRawBody } from './http';
import { HttpError } from './http-error';
import { JsonShapeScanner, parseScanned } from './json-body';

/**
 * An action that takes a file, over HTTP: the file is the raw body (application/octet-stream)
 * and the rest of the input is JSON in a header. Everything that can be judged without the
 * file (the type, the header, its fields, a declared length past the action's limit) is judged
 * before the first byte of the body is read; the body is then read up to the action's limit
 * and no further (http.ts), and the whole input goes to the same validating dispatch.
 */
export async function readUpload(name: string, req: IncomingMessage): Promise<unknown> {
  const limit = fileLimitOf(name);
  if (!limit) throw new Error(`${name} takes no file`);
  try {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/octet-stream')
      throw new HttpError(
        415,
        `'${name}' takes the file as the body, sent with Content-Type: application/octet-stream, and the rest of its input as JSON in the ${RPC_INPUT_HEADER} header`,
        [{ field: '(content-type)', message: 'must be application/octet-stream' }],
      );
    const input = await inputHeader(req);
    checkFields(name as FileRpcName, input);
    return { ...input, [FILE_FIELD]: await readRawBody(req, limit) };
  } catch (error) {
    // Refused: the rest of the body is not wanted (never kept), and the socket closes after the answer.
    if (error instanceof HttpError) {
      req.resume();
      error.headers.connection = 'close';
    }
    throw error;
  }
}

function badHeader(message: string): HttpError {
  return new HttpError(400, `The ${RPC_INPUT_HEADER} header ${message}`, [
    { field: `(${RPC_INPUT_HEADER})`, message },
  ]);
}

/** The header's JSON object, read with the body's own rules (no key twice, bounded shape). */
async function inputHeader(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = req.headers[RPC_INPUT_HEADER];
  if (raw === undefined) return {};
  if (typeof raw !== 'string') throw badHeader('must be given once');
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    throw badHeader('must be percent-encoded UTF-8 JSON');
  }
  const bytes = Buffer.from(text);
  const scanner = new JsonShapeScanner();
  let value: unknown;
  try {
    scanner.push(bytes);
    scanner.finish();
    if (scanner.elements.length === 0) throw badHeader('must be a JSON object, not empty');
    value = await parseScanned(bytes, scanner);
  } catch (error) {
    if (error instanceof HttpError && error.status !== 413 && error.errors?.length) {
      const [first] = error.errors;
      const where = first!.field === '(body)' ? '' : `${first!.field} `;
      throw new HttpError(400, `The ${RPC_INPUT_HEADER} header is not valid: ${where}${first!.message}`, [
        {
          field: first!.field === '(body)' ? `(${RPC_INPUT_HEADER})` : first!.field,
          message: first!.message,
        },
      ]);
    }
    if (error instanceof HttpError) throw badHeader(`is not valid: ${error.message}`);
    throw error;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw badHeader('must be a JSON object');
  if (Object.hasOwn(value, FILE_FIELD)) throw badHeader(`must not hold ${FILE_FIELD}: the file is the body`);
  return value as Record<string, unknown>;
}

/** The input's other fields, judged by the action's own schema before any of the file is read. */
function checkFields(name: FileRpcName, input: Record<string, unknown>): void {
  const schema = rpcInputs[name] as unknown as z.ZodObject<{ content: z.ZodType }>;
  const parsed = schema.omit({ content: true }).safeParse(input);
  if (!parsed.success) {
    const refused = new InputError('The request is not valid', fieldErrors(parsed.error));
    throw new HttpError(400, refused.message, refused.errors);
  }
}
