/**
 * The foreground promise, measured: what a till's single-line POST and a clerk's grid page
 * wait while long work runs, beside the same client's figures with nothing else running, on
 * the same server and ledger; and the server's own loop (this process serves it), watched by
 * perf_hooks. Shared by the foreground bench and the soak.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { ForegroundMessage, ForegroundStart, GridQuery, PhaseResult } from './foreground-client';
import { fmt, percentile, ROOT, report } from './harness';
import type { Client } from './load-calls';
import type { Call, Job, LoadMessage } from './load-client';

/** A stall of the server's loop past this is logged with the calls under way. */
const STALL_MS = 50;

/** A bench module in its own Node process, through tsx, with an IPC channel; `ready` once it listens. */
export function spawnTsx(file: string): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(__dirname, file)],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const ready = new Promise<void>((resolve, reject) => {
    const on = (m: { type: string }) => {
      if (m.type !== 'ready') return;
      child.off('message', on);
      resolve();
    };
    child.on('message', on);
    child.once('exit', (code) => reject(new Error(`bench/${file} exited with ${code}`)));
  });
  return { child, ready };
}

export interface LoopFigures {
  longestBlockMs: number;
  p99DelayMs: number;
  longestGcMs: number;
  /**
   * Stalls past STALL_MS: when they ended (Date.now()), how long they were, and how much of it
   * the loop's thread spent on a CPU (null off Linux). Much less than the stall: the thread
   * waited (for a core another process had, or for the disk), rather than ran code.
   */
  stalls: { end: number; ms: number; cpuMs: number | null }[];
}

/** The main thread's CPU time in ms (Linux /proc: utime + stime of the thread whose id is the pid). */
function mainThreadCpu(): (() => number) | null {
  const file = `/proc/self/task/${process.pid}/stat`;
  if (!fs.existsSync(file)) return null;
  let tick = 100;
  try {
    tick = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {}
  return () => {
    // The fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const stat = fs.readFileSync(file, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / tick;
  };
}

/** The server's loop, from this process (it serves the API): histogram, GC pauses, a stall log. */
export function watchLoop(): () => LoopFigures {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let longestGc = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longestGc = Math.max(longestGc, entry.duration);
  });
  gc.observe({ entryTypes: ['gc'] });
  const stalls: LoopFigures['stalls'] = [];
  const cpu = mainThreadCpu();
  let last = Date.now();
  let lastCpu = cpu?.() ?? 0;
  const tick = setInterval(() => {
    const now = Date.now();
    const nowCpu = cpu?.() ?? 0;
    if (now - last - 10 > STALL_MS)
      stalls.push({ end: now, ms: now - last - 10, cpuMs: cpu ? nowCpu - lastCpu : null });
    last = now;
    lastCpu = nowCpu;
  }, 10);
  return () => {
    clearInterval(tick);
    histogram.disable();
    gc.disconnect();
    return {
      longestBlockMs: histogram.max / 1e6,
      p99DelayMs: histogram.percentile(99) / 1e6,
      longestGcMs: longestGc,
      stalls,
    };
  };
}

/** The foreground client process, driven phase by phase. */
export class ForegroundProbe {
  private readonly spawned = spawnTsx('foreground-client.ts');
  private readonly child = this.spawned.child;

  async start(client: Client, queries: GridQuery[], products: string[], pauseMs = 20): Promise<void> {
    await this.spawned.ready;
    const start: ForegroundStart = { type: 'start', client, queries, products, pauseMs };
    this.child.send(start);
  }

  private next<T extends ForegroundMessage['type']>(
    type: T,
  ): Promise<Extract<ForegroundMessage, { type: T }>> {
    return new Promise((resolve) => {
      const on = (m: ForegroundMessage) => {
        if (m.type !== type) return;
        this.child.off('message', on);
        resolve(m as Extract<ForegroundMessage, { type: T }>);
      };
      this.child.on('message', on);
    });
  }

  /** Records the foreground and the server's loop while `during` runs. */
  async phase(during: () => Promise<void>): Promise<{ fg: PhaseResult; loop: LoopFigures; seconds: number }> {
    // Each phase starts from a collected heap (npm run bench passes --expose-gc): the set-up's garbage is not the phase's.
    (globalThis as { gc?: () => void }).gc?.();
    const started = performance.now();
    this.child.send({ type: 'phase' });
    const stop = watchLoop();
    await during();
    const loop = stop();
    const result = this.next('phase');
    this.child.send({ type: 'end' });
    return { fg: (await result).result, loop, seconds: (performance.now() - started) / 1000 };
  }

  /** Stops the client; answers the ids of every line it POSTed that was acknowledged. */
  async quit(): Promise<string[]> {
    const acked = this.next('acked');
    this.child.send({ type: 'quit' });
    return (await acked).ids;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** The load client process: jobs repeated until stopped, every call reported as it ends. */
export class LoadDriver {
  private readonly spawned = spawnTsx('load-client.ts');
  private readonly child = this.spawned.child;
  readonly calls: Call[] = [];
  private readonly stopped: Promise<void>;
  private readonly listeners = new Set<() => void>();

  constructor() {
    this.stopped = new Promise((resolve) =>
      this.child.on('message', (m: LoadMessage) => {
        if (m.type === 'stopped') return resolve();
        if (m.type !== 'call') return;
        this.calls.push(m.call);
        for (const listener of [...this.listeners]) listener();
      }),
    );
  }

  /** Waits for the process to listen: it starts before the phase, so its start-up is not load. */
  ready(): Promise<void> {
    return this.spawned.ready;
  }

  start(client: Client, jobs: Job[]): void {
    this.child.send({ type: 'start', client, jobs });
  }

  /** Resolves when every job has finished at least one call (true), or after `capMs` (false). */
  eachDoneOnce(jobs: Job[], capMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = () => jobs.every((j) => this.calls.some((c) => c.kind === j.kind));
      const cap = setTimeout(() => {
        this.listeners.delete(check);
        resolve(false);
      }, capMs);
      const check = () => {
        if (!done()) return;
        clearTimeout(cap);
        this.listeners.delete(check);
        resolve(true);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Lets the calls under way finish for up to `cutAfterMs`, aborts the rest, and stops. */
  async stop(cutAfterMs: number): Promise<void> {
    this.child.send({ type: 'stop', cutAfterMs });
    await this.stopped;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

/**
 * The most CPU time the loop's thread spent inside one stall: a stretch of the server's own
 * synchronous work at least that long, whatever else the machine ran (null off Linux).
 */
export function mostStallCpu(loop: LoopFigures): number | null {
  if (loop.stalls.some((s) => s.cpuMs === null)) return null;
  return Math.max(0, ...loop.stalls.map((s) => s.cpuMs!));
}

/** The foreground figures under load, each beside the same client's idle figure in the same run. */
export function printForeground(
  queries: GridQuery[],
  idle: { fg: PhaseResult; loop: LoopFigures },
  loaded: { fg: PhaseResult; loop: LoopFigures; seconds: number },
): void {
  const post = sorted(loaded.fg.post);
  const idlePost = sorted(idle.fg.post);
  for (const [p, target] of [
    [50, undefined],
    [95, undefined],
    [99, '≤ 20 ms'],
  ] as const)
    report(
      `single-line POST p${p} under load (ms)`,
      percentile(post, p),
      'ms',
      percentile(idlePost, p),
      `idle p${p}, same run`,
      target,
    );
  report(
    'longest event-loop block under load (ms)',
    loaded.loop.longestBlockMs,
    'ms',
    idle.loop.longestBlockMs,
    'idle, same run',
    '≤ 50 ms',
  );
  const cpu = mostStallCpu(loaded.loop);
  if (cpu !== null)
    console.log(
      `  the most CPU time the loop's thread spent inside one stall (its own work, not a wait for a core or the disk): ${fmt(cpu)} ms under load, ${fmt(mostStallCpu(idle.loop) ?? 0)} ms idle (stalls > ${STALL_MS} ms; ticks of 10 ms)`,
    );
  queries.forEach((q, i) => {
    report(
      `grid ${q.name} p95 under load`,
      percentile(sorted(loaded.fg.grid[i]!), 95),
      'ms',
      percentile(sorted(idle.fg.grid[i]!), 95),
      'idle p95, same run',
      '≤ 20 ms',
    );
  });
  for (const [name, r] of [
    ['idle', idle],
    ['load', loaded],
  ] as const)
    console.log(
      `  ${name}: ${r.fg.post.length} POSTs (max ${fmt(Math.max(...r.fg.post), 1)} ms), grid pages ${r.fg.grid.map((g) => g.length).join('/')}, ${r.fg.failures} failed${r.fg.firstFailure ? ` (first: ${r.fg.firstFailure})` : ''}; loop delay p99 ${fmt(r.loop.p99DelayMs, 1)} ms, longest GC pause ${fmt(r.loop.longestGcMs, 1)} ms, ${r.loop.stalls.length} stalls > ${STALL_MS} ms`,
    );
}

/** What the probe saw from `from` to `to` (Date.now()), and the longest logged stall in it. */
export function between(
  loaded: { fg: PhaseResult; loop: LoopFigures },
  from: number,
  to: number,
): { post: number[]; grid: number[][]; longestStallMs: number } {
  const inside = (values: number[], at: number[]) => values.filter((_, i) => at[i]! >= from && at[i]! < to);
  return {
    post: inside(loaded.fg.post, loaded.fg.postAt),
    grid: loaded.fg.grid.map((g, q) => inside(g, loaded.fg.gridAt[q]!)),
    longestStallMs: Math.max(
      0,
      ...loaded.loop.stalls.filter((s) => s.end - s.ms < to && s.end > from).map((s) => s.ms),
    ),
  };
}

/** The foreground figures of part of the loaded window (see `between`), beside the idle ones. */
export function printPart(
  label: string,
  queries: GridQuery[],
  idle: { fg: PhaseResult; loop: LoopFigures },
  part: ReturnType<typeof between>,
): void {
  const post = sorted(part.post);
  const idlePost = sorted(idle.fg.post);
  for (const p of [50, 95, 99])
    report(
      `single-line POST p${p}, ${label}`,
      percentile(post, p),
      'ms',
      percentile(idlePost, p),
      `idle p${p}`,
    );
  report(
    `longest loop stall, ${label}`,
    part.longestStallMs,
    'ms',
    idle.loop.longestBlockMs,
    'idle longest block',
  );
  queries.forEach((q, i) => {
    report(
      `grid ${q.name} p95, ${label}`,
      percentile(sorted(part.grid[i]!), 95),
      'ms',
      percentile(sorted(idle.fg.grid[i]!), 95),
      'idle p95',
    );
  });
  console.log(`  (${post.length} POSTs, grid pages ${part.grid.map((g) => g.length).join('/')})`);
}

/**
 * The stalls with the most CPU time of the loop's thread (the longest, off Linux), each with the
 * calls under way ('ends' when it ended within 2 s after, 'starts' when it began within 2 s before: a reply of 160 MB takes a while to arrive).
 */
export function printStalls(loop: LoopFigures, calls: Call[], origin: number, top = 6): void {
  const longest = [...loop.stalls].sort((a, b) => (b.cpuMs ?? b.ms) - (a.cpuMs ?? a.ms)).slice(0, top);
  for (const s of longest) {
    const start = s.end - s.ms;
    const during = calls
      .filter((c) => c.start <= s.end && c.end >= start)
      .map((c) =>
        c.end - s.end < 2000 ? `${c.kind} (ends)` : c.start - start > -2000 ? `${c.kind} (starts)` : c.kind,
      );
    const cpu = s.cpuMs === null ? '' : ` (its thread on a CPU ${fmt(s.cpuMs)} ms)`;
    console.log(
      `  stall ${fmt(s.ms)} ms${cpu} at +${fmt((start - origin) / 1000, 1)} s, under way: ${[...new Set(during)].join(', ') || 'none'}`,
    );
  }
}

/** Each job's calls: how many finished, when (seconds from `origin`) and how long, and the first failure's words. */
export function printCalls(calls: Call[], origin: number): void {
  const at = (t: number) => fmt((t - origin) / 1000, 1);
  for (const kind of [...new Set(calls.map((c) => c.kind))]) {
    const mine = calls.filter((c) => c.kind === kind);
    const finished = mine.filter((c) => !c.cut);
    const ms = sorted(finished.map((c) => c.end - c.start));
    const failed = finished.filter((c) => !c.ok);
    const cut = mine.filter((c) => c.cut);
    const first = finished[0];
    const took = first
      ? `${fmt(ms[0]! / 1000, 1)}–${fmt(ms[ms.length - 1]! / 1000, 1)} s each, the first from +${at(first.start)} to +${at(first.end)} s: ${first.detail.slice(0, 140)}`
      : 'none finished';
    const cutWords = cut.map((c) => `+${at(c.start)} to +${at(c.end)} s`).join(', ');
    console.log(
      `  ${kind.padEnd(12)} ${finished.length} calls, ${took}${cut.length > 0 ? `; cut short by the stop: ${cutWords}` : ''}${failed.length > 0 ? `; ${failed.length} failed: ${failed[0]!.detail.slice(0, 200)}` : ''}`,
    );
  }
}
