// Migration 13 (people) on a ledger made before it (version 12): every line, void and count is
// kept as it was, and each line's author reads "before sign-in", with the name it was stored
// under. No row is rewritten: the new columns' defaults say it.
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import { lineAuthorWords } from '../../src/shared/people';
import type { DetailedLine as Line } from '../../src/shared/views';
import { openLayer } from '../helpers/layer';
import { ledgerAtVersion } from '../helpers/ledger-at';
import { asAdmin, call } from '../helpers/people';

let layer: BusinessLayer | undefined;
afterEach(async () => {
  await layer?.close();
  layer = undefined;
});

const OLD_LINES = [
  { rid: 'old-os-user', id: 'till-1', status: 'Created', by: 'root', quantity: 2 },
  { rid: 'old-api', id: 'pos-7', status: 'IVPosted', by: 'API key', quantity: -1 },
  { rid: 'old-voided', id: 'typo-3', status: 'Voided', by: 'anna.w', quantity: 40 },
] as const;

describe('migration 13: people, on a ledger from version 12', () => {
  it('keeps every line, and each reads its author as before sign-in', async () => {
    const { file, db } = ledgerAtVersion(12);
    const insert =
      db.prepare(`INSERT INTO adjustment_lines (line_record_id, id, content_hash, organization_id,
      product_id, quantity_data_source, physical_measure, quantity, dimensions, site_id, location_id, trans_date,
      status, source, created_at, created_by, void_reason, voided_at, voided_by)
      VALUES (?, ?, ?, 'usmf', 'D0001', '@iv', 'adjustment', ?, '{"siteId":"1","locationId":"13"}', '1', '13',
      '2026-01-05', ?, ?, '2026-01-05T09:00:00.000Z', ?, ?, ?, ?)`);
    for (const l of OLD_LINES) {
      const voided = l.status === 'Voided';
      insert.run(
        l.rid,
        l.id,
        `hash-${l.rid}`,
        l.quantity,
        l.status,
        l.by === 'API key' ? 'api' : 'form',
        l.by,
        voided ? 'typed 40 for 4' : null,
        voided ? '2026-01-05T09:05:00.000Z' : null,
        voided ? 'anna.w' : null,
      );
      db.prepare('UPDATE line_status_counts SET n = n + 1 WHERE status = ?').run(l.status);
    }
    const before = db.prepare('SELECT * FROM adjustment_lines ORDER BY seq').all() as Record<
      string,
      unknown
    >[];
    db.close();

    layer = openLayer(path.dirname(file));
    expect(layer.ledger.diagnostics.schemaVersion()).toBeGreaterThanOrEqual(13);
    const admin = await asAdmin(layer);
    const reply = await call(layer, admin, 'lines.list', { top: 100 });
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    const { value: lines, count } = reply.value as { value: Line[]; count: number };
    expect(count).toBe(OLD_LINES.length);
    expect(
      lines
        .map((l) => ({
          rid: l.lineRecordId,
          id: l.id,
          status: l.status,
          by: l.createdBy,
          quantity: l.quantity,
        }))
        .sort((a, b) => a.rid.localeCompare(b.rid)),
    ).toEqual([...OLD_LINES].sort((a, b) => a.rid.localeCompare(b.rid)));
    for (const l of lines) {
      expect(l).toMatchObject({ authorKind: 'before-sign-in', createdById: null });
      expect(lineAuthorWords(l)).toBe(`${l.createdBy} (before sign-in)`);
    }
    expect(lines.find((l) => l.lineRecordId === 'old-voided')).toMatchObject({
      voidedBy: 'anna.w',
      voidedById: null,
      voidReason: 'typed 40 for 4',
    });

    // The ledger checks clean.
    const checked = await call(layer, admin, 'ledger.integrityCheck', {});
    expect(checked).toMatchObject({ ok: true, value: { ok: true } });
    // A line entered now says who entered it, next to the old ones.
    const entered = await call(layer, admin, 'lines.create', {
      line: {
        id: 'after-upgrade',
        organizationId: 'usmf',
        productId: 'D0001',
        quantityDataSource: '@iv',
        physicalMeasure: 'adjustment',
        quantity: 1,
        dimensions: { siteId: '1', locationId: '13' },
      },
    });
    expect(entered).toMatchObject({ ok: true });
    const created = layer.ledger.lines.get(
      (entered as { value: { lineRecordId: string } }).value.lineRecordId,
    )!;
    expect(lineAuthorWords(created)).toBe('Ada Admin');

    // Every old column of every old row is as it was: the upgrade added columns, rewrote nothing.
    await layer.close();
    layer = undefined;
    const reopened = new Sqlite(file, { readonly: true });
    const after = reopened.prepare('SELECT * FROM adjustment_lines ORDER BY seq').all();
    reopened.close();
    expect(after).toHaveLength(OLD_LINES.length + 1);
    for (const [i, row] of before.entries()) expect(after[i]).toMatchObject(row);
  });
});
