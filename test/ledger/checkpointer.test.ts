import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerConnection } from '../../src/main/ledger/connection';
import { tempDir } from '../helpers/layer';

const open: LedgerConnection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

describe('the checkpointer thread', () => {
  it('copies the WAL into the ledger file off the loop, and says when it has caught up', async () => {
    const file = path.join(tempDir(), 'ledger.sqlite');
    const conn = new LedgerConnection(file);
    open.push(conn);
    // As during an aggregation run: this connection's commits leave the WAL alone.
    conn.db.pragma('wal_autocheckpoint = 0');
    const before = fs.statSync(file).size;
    const put = conn.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    for (let i = 0; i < 4; i++) conn.writeNow(() => put.run(`probe-${i}`, 'x'.repeat(1_000_000)));
    expect(fs.statSync(file).size).toBe(before);

    // Asked several times while one runs: they coalesce, and the promise waits for the last.
    conn.bulk.checkpointInBackground();
    conn.bulk.checkpointInBackground();
    conn.bulk.checkpointInBackground();
    await conn.bulk.checkpointed();
    expect(fs.statSync(file).size).toBeGreaterThan(before + 3_000_000);
    // Nothing left to copy: a checkpoint here finds every frame already in the file.
    const [state] = conn.db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    expect(state!.checkpointed).toBe(state!.log);
    await expect(conn.bulk.checkpointed()).resolves.toBeUndefined();
  });
});
