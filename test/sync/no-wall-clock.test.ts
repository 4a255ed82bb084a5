import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/layer';

/*
 * The sync engine and the ledger read time only from their Clock (src/main/clock): that is what
 * lets a test move time instead of waiting for it. A read of the computer's clock, or a Node
 * timer, slipping back in would make that code stamp or wait in real time under a test clock.
 * src/main/sync allows nothing; in src/main/ledger each allowed read says why it is real time
 * (by file and kind of read, so that rewriting the line around it does not need this file).
 */
const SRC = path.resolve(__dirname, '../../src/main');

const WALL_CLOCK: Record<string, RegExp> = {
  'Date.now(': /\bDate\.now\(/,
  'new Date(': /\bnew Date\(/,
  'performance.now(': /\bperformance\.now\(/,
  'a Node timer': /\bset(Timeout|Interval|Immediate)\(/,
};
type Read = keyof typeof WALL_CLOCK;

/** file (relative to its folder) → the reads it may make, and why they are real time. */
type Allowed = Record<string, { reads: Read[]; why: string }>;

const SYNC_ALLOWED: Allowed = {
  // Nothing: how long real work took (an upstream call, a slice of aggregation) is measured with
  // the clock module's realNow(), named for what it is.
};

const LEDGER_ALLOWED: Allowed = {
  'bulk-worker.ts': {
    reads: ['Date.now('],
    why: 'the deadline for a bulk writer thread that stopped answering: a real thread, real time',
  },
  'bulk-writes.ts': {
    reads: ['performance.now(', 'a Node timer'],
    why: "how long the sync waits for the bulk writer's real thread before it writes anyway",
  },
  'health.ts': {
    reads: ['a Node timer'],
    why: 'the disk probe while the disk is full or failing: the disk recovers in real time',
  },
  'integrity.ts': {
    reads: ['performance.now('],
    why: "the check's duration (real work in a worker thread); its checkedAt is the clock's",
  },
  'grid-query.ts': {
    reads: ['new Date('],
    why: "parses the caller's from/to dates into ISO: reads no clock",
  },
  'audit.ts': {
    reads: ['new Date('],
    why: "parses the audit trail's from/to filter into ISO: reads no clock",
  },
  'migrations/0014-audit.ts': {
    reads: ['new Date('],
    why: 'the genesis events of the upgrade: a migration runs as the file opens, before the ledger has its clock',
  },
};

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Code only: a comment may name Date.now() to say why it is not used. */
const code = (line: string) => line.replace(/\/\/.*$/, '').replace(/^\s*(\/\*\*?|\*).*$/, '');

/** Every read of the computer's clock under `root` that `allowed` does not allow, as `label/file:line: text`. */
function wallClockReads(root: string, label: string, allowed: Allowed = {}): string[] {
  const found: string[] = [];
  for (const file of sources(root)) {
    const rel = path.relative(root, file);
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const [read, re] of Object.entries(WALL_CLOCK)) {
          if (!re.test(code(line)) || allowed[rel]?.reads.includes(read as Read)) continue;
          found.push(`${label}/${rel}:${i + 1}: ${line.trim()}`);
          return;
        }
      });
  }
  return found;
}

/** Allowed reads no longer made: a stale entry would hide a new read. */
function stale(root: string, allowed: Allowed): string[] {
  return Object.entries(allowed).flatMap(([rel, { reads }]) => {
    const file = path.join(root, rel);
    const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').map(code) : [];
    return reads
      .filter((read) => !lines.some((l) => WALL_CLOCK[read]!.test(l)))
      .map((read) => `${rel}: ${read}`);
  });
}

describe('time in the sync engine and the ledger', () => {
  it('comes from their Clock only: no Date.now(), new Date(, performance.now() or Node timer in src/main/sync', () => {
    expect(wallClockReads(path.join(SRC, 'sync'), 'src/main/sync', SYNC_ALLOWED)).toEqual([]);
  });

  it('in src/main/ledger, reads the real clock only where it must, each place saying why', () => {
    expect(wallClockReads(path.join(SRC, 'ledger'), 'src/main/ledger', LEDGER_ALLOWED)).toEqual([]);
    expect(stale(path.join(SRC, 'ledger'), LEDGER_ALLOWED)).toEqual([]);
    expect(stale(path.join(SRC, 'sync'), SYNC_ALLOWED)).toEqual([]);
  });

  it('finds a read that slips in (the check itself works)', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'scm'));
    fs.writeFileSync(
      path.join(dir, 'scm', 'probe.ts'),
      [
        '// Date.now() in a comment is fine',
        'export const at = () => Date.now();',
        'export const t = () => setTimeout(() => {}, 1);',
        'export const d = (ms: number) => new Date(ms);',
        'export const p = () => performance.now();',
      ].join('\n'),
    );
    expect(wallClockReads(dir, 'src/main/sync')).toEqual([
      'src/main/sync/scm/probe.ts:2: export const at = () => Date.now();',
      'src/main/sync/scm/probe.ts:3: export const t = () => setTimeout(() => {}, 1);',
      'src/main/sync/scm/probe.ts:4: export const d = (ms: number) => new Date(ms);',
      'src/main/sync/scm/probe.ts:5: export const p = () => performance.now();',
    ]);
    // Allowed by kind for its file only; an allowance nothing uses is reported.
    const allowed: Allowed = { 'scm/probe.ts': { reads: ['a Node timer', 'Date.now('], why: 'test' } };
    expect(wallClockReads(dir, 'x', allowed)).toHaveLength(2);
    expect(
      stale(dir, {
        'scm/probe.ts': { reads: ['a Node timer'], why: 'test' },
        'gone.ts': { reads: ['Date.now('], why: 'test' },
      }),
    ).toEqual(['gone.ts: Date.now(']);
  });
});
