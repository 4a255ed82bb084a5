// Issue 9 item 9: Void a line that never left the ledger; Correct one that did, by a linked
// reversing line. And the ledger format 5 that holds them, upgraded from a ledger with data.
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import { correctLine, voidLine } from '../../src/main/corrections/void-and-correct';
import { ingest } from '../../src/main/ingest/ingest';
import { MIGRATIONS, migrate } from '../../src/main/ledger/migrations';
import { openLayer, seedLine, tempDir } from '../helpers/layer';

let layer: BusinessLayer;
afterEach(async () => {
  await layer?.close();
});

function post(id: string, quantity = 5) {
  const outcome = ingest(layer.ledger, [seedLine({ id, quantity })], {
    source: 'api',
    createdBy: 't',
    instantIv: false,
  });
  if (outcome.kind !== 'ok') throw new Error(outcome.kind);
  return outcome.results[0]!.lineRecordId;
}

describe('void and correct', () => {
  it('voids a Created, never-sent line with a reason, keeps it, and leaves it out of the sync', () => {
    layer = openLayer();
    const id = post('v-1');
    const before = layer.sync.status().unsynced;
    const voided = voidLine(layer.ledger, layer.sync, id, 'Scanned the wrong shelf');
    expect(voided).toMatchObject({
      status: 'Voided',
      voidReason: 'Scanned the wrong shelf',
      voidedBy: expect.any(String),
    });
    expect(layer.sync.status().unsynced).toBe(before - 1);
    expect(layer.ledger.lines.countByStatus()).toMatchObject({ Created: 0, Voided: 1 });
    // The same id sent again is the same line, still voided: a resend cannot bring it back.
    const again = ingest(layer.ledger, [seedLine({ id: 'v-1' })], {
      source: 'api',
      createdBy: 't',
      instantIv: false,
    });
    expect(again).toMatchObject({ kind: 'ok', created: 0 });
    expect(layer.ledger.lines.get(id)!.status).toBe('Voided');
    expect(() => voidLine(layer.ledger, layer.sync, id, 'again')).toThrow('already voided');
  });

  it('refuses to void a line that left or was tried, and says what to do instead', () => {
    layer = openLayer();
    const sent = post('v-2');
    const tried = post('v-3');
    const db = layer.ledger.conn.db;
    db.prepare(
      "UPDATE adjustment_lines SET status = 'IVPosted', iv_posted_at = '2026-01-01T00:00:00Z' WHERE line_record_id = ?",
    ).run(sent);
    db.prepare('UPDATE adjustment_lines SET attempts = 1 WHERE line_record_id = ?').run(tried);
    expect(() => voidLine(layer.ledger, layer.sync, sent, 'too late')).toThrow(
      'post a correcting line instead',
    );
    expect(() => voidLine(layer.ledger, layer.sync, tried, 'too late')).toThrow('already tried to send');
    // The WHERE holds the rule even when the caller's check is skipped.
    expect(layer.ledger.lines.void(sent, 'x', 't', new Date().toISOString())).toBe(false);
  });

  it('corrects a line that left by posting its reversing line once, linked both ways', () => {
    layer = openLayer();
    const original = post('c-1', 7);
    expect(() => correctLine(layer.ledger, layer.entry, original)).toThrow('void it instead');
    layer.ledger.conn.db
      .prepare(
        "UPDATE adjustment_lines SET status = 'IVPosted', iv_posted_at = '2026-01-01T00:00:00Z' WHERE line_record_id = ?",
      )
      .run(original);
    const { correction, created } = correctLine(layer.ledger, layer.entry, original);
    expect(created).toBe(true);
    expect(correction).toMatchObject({
      quantity: -7,
      productId: 'D0001',
      status: 'Created',
      corrects: original,
    });
    expect(layer.ledger.lines.get(original)!.correctedBy).toBe(correction.lineRecordId);
    // A second click finds the same correction; a correction is not corrected again.
    expect(correctLine(layer.ledger, layer.entry, original)).toMatchObject({
      created: false,
      correction: { lineRecordId: correction.lineRecordId },
    });
    expect(layer.ledger.lines.countByStatus().Created).toBe(1);
    expect(() => correctLine(layer.ledger, layer.entry, correction.lineRecordId)).toThrow();
  });

  it('upgrades a ledger with lines to format 5, keeping rows, indexes, triggers and counts', () => {
    const file = path.join(tempDir(), 'ledger.sqlite');
    const db = new Sqlite(file);
    migrate(
      db,
      file,
      MIGRATIONS.filter((m) => m.version < 5),
    );
    db.exec(`INSERT INTO adjustment_lines (line_record_id, id, content_hash, organization_id, product_id,
      quantity_data_source, physical_measure, quantity, dimensions, site_id, location_id, trans_date, status,
      source, created_at, created_by) VALUES ('r1', 'id1', 'h', 'usmf', 'D1', '@iv', 'adjustment', 2, '{}', '1', '13',
      '2026-01-01', 'Created', 'api', '2026-01-01T00:00:00Z', 't');
      UPDATE line_status_counts SET n = 1 WHERE status = 'Created';`);
    const indexes = () =>
      db
        .prepare(
          "SELECT name FROM sqlite_master WHERE tbl_name = 'adjustment_lines' AND type IN ('index','trigger') ORDER BY name",
        )
        .pluck()
        .all();
    const before = indexes();
    // Step 5 alone: later steps may add indexes of their own.
    migrate(
      db,
      file,
      MIGRATIONS.filter((m) => m.version <= 5),
    );
    expect(indexes()).toEqual(before);
    expect(db.prepare('SELECT id, status, void_reason, corrects FROM adjustment_lines').all()).toEqual([
      { id: 'id1', status: 'Created', void_reason: null, corrects: null },
    ]);
    // The count triggers came back: a status change moves the counters.
    db.exec("UPDATE adjustment_lines SET status = 'Voided' WHERE id = 'id1'");
    expect(
      db
        .prepare(
          "SELECT status, n FROM line_status_counts WHERE status IN ('Created','Voided') ORDER BY status",
        )
        .all(),
    ).toEqual([
      { status: 'Created', n: 0 },
      { status: 'Voided', n: 1 },
    ]);
    expect(() => db.exec("UPDATE adjustment_lines SET status = 'Lost' WHERE id = 'id1'")).toThrow(/CHECK/);
    db.close();
  });
});
