// Void a line IV cannot have counted, however often the IV job
// failed to reach IV; Correct any other, by a linked reversing line and, when asked, the line
// that should have been recorded. And the ledger formats 5 and 10 that hold them.
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import { correctLine, voidLine } from '../../src/main/corrections/void-and-correct';
import { ingest } from '../../src/main/ingest/ingest';
import { connectionOf } from '../../src/main/ledger/internal';
import { MIGRATIONS, migrate } from '../../src/main/ledger/migrations';
import { voidVerdict, WHY } from '../../src/shared/line-actions';
import { openLayer, seedLine, tempDir } from '../helpers/layer';
import { ledgerAtVersion } from '../helpers/ledger-at';
import { author } from '../helpers/people';

let layer: BusinessLayer;
afterEach(async () => {
  await layer?.close();
});

function post(id: string, quantity = 5) {
  const outcome = ingest(layer.ledger, [seedLine({ id, quantity })], {
    source: 'api',
    author: author('t'),
    instantIv: false,
  });
  if (outcome.kind !== 'ok') throw new Error(outcome.kind);
  return outcome.results[0]!.lineRecordId;
}

const db = () => connectionOf(layer.ledger).db;
const set = (lineRecordId: string, assignments: string) =>
  db().prepare(`UPDATE adjustment_lines SET ${assignments} WHERE line_record_id = ?`).run(lineRecordId);
const ivPostedSql = "status = 'IVPosted', iv_posted_at = '2026-01-01T00:00:00Z', iv_maybe_applied = 1";

describe('void and correct', () => {
  it('voids a Created, never-sent line with a reason, keeps it, and leaves it out of the sync', async () => {
    layer = openLayer();
    const id = post('v-1');
    const before = layer.sync.status().unsynced;
    const voided = await voidLine(layer.ledger, layer.sync, id, 'Scanned the wrong shelf', author());
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
      author: author('t'),
      instantIv: false,
    });
    expect(again).toMatchObject({ kind: 'ok', created: 0 });
    expect(layer.ledger.lines.get(id)!.status).toBe('Voided');
    await expect(voidLine(layer.ledger, layer.sync, id, 'again', author())).rejects.toThrow('already voided');
  });

  it('voids a line tried often when no attempt reached IV', async () => {
    layer = openLayer();
    const offline = post('v-off');
    set(offline, "attempts = 5, last_error = 'ECONNREFUSED', last_error_kind = 'retry'");
    expect(voidVerdict(layer.ledger.lines.get(offline)!)).toEqual({ ok: true });
    expect((await voidLine(layer.ledger, layer.sync, offline, 'Typo', author())).status).toBe('Voided');
  });

  it('refuses to void a line IV has or may have, or that is part of a correction, and says what to do instead', async () => {
    layer = openLayer();
    const sent = post('v-2');
    const maybe = post('v-3');
    const cut = post('v-4');
    set(sent, ivPostedSql);
    set(maybe, 'attempts = 1, iv_maybe_applied = 1');
    // Marked as on the wire, yet no call of this session carries it: the last one stopped mid-call.
    set(cut, 'iv_sending = 1');
    await expect(voidLine(layer.ledger, layer.sync, sent, 'too late', author())).rejects.toThrow(WHY.inIv);
    await expect(voidLine(layer.ledger, layer.sync, maybe, 'too late', author())).rejects.toThrow(
      WHY.maybeInIv,
    );
    await expect(voidLine(layer.ledger, layer.sync, cut, 'too late', author())).rejects.toThrow(
      WHY.maybeInIv,
    );
    for (const words of [WHY.inIv, WHY.maybeInIv]) expect(words).toMatch(/correct it instead/i);

    const original = post('v-5');
    const { correction } = correctLine(layer.ledger, layer.entry, original, { author: author() });
    await expect(voidLine(layer.ledger, layer.sync, original, 'twice', author())).rejects.toThrow(
      WHY.corrected,
    );
    await expect(
      voidLine(layer.ledger, layer.sync, correction.lineRecordId, 'undo', author()),
    ).rejects.toThrow(WHY.reverses);
    // The WHERE holds the rule even when the caller's check is skipped.
    for (const id of [sent, maybe, cut, original, correction.lineRecordId])
      expect(layer.ledger.lines.void(id, 'x', author('t'), new Date().toISOString())).toBe(false);
    expect(layer.ledger.lines.countByStatus().Voided).toBe(0);
  });

  it('turns a line left on the wire by the last session into "IV may have it" when the sync starts', async () => {
    const dir = tempDir();
    layer = openLayer(dir);
    const cut = post('v-cut');
    set(cut, 'iv_sending = 1');
    await layer.close();
    layer = openLayer(dir);
    layer.sync.start();
    expect(layer.ledger.lines.get(cut)).toMatchObject({ ivSending: false, ivMaybeApplied: true });
    await expect(voidLine(layer.ledger, layer.sync, cut, 'typo', author())).rejects.toThrow(WHY.maybeInIv);
  });

  it('corrects any line not voided and not itself a correction, once, linked both ways', () => {
    layer = openLayer();
    const original = post('c-1', 7);
    const created = post('c-created', 3);
    set(original, ivPostedSql);
    const { correction, created: isNew } = correctLine(layer.ledger, layer.entry, original, {
      author: author(),
    });
    expect(isNew).toBe(true);
    expect(correction).toMatchObject({
      quantity: -7,
      productId: 'D0001',
      status: 'Created',
      corrects: original,
    });
    expect(layer.ledger.lines.get(original)!.correctedBy).toBe(correction.lineRecordId);
    // A second click finds the same correction; a correction is not corrected again.
    expect(correctLine(layer.ledger, layer.entry, original, { author: author() })).toMatchObject({
      created: false,
      correction: { lineRecordId: correction.lineRecordId },
    });
    expect(() =>
      correctLine(layer.ledger, layer.entry, correction.lineRecordId, { author: author() }),
    ).toThrow(WHY.isCorrection);
    // A Created line (IV may have it, or not yet) is corrected too: the reversing line is an event of its own.
    expect(correctLine(layer.ledger, layer.entry, created, { author: author() }).correction.quantity).toBe(
      -3,
    );
    expect(layer.ledger.lines.countByStatus().Created).toBe(3);
  });

  it('posts the reversing and the replacing line in one transaction: nothing of either when one is refused', () => {
    layer = openLayer();
    const original = post('r-1', 4);
    set(original, ivPostedSql);
    const counts = () => layer.ledger.lines.countByStatus().Created;
    // A replacing line without a warehouse: refused in the pipeline's words, nothing stored.
    expect(() =>
      correctLine(layer.ledger, layer.entry, original, {
        author: author(),
        replacement: { quantity: 4, dimensions: { siteId: '2' } },
      }),
    ).toThrow(/locationId/);
    expect(counts()).toBe(0);
    expect(layer.ledger.lines.get(original)!.correctedBy).toBeNull();
    // A large quantity typed for the replacing line is asked about first, as on Create.
    layer.settings.update({ entry: { largeQuantityThreshold: 100 } });
    const large = { replacement: { quantity: 400, dimensions: { siteId: '2', locationId: '21' } } };
    expect(() => correctLine(layer.ledger, layer.entry, original, { ...large, author: author() })).toThrow(
      /Nothing was stored yet/,
    );
    expect(counts()).toBe(0);
    const done = correctLine(layer.ledger, layer.entry, original, {
      ...large,
      author: author(),
      confirmedLargeQuantity: true,
    });
    expect(done.replacement).toMatchObject({ quantity: 400, dimensions: { siteId: '2', locationId: '21' } });
    expect(done.replacement!.replaces).toBe(original);
    expect(counts()).toBe(2);
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

  it('upgrades a ledger to version 10: lines tried before may be in IV, and the view shows the new columns', () => {
    const { file, db: old } = ledgerAtVersion(9);
    old.exec(`INSERT INTO adjustment_lines (line_record_id, id, content_hash, organization_id, product_id,
      quantity_data_source, physical_measure, quantity, dimensions, site_id, location_id, trans_date, status,
      source, created_at, created_by, attempts) VALUES
      ('tried', 'id1', 'h', 'usmf', 'D1', '@iv', 'adjustment', 2, '{}', '1', '13', '2026-01-01', 'Created', 'api', '2026-01-01T00:00:00Z', 't', 2),
      ('fresh', 'id2', 'h', 'usmf', 'D1', '@iv', 'adjustment', 2, '{}', '1', '13', '2026-01-01', 'Created', 'api', '2026-01-01T00:00:00Z', 't', 0);`);
    migrate(
      old,
      file,
      MIGRATIONS.filter((m) => m.version <= 10),
    );
    expect(
      old
        .prepare(
          'SELECT line_record_id, iv_maybe_applied, iv_sending, replaces, replaced_by FROM detailed_lines ORDER BY line_record_id',
        )
        .all(),
    ).toEqual([
      { line_record_id: 'fresh', iv_maybe_applied: 0, iv_sending: 0, replaces: null, replaced_by: null },
      { line_record_id: 'tried', iv_maybe_applied: 1, iv_sending: 0, replaces: null, replaced_by: null },
    ]);
    old.close();
  });
});
