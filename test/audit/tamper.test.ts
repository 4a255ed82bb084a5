// The ledger file edited behind the app, with the app closed: a line's quantity changed, an
// audit row deleted after dropping the triggers, a line from before the audit existed changed.
// Each is found when the app's layer is opened again, and said in words.
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import { LEDGER_FILE } from '../../src/main/ledger';
import type { AuditVerifyReport } from '../../src/shared/audit';
import { openLayer, seedLine, tempDir } from '../helpers/layer';
import { ledgerAtVersion } from '../helpers/ledger-at';
import { call, signedIn } from '../helpers/people';

const open: BusinessLayer[] = [];
afterEach(async () => {
  for (const layer of open.splice(0)) await layer.close();
});

function layerAt(dir: string): BusinessLayer {
  const layer = openLayer(dir);
  open.push(layer);
  return layer;
}

/** A ledger with lines from a manager's Create and from a store system's bulk, then closed. */
async function ledgerWithLines(): Promise<string> {
  const dir = tempDir();
  const layer = openLayer(dir);
  const manager = await signedIn(layer, 'manager');
  const created = await call(layer, manager.caller, 'lines.create', { line: seedLine({ id: 'by-hand' }) });
  expect(created.ok).toBe(true);
  const bulk = Array.from({ length: 30 }, (_, i) => seedLine({ id: `bulk-${i}`, quantity: i + 1 }));
  await layer.entry.enter(bulk, { source: 'api', author: { kind: 'system', id: 'k1', name: 'POS' } });
  await layer.close();
  return dir;
}

async function verify(layer: BusinessLayer): Promise<AuditVerifyReport> {
  const manager = await signedIn(layer, 'manager');
  const reply = await call(layer, manager.caller, 'audit.verify');
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value as AuditVerifyReport;
}

describe('the audit trail finds edits of the ledger file made behind the app', () => {
  it('finds nothing when nobody touched the file', async () => {
    const report = await verify(layerAt(await ledgerWithLines()));
    expect(report.ok).toBe(true);
    expect(report.lines).toBe(31);
    expect(report.summary).toMatch(/match: nothing was changed/);
  });

  it('finds a line whose quantity was changed, naming the line, the field and since when', async () => {
    const dir = await ledgerWithLines();
    const db = new Sqlite(path.join(dir, LEDGER_FILE));
    db.prepare("UPDATE adjustment_lines SET quantity = 500 WHERE id = 'bulk-7'").run();
    const seq = (db.prepare("SELECT seq FROM adjustment_lines WHERE id = 'bulk-7'").get() as { seq: number })
      .seq;
    db.close();

    const report = await verify(layerAt(dir));
    expect(report.ok).toBe(false);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ kind: 'line-changed', lineSeq: seq, fields: ['quantity'] });
    expect(report.findings[0]!.message).toMatch(
      new RegExp(
        `^Line #${seq} \\(ID bulk-7, item D0001\\) was changed: its quantity is no longer what was entered \\(recorded by event #\\d+ \\(lines.entered by POS, `,
      ),
    );
    // Since when: the events before the POS's bulk still match.
    expect(report.summary).toMatch(
      /^The ledger file was changed outside Store Ledger: everything up to event #\d+ \(.+\) still matches\./,
    );
    expect(report.summary).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('checks at start in the background: the store keeps taking lines, the finding is a status', async () => {
    const dir = await ledgerWithLines();
    const db = new Sqlite(path.join(dir, LEDGER_FILE));
    db.prepare("UPDATE adjustment_lines SET location_id = '99' WHERE id = 'by-hand'").run();
    db.close();
    const layer = layerAt(dir);
    layer.audit.checkInBackground();
    expect(layer.audit.status().running).toBe(true);
    const clerk = await signedIn(layer, 'clerk');
    expect(
      (await call(layer, clerk.caller, 'lines.create', { line: seedLine({ id: 'meanwhile' }) })).ok,
    ).toBe(true);
    await expect.poll(() => layer.audit.status().running).toBe(false);
    const status = await call(layer, clerk.caller, 'audit.status');
    expect(status).toMatchObject({
      ok: true,
      value: {
        running: false,
        report: { ok: false, findings: [{ kind: 'line-changed', fields: ['location_id'] }] },
      },
    });
    expect((status as { value: { report: AuditVerifyReport } }).value.report.findings[0]!.message).toMatch(
      /its warehouse is no longer what was entered/,
    );
  });

  it('finds audit rows deleted after the triggers were dropped', async () => {
    const dir = await ledgerWithLines();
    const db = new Sqlite(path.join(dir, LEDGER_FILE));
    // The app's own connection is refused: the triggers stand.
    expect(() => db.prepare('DELETE FROM audit_events WHERE seq = 2').run()).toThrow(/append-only/);
    db.exec('DROP TRIGGER audit_events_no_delete; DROP TRIGGER audit_events_no_update;');
    const sign = db.prepare("SELECT seq FROM audit_events WHERE action = 'lines.create'").get() as {
      seq: number;
    };
    db.prepare('DELETE FROM audit_events WHERE seq = ?').run(sign.seq);
    db.close();

    const report = await verify(layerAt(dir));
    expect(report.ok).toBe(false);
    expect(report.findings[0]).toMatchObject({ kind: 'events-missing', eventSeq: sign.seq + 1 });
    expect(report.findings[0]!.message).toBe(
      `Audit rows were removed between #${sign.seq - 1} and #${sign.seq + 1}.`,
    );
    expect(report.lastGood?.seq).toBe(sign.seq - 1);
  });

  it('finds an audit row edited with its hash left as it was', async () => {
    const dir = await ledgerWithLines();
    const db = new Sqlite(path.join(dir, LEDGER_FILE));
    db.exec('DROP TRIGGER audit_events_no_update;');
    db.prepare("UPDATE audit_events SET actor_name = 'Someone else' WHERE action = 'lines.create'").run();
    db.close();
    const report = await verify(layerAt(dir));
    expect(report.findings[0]).toMatchObject({ kind: 'event-changed' });
    expect(report.findings[0]!.message).toMatch(
      /^Audit row #\d+ \(lines.create by Someone else, .+\) was edited\.$/,
    );
  });

  it('finds a deleted line and lines added with SQL', async () => {
    const dir = await ledgerWithLines();
    const db = new Sqlite(path.join(dir, LEDGER_FILE));
    const seq = (db.prepare("SELECT seq FROM adjustment_lines WHERE id = 'bulk-3'").get() as { seq: number })
      .seq;
    db.prepare('DELETE FROM adjustment_lines WHERE seq = ?').run(seq);
    db.prepare(
      `INSERT INTO adjustment_lines (line_record_id, id, content_hash, organization_id, product_id, quantity_data_source,
         physical_measure, quantity, dimensions, site_id, location_id, trans_date, status, source, created_at, created_by)
       SELECT 'sneaked', 'sneaked', content_hash, organization_id, product_id, quantity_data_source, physical_measure,
         99, dimensions, site_id, location_id, trans_date, 'Created', source, created_at, created_by
       FROM adjustment_lines WHERE id = 'bulk-4'`,
    ).run();
    db.close();
    const report = await verify(layerAt(dir));
    const kinds = report.findings.map((f) => f.kind);
    expect(kinds).toEqual(['line-missing', 'lines-unrecorded']);
    expect(report.findings[0]!.message).toMatch(
      new RegExp(`^Line #${seq}, recorded by event #\\d+ .*, was deleted\\.$`),
    );
    expect(report.findings[1]!.message).toMatch(
      /^Line #\d+ is in the ledger without an audit event: it was added outside Store Ledger\.$/,
    );
  });

  it('covers lines from before the audit existed with the genesis event at the upgrade', async () => {
    // A ledger of the release before the audit (version 13) with two lines: opening it runs
    // migration 14, which writes the genesis event over them.
    const { file, db } = ledgerAtVersion(13);
    const dir = path.dirname(file);
    const insert = db.prepare(`INSERT INTO adjustment_lines (line_record_id, id, content_hash,
      organization_id, product_id, quantity_data_source, physical_measure, quantity, dimensions,
      site_id, location_id, trans_date, status, source, created_at, created_by)
      VALUES (?, ?, ?, 'usmf', 'D0001', '@iv', 'adjustment', ?, '{"siteId":"1","locationId":"13"}',
      '1', '13', '2026-01-05', 'Created', 'api', '2026-01-05T09:00:00.000Z', 'POS')`);
    insert.run('r-old-1', 'old-1', 'hash-old-1', 1);
    insert.run('r-old-2', 'old-2', 'hash-old-2', 7);
    db.close();

    const upgraded = layerAt(dir);
    const genesis = upgraded.ledger.audit.list({ top: 10, skip: 0 }).value;
    expect(genesis.map((e) => [e.action, e.lines_count])).toEqual([['audit.genesis', 2]]);
    await upgraded.close();
    open.pop();

    const edit = new Sqlite(file);
    edit.prepare("UPDATE adjustment_lines SET product_id = 'D0002' WHERE id = 'old-2'").run();
    edit.close();
    const report = await verify(layerAt(dir));
    expect(report.findings[0]).toMatchObject({ kind: 'line-changed', fields: ['product_id'] });
    expect(report.findings[0]!.message).toMatch(
      /its item is no longer what was entered \(recorded by event #1 \(audit.genesis by Store Ledger/,
    );
  });
});
