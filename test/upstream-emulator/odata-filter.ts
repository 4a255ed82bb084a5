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

/** A parsed $filter: what compileFilter evaluates and filterLookup reads for an index. */
export type FilterNode =
  | { k: 'or' | 'and'; a: FilterNode; b: FilterNode }
  | { k: 'not'; a: FilterNode }
  | { k: 'cmp'; op: string; left: Operand; right: Operand };

/** Parses `text`; `fields` are the properties the entity has. */
export function parseFilter(text: string, fields: readonly string[], entityType: string): FilterNode {
  const tokens = tokenize(text);
  let pos = 0;
  const known = new Set(fields);
  const peek = () => tokens[pos];
  const fail = (message: string): never => {
    throw new ODataFilterError(`The query specified in the URI is not valid. ${message}`);
  };
  const isWord = (tok: Token | undefined, word: string) => tok?.t === 'word' && tok.v === word;

  const orExpr = (): FilterNode => {
    let left = andExpr();
    while (isWord(peek(), 'or')) {
      pos++;
      left = { k: 'or', a: left, b: andExpr() };
    }
    return left;
  };
  const andExpr = (): FilterNode => {
    let left = unary();
    while (isWord(peek(), 'and')) {
      pos++;
      left = { k: 'and', a: left, b: unary() };
    }
    return left;
  };
  const unary = (): FilterNode => {
    const tok = peek();
    if (isWord(tok, 'not')) {
      pos++;
      return { k: 'not', a: unary() };
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
  const comparison = (): FilterNode => {
    const left = operand();
    const op = peek();
    if (isWord(op, 'in')) fail(`The 'in' operator is not supported; use 'or' of 'eq' comparisons.`);
    if (op?.t !== 'word' || !COMPARISONS.has(op.v)) {
      fail(
        `A comparison operator (eq, ne, gt, ge, lt, le) was expected at position ${op?.at ?? text.length}.`,
      );
    }
    pos++;
    return { k: 'cmp', op: (op as { v: string }).v, left, right: operand() };
  };

  const node = orExpr();
  if (pos < tokens.length) {
    const tok = tokens[pos];
    if (isWord(tok, 'in')) fail(`The 'in' operator is not supported; use 'or' of 'eq' comparisons.`);
    fail(`Syntax error at position ${tok?.at ?? text.length} in '${text}'.`);
  }
  return node;
}

/** Turns a parsed filter into a row predicate. */
export function toPredicate(node: FilterNode): Predicate {
  switch (node.k) {
    case 'or': {
      const a = toPredicate(node.a);
      const b = toPredicate(node.b);
      return (row) => a(row) || b(row);
    }
    case 'and': {
      const a = toPredicate(node.a);
      const b = toPredicate(node.b);
      return (row) => a(row) && b(row);
    }
    case 'not': {
      const a = toPredicate(node.a);
      return (row) => !a(row);
    }
    default: {
      const { op, left, right } = node;
      const get = (o: Operand, row: Row): unknown => ('field' in o ? row[o.field] : o.value);
      return (row) => compare(op, get(left, row), get(right, row));
    }
  }
}

/** Compiles `text` into a row predicate; `fields` are the properties the entity has. */
export function compileFilter(text: string, fields: readonly string[], entityType: string): Predicate {
  return toPredicate(parseFilter(text, fields, entityType));
}

/**
 * For an index: the field and values such that every row the filter accepts has one of those
 * values in that field (strings, compared without regard to case, as compare does), or
 * undefined when the filter does not say so. Sound, not exact: the caller still applies the
 * whole filter to the rows the index gives. `fields` are the indexed fields.
 *
 * - `F eq 'v'` narrows F to {v};
 * - `a and b` narrows as either side does (the left one first);
 * - `a or b` narrows only when both sides narrow the same field: the union;
 * - anything else (ne, not, numbers, null) does not narrow.
 */
export function filterLookup(
  node: FilterNode,
  fields: readonly string[],
): { field: string; values: string[] } | undefined {
  // Iterative over `or`: a read-back filter is a left-deep chain of ~70 of them.
  const walk = (n: FilterNode): { field: string; values: string[] } | undefined => {
    if (n.k === 'cmp') {
      if (n.op !== 'eq') return undefined;
      const [f, v] = 'field' in n.left ? [n.left, n.right] : [n.right, n.left];
      if (!('field' in f) || !('value' in v) || typeof v.value !== 'string') return undefined;
      return fields.includes(f.field) ? { field: f.field, values: [v.value] } : undefined;
    }
    if (n.k === 'and') return walk(n.a) ?? walk(n.b);
    if (n.k === 'or') {
      const sides: FilterNode[] = [];
      const stack: FilterNode[] = [n];
      while (stack.length > 0) {
        const x = stack.pop()!;
        if (x.k === 'or') stack.push(x.b, x.a);
        else sides.push(x);
      }
      let field: string | undefined;
      const values: string[] = [];
      for (const side of sides) {
        const found = walk(side);
        if (!found || (field !== undefined && found.field !== field)) return undefined;
        field = found.field;
        values.push(...found.values);
      }
      return field === undefined ? undefined : { field, values };
    }
    return undefined;
  };
  return walk(node);
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
