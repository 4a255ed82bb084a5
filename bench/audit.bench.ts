import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Sqlite from 'better-sqlite3';
import { LEDGER_FILE } from '../src/main/ledger';
import { LINE_FIELDS_SQL, LinesDigest } from '../src/main/ledger/audit-chain';
import { fmt, report, tempDir } from './harness';
import { benchLine } from './ingest.bench';
import { openLayerHere } from './layer-here';

const LINES = 100_000;
const PER_REQUEST = 1_000;

/**
 * The audit trail's check over a 100,000-line ledger entered through the app (1,000 lines per
 * request, so 100 line events): how long `audit.verify` takes, beside the same reads and
 * hashing done in one synchronous pass, and the longest block of the event loop meanwhile
 * (perf_hooks.monitorEventLoopDelay), beside the idle loop's. Then the upgrade's genesis over
 * the same lines (migration 14 run again on the file), beside a bare read of them.
 */
export async function benchAudit(): Promise<void> {
  console.log(`\n# Audit trail: audit.verify over ${fmt(LINES)} lines, and migration 14's genesis over them`);
  const dir = tempDir();
  // The bulk writer's thread and the check's turns hold nothing open: a server's socket would.
  const keepAlive = setInterval(() => {}, 1_000);
  try {
    let layer = openLayerHere(dir, 'bench-audit-key-0123456789');
    for (let first = 0; first < LINES; first += PER_REQUEST) {
      const body = Array.from({ length: PER_REQUEST }, (_, i) => benchLine(first + i));
      await layer.entry.enter(body, { source: 'api', author: { kind: 'system', id: 'k', name: 'bench' } });
    }
    const idle = await loopDuring(() => new Promise((resolve) => setTimeout(resolve, 2_000)));
    let answer: Awaited<ReturnType<typeof layer.audit.verify>> | undefined;
    const busy = await loopDuring(async () => {
      answer = await layer.audit.verify();
    });
    if (!answer?.ok) throw new Error(`the check found something: ${answer?.summary}`);
    await layer.close();

    const file = path.join(dir, LEDGER_FILE);
    const db = new Sqlite(file);
    const bare = () => {
      const t = performance.now();
      const digest = new LinesDigest(LINES);
      for (const line of db
        .prepare(`SELECT seq, ${LINE_FIELDS_SQL} FROM adjustment_lines ORDER BY seq`)
        .iterate())
        digest.add(line as Record<string, unknown>);
      digest.finish();
      return performance.now() - t;
    };
    const bareMs = bare();
    report(
      `audit.verify, ${fmt(LINES)} lines (ms)`,
      answer.durationMs,
      'ms',
      bareMs,
      'same reads and hashing at once',
    );
    report(
      'longest loop block during it (ms)',
      busy.longestMs,
      'ms',
      idle.longestMs,
      'idle loop, same run',
      '≤ 50 ms',
    );
    console.log(
      `  the check's own longest slice: ${fmt(answer.longestBlockMs, 1)} ms; ${answer.events} events`,
    );

    db.exec('DROP TABLE audit_events; PRAGMA user_version = 13;');
    db.close();
    const t = performance.now();
    layer = openLayerHere(dir, 'bench-audit-key-0123456789');
    const upgradeMs = performance.now() - t;
    await layer.close();
    report(`open with migration 14's genesis (ms)`, upgradeMs, 'ms', bareMs, 'the reads and hashing alone');
  } finally {
    clearInterval(keepAlive);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function loopDuring(work: () => Promise<unknown>): Promise<{ longestMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await work();
  histogram.disable();
  return { longestMs: histogram.max / 1e6 };
}
