import { describe, expect, it } from 'vitest';
import { compileFilter, filterLookup, ODataFilterError, parseFilter } from './odata-filter';

describe('odata filter', () => {
  const fields = ['A', 'B', 'N'];
  const rows = [
    { A: 'x', B: 'one', N: 1 },
    { A: 'y', B: 'two', N: 2 },
    { A: "o'k", B: 'three', N: 3 },
  ];
  const run = (f: string) => rows.filter(compileFilter(f, fields, 'T')).map((r) => r.N);

  it('supports eq, ne, and, or, not, parentheses, precedence and quotes', () => {
    expect(run("A eq 'X'")).toEqual([1]);
    expect(run("A ne 'x'")).toEqual([2, 3]);
    expect(run("A eq 'x' or A eq 'y' and B eq 'one'")).toEqual([1]);
    expect(run("(A eq 'x' or A eq 'y') and B eq 'two'")).toEqual([2]);
    expect(run("A eq 'o''k'")).toEqual([3]);
    expect(run('N ge 2 and not (N eq 3)')).toEqual([2]);
  });

  it('refuses in, functions and unknown properties', () => {
    expect(() => compileFilter("A in ('x','y')", fields, 'T')).toThrow(/'in' operator is not supported/);
    expect(() => compileFilter("contains(A,'x')", fields, 'T')).toThrow(ODataFilterError);
    expect(() => compileFilter("Z eq 'x'", fields, 'T')).toThrow(/property named 'Z'/);
    expect(() => compileFilter("A eq 'x", fields, 'T')).toThrow(ODataFilterError);
  });

  it('names the index lookup of a pure eq disjunction on one indexed field, and nothing else', () => {
    const lookup = (f: string, indexed = ['A']) => filterLookup(parseFilter(f, fields, 'T'), indexed);
    expect(lookup("A eq 'x' or A eq 'Y' or 'z' eq A")).toEqual({ field: 'A', values: ['x', 'Y', 'z'] });
    expect(lookup("(A eq 'x' and B eq 'one') or A eq 'y'")).toEqual({ field: 'A', values: ['x', 'y'] });
    expect(lookup("B eq 'one' and (A eq 'x' or A eq 'y')")).toEqual({ field: 'A', values: ['x', 'y'] });
    expect(lookup("A eq 'x' and B ne 'one'")).toEqual({ field: 'A', values: ['x'] });
    // Not narrowed: another field in an `or`, ne, not, numbers, null.
    expect(lookup("A eq 'x' or B eq 'one'")).toBeUndefined();
    expect(lookup("A eq 'x' or B eq 'one'", ['A', 'B'])).toBeUndefined();
    expect(lookup("A ne 'x'")).toBeUndefined();
    expect(lookup("not (A eq 'x')")).toBeUndefined();
    expect(lookup('N eq 1', ['N'])).toBeUndefined();
    expect(lookup('A eq null')).toBeUndefined();
    expect(lookup("B eq 'one'")).toBeUndefined();
  });
});
