import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerConnection } from '../../src/main/ledger/connection';
import { tempDir } from '../helpers/layer';

const open: LedgerConnection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

describe('durable answers', () => {
  it('commits with synchronous=FULL in WAL mode, so a 200 survives an OS crash or power cut', () => {
    const conn = new LedgerConnection(path.join(tempDir(), 'ledger.sqlite'));
    open.push(conn);
    expect(conn.db.pragma('journal_mode', { simple: true })).toBe('wal');
    // 2 = FULL: the WAL is synced at every commit, not only at checkpoints (1 = NORMAL).
    expect(conn.db.pragma('synchronous', { simple: true })).toBe(2);
  });
});
