import { describe, expect, it } from 'vitest';
import { compileFilter, ODataFilterError } from './odata-filter';

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
});
