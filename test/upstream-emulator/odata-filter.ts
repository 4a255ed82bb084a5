// The slice of OData $filter that F&O clients need here: eq/ne/gt/ge/lt/le, and/or/not,
// parentheses, string/number/null/enum literals. `in` and functions are refused, as the
// client is documented not to rely on them.

export type Scalar = string | number | boolean | null;
export type Row = Record<string, unknown>;
export type Predicate = (row: Row) => boolean;

export class ODataFilterError extends Error {}

type Token =
  | { t: 'lparen' | 'rparen' | 'comma'; at: number }
  | { t: 'word'; v: string; at: number }
  | { t: 'literal'; v: Scalar; at: number };

const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', at: i });
      i++;
    } else if (c === "'") {
      const [value, next] = readString(text, i);
      tokens.push({ t: 'literal', v: value, at: i });
      i = next;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i));
      if (!m) throw new ODataFilterError(`Syntax error at position ${i} in '${text}'.`);
      tokens.push({ t: 'literal', v: Number(m[0]), at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
      const word = m?.[0] ?? c;
      const at = i;
      i += word.length;
      if (text[i] === "'") {
        // Enum literal such as Microsoft.Dynamics.DataEntities.NoYes'Yes': compare by its name.
        const [value, next] = readString(text, i);
        tokens.push({ t: 'literal', v: value, at });
        i = next;
      } else if (word === 'null' || word === 'true' || word === 'false') {
        tokens.push({ t: 'literal', v: word === 'null' ? null : word === 'true', at });
      } else {
        tokens.push({ t: 'word', v: word, at });
      }
    } else {
      throw new ODataFilterError(`Syntax error at position ${i} in '${text}': unexpected '${c}'.`);
    }
  }
  return tokens;
}

function readString(text: string, start: number): [string, number] {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return [value, i + 1];
    }
    value += text[i];
    i++;
  }
  throw new ODataFilterError(`Unterminated string literal at position ${start} in '${text}'.`);
}

type Operand = { field: string } | { value: Scalar };

/** Compiles `text` into a row predicate; `fields` are the properties the entity has. */
export function compileFilter(text: string, fields: readonly string[], entityType: string): Predicate {
  const tokens = tokenize(text);
  let pos = 0;
  const known = new Set(fields);
  const peek = () => tokens[pos];
  const fail = (message: string): never => {
    throw new ODataFilterError(`The query specified in the URI is not valid. ${message}`);
  };
  const isWord = (tok: Token | undefined, word: string) => tok?.t === 'word' && tok.v === word;

  const orExpr = (): Predicate => {
    let left = andExpr();
    while (isWord(peek(), 'or')) {
      pos++;
      const a = left;
      const b = andExpr();
      left = (row) => a(row) || b(row);
    }
    return left;
  };
  const andExpr = (): Predicate => {
    let left = unary();
    while (isWord(peek(), 'and')) {
      pos++;
      const a = left;
      const b = unary();
      left = (row) => a(row) && b(row);
    }
    return left;
  };
  const unary = (): Predicate => {
    const tok = peek();
    if (isWord(tok, 'not')) {
      pos++;
      const inner = unary();
      return (row) => !inner(row);
    }
    if (tok?.t === 'lparen') {
      pos++;
      const inner = orExpr();
      if (peek()?.t !== 'rparen') fail(`')' expected at position ${peek()?.at ?? text.length}.`);
      pos++;
      return inner;
    }
    return comparison();
  };
  const operand = (): Operand => {
    const tok = peek();
    if (!tok) return fail('An operand is missing at the end of the expression.');
    pos++;
    if (tok.t === 'literal') return { value: tok.v };
    if (tok.t === 'word') {
      if (peek()?.t === 'lparen') fail(`Unknown function '${tok.v}'.`);
      if (!known.has(tok.v)) fail(`Could not find a property named '${tok.v}' on type '${entityType}'.`);
      return { field: tok.v };
    }
    return fail(`Unexpected token at position ${tok.at}.`);
  };
  const comparison = (): Predicate => {
    const left = operand();
    const op = peek();
    if (isWord(op, 'in')) fail(`The 'in' operator is not supported; use 'or' of 'eq' comparisons.`);
    if (op?.t !== 'word' || !COMPARISONS.has(op.v)) {
      fail(
        `A comparison operator (eq, ne, gt, ge, lt, le) was expected at position ${op?.at ?? text.length}.`,
      );
    }
    pos++;
    const right = operand();
    const name = (op as { v: string }).v;
    const get = (o: Operand, row: Row): unknown => ('field' in o ? row[o.field] : o.value);
    return (row) => compare(name, get(left, row), get(right, row));
  };

  const predicate = orExpr();
  if (pos < tokens.length) {
    const tok = tokens[pos];
    if (isWord(tok, 'in')) fail(`The 'in' operator is not supported; use 'or' of 'eq' comparisons.`);
    fail(`Syntax error at position ${tok?.at ?? text.length} in '${text}'.`);
  }
  return predicate;
}

/** Strings compare without regard to case, like SCM's SQL collation. */
function compare(op: string, a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) {
    const equal = (a ?? null) === (b ?? null);
    return op === 'eq' ? equal : op === 'ne' ? !equal : false;
  }
  let x: string | number;
  let y: string | number;
  if (typeof a === 'number' || typeof b === 'number') {
    x = Number(a);
    y = Number(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return op === 'ne';
  } else {
    x = String(a).toLowerCase();
    y = String(b).toLowerCase();
  }
  switch (op) {
    case 'eq':
      return x === y;
    case 'ne':
      return x !== y;
    case 'gt':
      return x > y;
    case 'ge':
      return x >= y;
    case 'lt':
      return x < y;
    default:
      return x <= y;
  }
}
