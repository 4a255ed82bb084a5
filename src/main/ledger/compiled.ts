import type { Compilable } from 'kysely';

/** A value that changes from row to row of a statement compiled once (`compileOnce`). */
class Slot {
  constructor(readonly name: string) {}
}

/** A stand-in for the row's value named `name`, typed as the column it goes into. */
export function slot<T>(name: string): T {
  return new Slot(name) as unknown as T;
}

export interface Compiled {
  sql: string;
  /** The statement's parameters for one row: its values in the places of the slots. */
  bind(row: Readonly<Record<string, unknown>>): unknown[];
}

/**
 * A statement whose shape varies with its caller (which columns a status move sets), built by
 * Kysely once per call and run for every row of it: the values that change from row to row are
 * slots, bound per run. Building and compiling a query per row cost the IV job about 50 ms of
 * the event loop per 512 lines under load (iv-queue.ts `failed`).
 */
export function compileOnce(query: Compilable<unknown>): Compiled {
  const { sql, parameters } = query.compile();
  return {
    sql,
    bind: (row) => parameters.map((p) => (p instanceof Slot ? row[p.name] : p)),
  };
}
