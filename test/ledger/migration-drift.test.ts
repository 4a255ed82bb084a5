// Released migrations never change: a ledger that ran version N must mean the same thing on
// every machine. Each released migration's SQL is pinned by its hash; a new migration adds a
// line here in the same commit, and editing an old one fails this test.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/main/ledger/migrations';

const RELEASED: Record<number, string> = {
  1: 'dd72661a5d46c9a8',
  2: '4082ab958ecb3024',
  4: '6b47b60a3a8535de',
  5: '25218872bc42c552',
  6: '8fa2c51eba6906a7',
  7: '3a62d3b84e004191',
  8: '90c2665bb9f3ea43',
  9: '5a7a5d9b0fc9d6a0',
  10: 'd248e182002c8506',
  11: '3c7f1b4cb1f2301a',
  12: 'c0389aede07cdc38',
  13: '249223115bd3eb69',
  14: '8b989c3180bae2be',
  15: '29b7d3ae7dda61e0',
};

/** A migration is SQL, or a function (a table rebuild SQLite cannot say in ALTER): its source text. */
const hashOf = (up: string | ((...args: never[]) => unknown)) =>
  createHash('sha256').update(String(up).replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 16);

describe('migration drift guard', () => {
  it('keeps every released migration byte-for-byte (whitespace aside), and pins every migration', () => {
    const actual = Object.fromEntries(MIGRATIONS.map((m) => [m.version, hashOf(m.up)]));
    expect(actual).toEqual(RELEASED);
  });

  it('numbers migrations uniquely, in ascending order', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  });
});
