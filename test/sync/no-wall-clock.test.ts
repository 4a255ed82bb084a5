import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/layer';

/*
 * The sync engine reads time only from its Clock (src/main/clock): that is what lets a test move
 * time instead of waiting for it. A read of the computer's clock, or a Node timer, slipping back
 * into src/main/sync would make that code wait in real time under a test clock. Each entry of
 * ALLOWED says why its line must be real time.
 */
const SYNC = path.resolve(__dirname, '../../src/main/sync');

const WALL_CLOCK: readonly RegExp[] = [
  /\bDate\.now\(/,
  /\bnew Date\(/,
  /\bperformance\.now\(/,
  /\bset(Timeout|Interval|Immediate)\(/,
];

/** file (relative to src/main/sync) → the line's text (trimmed) → why it is real time. */
const ALLOWED: Record<string, Record<string, string>> = {
  // Nothing: how long real work took (an upstream call, a slice of aggregation) is measured with
  // the clock module's realNow(), named for what it is.
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

function wallClockReads(root = SYNC): string[] {
  const found: string[] = [];
  for (const file of sources(root)) {
    const rel = path.relative(root, file);
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!WALL_CLOCK.some((re) => re.test(code(line)))) return;
        if (ALLOWED[rel]?.[line.trim()] !== undefined) return;
        found.push(`src/main/sync/${rel}:${i + 1}: ${line.trim()}`);
      });
  }
  return found;
}

describe('time in the sync engine', () => {
  it('comes from its Clock only: no Date.now(), new Date(, performance.now() or Node timer in src/main/sync', () => {
    expect(wallClockReads()).toEqual([]);
  });

  it('allows only lines that are still there (a stale entry would hide a new read)', () => {
    for (const [rel, lines] of Object.entries(ALLOWED)) {
      const text = fs
        .readFileSync(path.join(SYNC, rel), 'utf8')
        .split('\n')
        .map((l) => l.trim());
      for (const line of Object.keys(lines)) expect(text, `${rel}: ${line}`).toContain(line);
    }
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
      ].join('\n'),
    );
    expect(wallClockReads(dir)).toEqual([
      'src/main/sync/scm/probe.ts:2: export const at = () => Date.now();',
      'src/main/sync/scm/probe.ts:3: export const t = () => setTimeout(() => {}, 1);',
      'src/main/sync/scm/probe.ts:4: export const d = (ms: number) => new Date(ms);',
    ]);
  });
});
