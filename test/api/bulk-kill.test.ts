import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../bench/harness';
import { Ledger } from '../../src/main/ledger';
import { LedgerConnection } from '../../src/main/ledger/connection';
import { connectionOf } from '../../src/main/ledger/internal';
import { ensureBuiltServer, killServer } from '../helpers/built-server';
import { seedLine, tempDir } from '../helpers/layer';
import { prng } from '../upstream-emulator/faults';

/**
 * A big bulk is written by the bulk writer's thread in one transaction. Killed (-9) at any
 * moment of that request, the ledger holds all of the bulk or none of it, and the store
 * system's resend makes it whole exactly once.
 */
const KEY = 'bulk-kill-api-key-0123456789';
const ENV = 'env-bulk-kill';
const LINES = 10_000;
const KILLS = 6;

let server: ServerProcess | null = null;
beforeAll(() => ensureBuiltServer(), 130_000);
afterAll(() => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

async function count(s: ServerProcess, productId: string): Promise<number> {
  const res = await fetch(
    `${s.baseUrl}/api/environment/${ENV}/transaction/adjustment/lines?productId=${productId}&top=1`,
    { headers },
  );
  return ((await res.json()) as { count: number }).count;
}

describe('kill -9 during a big bulk', () => {
  it(`leaves all of it or none, ${KILLS} times, and a resend stores it once`, async () => {
    const dataDir = tempDir();
    const config = path.join(tempDir(), 'config.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        environmentId: ENV,
        transactions: { periodicSyncToIV: false, periodicSyncToFno: false },
      }),
    );
    const url = `/api/environment/${ENV}/transaction/adjustment/bulk`;
    const random = prng(4711);
    const seen: number[] = [];
    for (let wave = 0; wave < KILLS; wave++) {
      const product = `KILL${wave}`;
      const body = JSON.stringify(
        Array.from({ length: LINES }, (_, i) => seedLine({ id: `kill-${wave}-${i}`, productId: product })),
      );
      server = await startServer(dataDir, config, { STORE_LEDGER_API_KEY: KEY });
      const posting = fetch(server.baseUrl + url, { method: 'POST', headers, body }).catch(() => null);
      // Anywhere from reading the body to the commit in the bulk writer's thread.
      await sleep(100 + random() * 1_900);
      await killServer(server);
      await posting;

      server = await startServer(dataDir, config, { STORE_LEDGER_API_KEY: KEY });
      const after = await count(server, product);
      seen.push(after);
      expect([0, LINES]).toContain(after);
      const resend = await fetch(server.baseUrl + url, { method: 'POST', headers, body });
      expect(resend.status).toBe(200);
      expect(await count(server, product)).toBe(LINES);
      await server.stop();
    }
    const ledger = new Ledger(new LedgerConnection(path.join(dataDir, 'ledger.sqlite')));
    try {
      expect(connectionOf(ledger).integrityCheck()).toEqual([]);
      const total = connectionOf(ledger).db.prepare('SELECT count(*) AS n FROM adjustment_lines').get() as {
        n: number;
      };
      expect(total.n).toBe(KILLS * LINES);
      const counted = connectionOf(ledger)
        .db.prepare("SELECT n FROM line_status_counts WHERE status = 'Created'")
        .get() as { n: number };
      expect(counted.n).toBe(KILLS * LINES);
    } finally {
      ledger.close();
    }
    console.log(`bulk kill: lines found after each kill ${seen.join(', ')}`);
  }, 180_000);
});
