// Approving a held line stores it and marks it approved in one transaction: killed (-9) at any
// moment of a manager's run of approvals, and pressed again after the restart, every held line
// is stored exactly once, and only the approved ones are.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../bench/harness';
import { connectionOf } from '../../src/main/ledger/internal';
import { openLayer, seedLine, tempDir } from '../helpers/layer';

const CHILD = path.join(ROOT, 'test/helpers/approve-child.ts');
const HELD = 120;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Runs the approving child until it approved `count` lines (or finished), then kills it -9 within 0–4 ms. */
function approveThenKill(dir: string, count: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let seen = 0;
    let finished = false;
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout!.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        if (line === 'approved' && ++seen === count)
          setTimeout(() => child.kill('SIGKILL'), Math.random() * 4);
        if (line === 'done') finished = true;
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve(finished);
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

function state(dir: string) {
  const layer = openLayer(dir);
  const db = connectionOf(layer.ledger).db;
  const held = db.prepare('SELECT line_id, state, line_record_id FROM held_lines').all() as {
    line_id: string;
    state: string;
    line_record_id: string | null;
  }[];
  const lines = db.prepare('SELECT id, line_record_id, approved_by FROM adjustment_lines').all() as {
    id: string;
    line_record_id: string;
    approved_by: string | null;
  }[];
  return { held, lines, close: () => layer.close() };
}

describe('approving under kill -9', () => {
  it('stores each approved line once, and none that still waits, however often the manager’s run is killed', async () => {
    const dir = tempDir();
    const seeding = openLayer(dir);
    seeding.settings.update({ approvals: { unitsThreshold: 10 } });
    const clerk = { kind: 'person' as const, id: 'p-kill-clerk', name: 'Carl Clerk' };
    const entered = await seeding.entry.enter(
      Array.from({ length: HELD }, (_, i) => seedLine({ id: `held-${i}`, quantity: 20 + (i % 5) })),
      {
        source: 'form',
        author: clerk,
        confirmedLargeQuantity: true,
        approval: { role: 'clerk', kind: 'person', park: true },
      },
    );
    expect(entered.held).toHaveLength(HELD);
    await seeding.close();

    let kills = 0;
    for (const count of [3, 17, 1, 40, 9, 25]) {
      if (await approveThenKill(dir, count)) break;
      kills++;
      // After each kill: a line is in the ledger exactly when its held row says approved.
      const s = state(dir);
      try {
        const approved = s.held.filter((h) => h.state === 'approved');
        expect(s.lines.map((l) => l.id).sort()).toEqual(approved.map((h) => h.line_id).sort());
        for (const h of approved)
          expect(s.lines.find((l) => l.id === h.line_id)?.line_record_id).toBe(h.line_record_id);
      } finally {
        await s.close();
      }
    }
    expect(kills).toBeGreaterThanOrEqual(3);
    // The last run finishes: every line once, each approved by the manager, the clerk its author.
    expect(await approveThenKill(dir, Number.POSITIVE_INFINITY)).toBe(true);
    const end = state(dir);
    try {
      expect(end.held.every((h) => h.state === 'approved')).toBe(true);
      expect(end.lines).toHaveLength(HELD);
      expect(new Set(end.lines.map((l) => l.id)).size).toBe(HELD);
      expect(end.lines.every((l) => l.approved_by === 'Mia Manager')).toBe(true);
    } finally {
      await end.close();
    }
  }, 120_000);
});
