import type { FieldError } from '../../shared/adjustment';
import { MAX_LINES_PER_REQUEST } from '../../shared/adjustment';
import { yieldEvery } from '../event-loop';
import { HttpError } from './http-error';

/**
 * Shape limits checked while the body streams in, before anything is parsed: a hostile
 * body (millions of keys, deep nesting, a huge string, millions of `{}`) is refused at
 * the first byte past a limit, with bounded memory and no long parse. A real bulk of
 * 50,000 lines is far inside every one of them.
 */
export const BODY_LIMITS = {
  depth: 16,
  keysPerObject: 256,
  itemsPerArray: MAX_LINES_PER_REQUEST,
  stringBytes: 64 * 1024,
  keyBytes: 256,
  /** One line of a bulk, or a whole non-array body (one line, an RPC input). */
  elementBytes: 1024 * 1024,
} as const;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

interface Level {
  array: boolean;
  /** Keys seen (object) or items begun (array). */
  count: number;
  /** Object: the next string is a key. */
  expectKey: boolean;
  /**
   * The current key (object) as the body's raw bytes, for error paths: decoded only when an
   * error names it, since decoding every key of a 1,000-line bulk cost milliseconds per chunk.
   */
  key: Buffer | null;
}

function invalidJson(why: string): never {
  throw new HttpError(400, 'The body is not valid JSON', [
    { field: '(body)', message: `is not valid JSON (${why})` },
  ]);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * A byte-level scanner of JSON structure: depth, keys per object, items per array, string
 * sizes, and the byte ranges of a top-level array's elements. It does not build values;
 * JSON.parse does that afterwards, one element at a time, so no single parse is long.
 */
export class JsonShapeScanner {
  private readonly stack: Level[] = [];
  private offset = 0;
  private inString = false;
  private escape = false;
  private stringBytes = 0;
  /** Inside a key: its pieces so far (a key may span chunks) and its length in bytes. */
  private keyParts: Buffer[] | null = null;
  private keyLength = 0;
  private done = false;
  private started = false;
  /** Byte offsets: [start, end) of each top-level array element, or of the whole value. */
  readonly elements: [number, number][] = [];
  /**
   * Keys met in each element (beside `elements`): JSON.parse keeps the last of a key given twice
   * and says nothing, so a parsed element with fewer keys than this held a duplicate.
   */
  readonly elementKeys: number[] = [];
  private keysInElement = 0;
  topIsArray = false;
  private elementStart = -1;

  /** Scans the next chunk; throws HttpError past a limit. */
  push(chunk: Buffer): void {
    const stack = this.stack;
    const base = this.offset;
    const length = chunk.length;
    /** Where the current key's bytes start in this chunk. */
    let keyStart = 0;
    for (let i = 0; i < length; i++) {
      let c = chunk[i]!;
      if (this.inString) {
        // The fast path: run to the next quote or backslash.
        const start = i;
        while (!this.escape && c !== QUOTE && c !== BACKSLASH) {
          if (++i >= length) break;
          c = chunk[i]!;
        }
        this.stringBytes += i - start;
        if (this.keyParts) this.keyLength += i - start;
        this.checkString();
        if (i >= length) break;
        if (this.escape) {
          this.escape = false;
        } else if (c === BACKSLASH) {
          this.escape = true;
        } else {
          this.keyParts?.push(chunk.subarray(keyStart, i));
          this.endString();
          continue;
        }
        this.stringBytes++;
        if (this.keyParts) this.keyLength++;
        this.checkString();
        continue;
      }
      if (isSpace(c)) continue;
      if (this.done) invalidJson('something follows the value');
      const top = stack[stack.length - 1];
      if (!this.started) {
        this.started = true;
        this.topIsArray = c === OPEN_ARRAY;
        if (!this.topIsArray) this.elementStart = base + i;
      }
      if (top?.array && stack.length === 1 && this.elementStart < 0 && c !== CLOSE_ARRAY && c !== COMMA) {
        this.elementStart = base + i;
        if (++top.count > BODY_LIMITS.itemsPerArray)
          throw new HttpError(
            413,
            `A request may carry at most ${MAX_LINES_PER_REQUEST} lines; this one has more. Send them in several requests.`,
          );
      } else if (top?.array && stack.length > 1 && c !== CLOSE_ARRAY && c !== COMMA && top.count === 0) {
        top.count = 1;
      }
      switch (c) {
        case QUOTE:
          this.inString = true;
          this.stringBytes = 0;
          if (top && !top.array && top.expectKey) {
            this.keyParts = [];
            this.keyLength = 0;
            keyStart = i + 1;
          }
          break;
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          if (stack.length >= BODY_LIMITS.depth)
            this.refuse(400, `nests deeper than ${BODY_LIMITS.depth} levels`);
          stack.push({ array: c === OPEN_ARRAY, count: 0, expectKey: c === OPEN_OBJECT, key: null });
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          // A scalar last element of the top-level array ends at its bracket.
          if (stack.length === 1 && top?.array) this.endElement(base + i);
          stack.pop();
          if (stack.length === 1 && stack[0]!.array) this.endElement(base + i + 1);
          if (stack.length === 0) {
            this.done = true;
            if (this.topIsArray) this.elementStart = -1;
            else this.endElement(base + i + 1);
          }
          break;
        case COMMA:
          if (top && !top.array) top.expectKey = true;
          else if (top?.array && stack.length > 1) {
            if (++top.count > BODY_LIMITS.itemsPerArray)
              this.refuse(400, `holds an array of more than ${BODY_LIMITS.itemsPerArray} items`);
          }
          if (stack.length === 1 && top?.array && this.elementStart >= 0) this.endElement(base + i);
          break;
        case COLON:
          if (top && !top.array) top.expectKey = false;
          break;
        // Numbers, true, false, null: JSON.parse checks them.
      }
    }
    // A key that goes on in the next chunk.
    this.keyParts?.push(chunk.subarray(keyStart, length));
    this.offset += length;
    if (this.elementStart >= 0 && this.offset - this.elementStart > BODY_LIMITS.elementBytes) {
      this.refuse(413, `is larger than ${BODY_LIMITS.elementBytes} bytes; a line is far smaller`);
    }
  }

  /** After the last chunk. */
  finish(): void {
    if (!this.started) return;
    if (this.inString || this.stack.length > 0) invalidJson('it ends too early');
    // A bare scalar body: one element, the whole text.
    if (!this.topIsArray && this.elements.length === 0) {
      this.elements.push([this.elementStart, this.offset]);
      this.elementKeys.push(this.keysInElement);
    }
  }

  private endElement(end: number): void {
    if (this.elementStart < 0) return;
    if (end - this.elementStart > BODY_LIMITS.elementBytes)
      this.refuse(413, `is larger than ${BODY_LIMITS.elementBytes} bytes; a line is far smaller`);
    this.elements.push([this.elementStart, end]);
    this.elementKeys.push(this.keysInElement);
    this.keysInElement = 0;
    this.elementStart = -1;
  }

  private endString(): void {
    this.inString = false;
    const top = this.stack[this.stack.length - 1];
    const parts = this.keyParts;
    if (parts && top && !top.array) {
      // Checked before the key becomes part of the path: the error names the object.
      if (++top.count > BODY_LIMITS.keysPerObject) {
        top.key = null;
        this.refuse(400, `holds an object with more than ${BODY_LIMITS.keysPerObject} keys`);
      }
      top.key = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      this.keysInElement++;
    }
    this.keyParts = null;
  }

  private checkString(): void {
    if (this.keyParts && this.keyLength > BODY_LIMITS.keyBytes)
      this.refuse(400, `holds a key longer than ${BODY_LIMITS.keyBytes} bytes`);
    if (this.stringBytes > BODY_LIMITS.stringBytes)
      this.refuse(400, `must be at most ${BODY_LIMITS.stringBytes} bytes; no field takes that much`);
  }

  /** The error names where in the body it happened: the line's index and the field. */
  private refuse(status: number, message: string): never {
    const error = this.where();
    const text = `The body was refused before it was read in full: ${error.field === '(body)' ? 'it' : error.field} ${message}`;
    throw new HttpError(status, text, [{ ...error, message }]);
  }

  private where(): FieldError {
    const levels = this.stack;
    const path: string[] = [];
    let index: number | undefined;
    levels.forEach((level, depth) => {
      if (depth === 0 && level.array && this.topIsArray) index = level.count - 1;
      else if (!level.array && level.key?.length) path.push(decodeKey(level.key));
      else if (level.array) path.push(String(Math.max(0, level.count - 1)));
    });
    return { ...(index !== undefined && { index }), field: path.join('.') || '(body)', message: '' };
  }
}

/** Own keys of every object in a parsed value. */
function countKeys(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  if (Array.isArray(value)) for (const item of value) n += countKeys(item);
  else for (const key of Object.keys(value)) n += 1 + countKeys((value as Record<string, unknown>)[key]);
  return n;
}

/**
 * Names the first key given twice in one object of a (valid) JSON text, walking it once more:
 * only after the cheap count said one is there. A key repeated is refused, never resolved by
 * keeping the last, which JSON.parse would do without a word.
 */
function refuseDuplicate(text: string, index: number | undefined): never {
  // Each open container: an object's keys so far and the key being read, or an array.
  const open: ({ keys: Set<string>; current: string } | null)[] = [];
  const path = () => open.flatMap((o) => (o && o.current !== '' ? [o.current] : []));
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = open[open.length - 1];
      if (expectKey && top) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) {
          top.current = key;
          const field = path().join('.');
          throw new HttpError(400, `The body gives ${field} twice in one object: send it once`, [
            {
              ...(index !== undefined && { index }),
              field,
              message: 'is given twice in one object: send it once',
            },
          ]);
        }
        top.keys.add(key);
        top.current = key;
      }
      i = j;
    } else if (c === '{') {
      open.push({ keys: new Set(), current: '' });
      expectKey = true;
    } else if (c === '[') {
      open.push(null);
      expectKey = false;
    } else if (c === '}' || c === ']') open.pop();
    else if (c === ',') expectKey = open[open.length - 1] !== null && open.length > 0;
    else if (c === ':') expectKey = false;
  }
  // The count said a key repeats; a text this walk cannot place is refused all the same.
  throw new HttpError(400, 'The body gives a key twice in one object: send it once', [
    { ...(index !== undefined && { index }), field: '(body)', message: 'gives a key twice in one object' },
  ]);
}

/** A key as JSON means it (escapes resolved), or its raw text when it does not decode. */
function decodeKey(bytes: Buffer): string {
  const raw = bytes.toString('utf8');
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/**
 * Parses what the scanner delimited: each element on its own (a few microseconds each),
 * yielding to the event loop every few milliseconds, so a 50,000-line body never holds
 * the loop for one long JSON.parse.
 */
export async function parseScanned(body: Buffer, scanner: JsonShapeScanner): Promise<unknown> {
  const parseOne = (start: number, end: number, index?: number): unknown => {
    const text = body.toString('utf8', start, end);
    try {
      const value: unknown = JSON.parse(text);
      const keys = scanner.elementKeys[index ?? 0];
      if (keys !== undefined && countKeys(value) !== keys) refuseDuplicate(text, index);
      return value;
    } catch (error) {
      if (error instanceof HttpError) throw error;
      throw new HttpError(400, 'The body is not valid JSON', [
        {
          ...(index !== undefined && { index }),
          field: '(body)',
          message: `is not valid JSON (${(error as Error).message.replace(/, ".*$/s, '')})`,
        },
      ]);
    }
  };
  if (!scanner.topIsArray) {
    const [start, end] = scanner.elements[0]!;
    return parseOne(start, end);
  }
  const pause = yieldEvery();
  const out: unknown[] = new Array(scanner.elements.length);
  for (let i = 0; i < scanner.elements.length; i++) {
    const [start, end] = scanner.elements[i]!;
    out[i] = parseOne(start, end, i);
    const turn = pause();
    if (turn) await turn;
  }
  return out;
}
