import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../bench/harness';
import { Ledger } from '../../src/main/ledger';
import { LedgerConnection } from '../../src/main/ledger/connection';
import { connectionOf } from '../../src/main/ledger/internal';
import type { SyncStatus } from '../../src/shared/sync-status';
import { ensureBuiltServer, killServer } from '../helpers/built-server';
import { tempDir } from '../helpers/layer';
import { type Emulator, provisioningConfig, startEmulator } from '../upstream-emulator';
import { prng } from '../upstream-emulator/faults';
import {
  dataset,
  expectEndState,
  expectIvQuantities,
  expectNothingTwice,
  MAPPINGS,
  postLines,
  readEndState,
} from './fixtures';

const KEY = 'kill-test-api-key-0123456789';
const KILLS = 14;

let emulator: Emulator | null = null;
let server: ServerProcess | null = null;

// The built server must contain the sync engine under test.
beforeAll(() => ensureBuiltServer(), 130_000);

afterAll(async () => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  await emulator?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function start(dataDir: string, config: string): Promise<ServerProcess> {
  const s = await startServer(dataDir, config, { STORE_LEDGER_API_KEY: KEY });
  // --config clears and re-runs Initialize at every start: wait for it.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const health = (await (await fetch(`${s.baseUrl}/health`)).json()) as {
      ledger: { initialized: boolean };
    };
    if (health.ledger.initialized) return s;
    if (Date.now() > deadline) throw new Error('the server did not initialize');
    await sleep(50);
  }
}

function syncAll(s: ServerProcess, env: string): Promise<{ status: SyncStatus } | null> {
  return fetch(`${s.baseUrl}/api/environment/${env}/transaction/sync?job=all`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}` },
  })
    .then((r) => (r.ok ? (r.json() as Promise<{ status: SyncStatus }>) : null))
    .catch(() => null);
}

describe('kill -9 during sync', () => {
  it(`loses nothing and counts nothing twice across ${KILLS} kills at random moments`, async () => {
    emulator = await startEmulator({ importDelayMs: 300, postingDelayMs: 500 });
    const env = emulator.credentials.environmentId;
    const dataDir = tempDir();
    const config = path.join(tempDir(), 'config.json');
    const provisioning = provisioningConfig(emulator) as { transactions: Record<string, unknown> };
    fs.writeFileSync(
      config,
      JSON.stringify({
        ...provisioning,
        // Only "Sync now" runs the jobs here, so that the kills land inside those runs;
        // small journals give the kills more moments between enqueue and read back.
        transactions: {
          ...provisioning.transactions,
          periodicSyncToIV: false,
          periodicSyncToFno: false,
          fnoSyncMaxLineCount: 10,
        },
        mappings: MAPPINGS,
      }),
    );
    const planned = dataset('kill');
    const errorLines = planned.filter(
      (p) => p.expected === 'FnOCreateError' || p.expected === 'FnOPostError',
    ).length;

    // Lines arrive in waves, one before each "Sync now", so that every kill finds work in
    // progress. The groups whose outcome depends on being aggregated together (the net-zero
    // pair, the two issues that together exceed the on-hand) travel in the first wave.
    const together = planned.filter((p) => p.expected === 'DoNotSync' || p.expected === 'FnOPostError');
    const rest = planned.filter((p) => !together.includes(p));
    const size = Math.ceil(rest.length / KILLS);
    const waves = Array.from({ length: KILLS }, (_, i) => rest.slice(i * size, (i + 1) * size));
    waves[0] = [...together, ...waves[0]!];

    server = await start(dataDir, config);
    const random = prng(20240501);
    const moments: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      await postLines(`${server.baseUrl}/api/environment/${env}/transaction`, KEY, waves[i]!, 60);
      const pending = syncAll(server, env);
      // Half the kills early, where the IV call and the first enqueues are; half later, in the polling.
      const at = Math.round(i % 2 === 0 ? 5 + random() * 150 : 150 + random() * 1350);
      moments.push(at);
      await sleep(at);
      await killServer(server);
      await pending;
      server = await start(dataDir, config);
    }

    let settledAfter = 0;
    for (;;) {
      const answer = await syncAll(server, env);
      settledAfter++;
      const s = answer?.status;
      if (
        s &&
        s.lineCounts.Created + s.lineCounts.IVPosted === 0 &&
        s.aggregatedCounts.Created + s.aggregatedCounts.FnOSent === 0 &&
        s.unsynced + s.awaitingPosting === errorLines
      )
        break;
      if (settledAfter > 20) throw new Error(`not settled: ${JSON.stringify(s)}`);
      await sleep(200);
    }
    await server.stop();
    expect(server.child.exitCode).toBe(0);

    const ledger = new Ledger(new LedgerConnection(path.join(dataDir, 'ledger.sqlite')));
    try {
      expect(connectionOf(ledger).integrityCheck()).toEqual([]);
      const state = readEndState(ledger);
      // The headless server counts *Posting overdue after* in real hours: the journal SCM's
      // posting job cannot post is FnOPostError only once a journal numbered after it was read
      // posted (SCM's job visibly passed it over); until then it is FnOCreated, unposted in SCM.
      const journals = emulator.admin.journals();
      const stuck = journals.find((j) => j.JournalNameId === 'IVAdj2');
      const passedOver =
        stuck !== undefined &&
        journals.some(
          (j) =>
            j.dataAreaId === stuck.dataAreaId &&
            j.IsPosted === 'Yes' &&
            j.JournalNumber > stuck.JournalNumber,
        );
      const awaitingOverdue = planned.map((p) =>
        p.expected === 'FnOPostError' && !passedOver ? { ...p, expected: 'FnOCreated' as const } : p,
      );
      expectEndState(state, awaitingOverdue, emulator);
      const unposted = [...state.aggregated.values()].filter(
        (a) => a.productId === 'D0002' && a.fnoJournalNameId === 'IVAdj2',
      );
      expect(unposted.length).toBeGreaterThan(0);
      for (const a of unposted) {
        const journal = emulator.admin
          .journals()
          .find((j) => j.JournalNumber === a.journalNumber && j.dataAreaId === 'usmf');
        expect(journal?.IsPosted).toBe('No');
      }
      expectNothingTwice(state, emulator);
      await expectIvQuantities(state, emulator);
      const interrupted = connectionOf(ledger)
        .db.prepare("SELECT count(*) FROM sync_runs WHERE message LIKE 'Interrupted%'")
        .pluck()
        .get() as number;
      const foundOnReadBack = (
        connectionOf(ledger).db.prepare('SELECT counts FROM sync_runs').pluck().all() as string[]
      ).reduce((n, counts) => n + ((JSON.parse(counts) as Record<string, number>).foundOnReadBack ?? 0), 0);
      const c = emulator.admin.counters();
      console.log(
        `kill -9: kills at ${moments.join(', ')} ms into "Sync now"; ${interrupted} runs interrupted; ` +
          `settled after ${settledAfter} more request(s); IV duplicates ${c.ivEventsDuplicate}, ` +
          `SCM enqueue calls ${c.scmEnqueueCalls}, duplicate rows ${c.scmRowsDuplicate}, lines found by a read back before resending ${foundOnReadBack}`,
      );
      expect(interrupted).toBeGreaterThan(0);
    } finally {
      ledger.close();
    }
  }, 120_000);
});
