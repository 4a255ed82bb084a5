import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerConnection } from '../../src/main/ledger/connection';
import { runIntegrityCheck } from '../../src/main/ledger/integrity';
import { openLayer, tempDir } from '../helpers/layer';
import { asAdmin, call } from '../helpers/people';

describe('integrity check on demand', () => {
  it('reports a sound ledger as ok, from a worker, while the ledger stays open for writing', async () => {
    const file = path.join(tempDir(), 'ledger.sqlite');
    const conn = new LedgerConnection(file);
    conn.db.prepare("INSERT INTO settings (key, value) VALUES ('a', 'b')").run();
    const report = await runIntegrityCheck(file);
    expect(report).toMatchObject({ ok: true, problems: [] });
    conn.close();
  });

  it('names what is wrong in a damaged ledger', async () => {
    const file = path.join(tempDir(), 'ledger.sqlite');
    const conn = new LedgerConnection(file);
    const insert = conn.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    conn.writeNow(() => {
      for (let i = 0; i < 3000; i++) insert.run(`key-${i}`, 'v'.repeat(100));
    });
    conn.close();
    const pages = fs.statSync(file).size / 4096;
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(4096 * 4, 0x5a), 0, 4096 * 4, 4096 * Math.floor(pages / 2));
    fs.closeSync(fd);
    const report = await runIntegrityCheck(file);
    expect(report.ok).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);
  });

  it('is one RPC action away for Settings and diagnostics', async () => {
    const layer = openLayer();
    try {
      expect(await call(layer, await asAdmin(layer), 'ledger.integrityCheck', {})).toMatchObject({
        ok: true,
        value: { ok: true, problems: [], durationMs: expect.any(Number) },
      });
    } finally {
      await layer.close();
    }
  });
});
