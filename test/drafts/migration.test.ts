// Migration 12 on a ledger that already holds drafts (version 11): their rows become a block of
// their draft, keep their numbers and ids, and can be edited and posted as before.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import { openLayer } from '../helpers/layer';
import { ledgerAtVersion } from '../helpers/ledger-at';
import { author } from '../helpers/people';

let layer: BusinessLayer | undefined;
afterEach(async () => {
  await layer?.close();
});

describe('migration 12: drafts from before', () => {
  it('rows of an open draft from version 11 are a block of it: numbered, editable, and posted under their ids', async () => {
    const { file, db } = ledgerAtVersion(11);
    const now = '2026-05-04T10:00:00.000Z';
    db.prepare(
      "INSERT INTO drafts (draft_id, name, state, created_at, updated_at, row_count, error_count) VALUES ('old1', 'Old', 'Open', ?, ?, 2, 1)",
    ).run(now, now);
    const line = (id: string, quantity: unknown) =>
      JSON.stringify({
        organizationId: 'usmf',
        productId: 'D0001',
        quantityDataSource: '@iv',
        physicalMeasure: 'adjustment',
        quantity,
        dimensions: { siteId: '1', locationId: '13' },
        id,
      });
    const insert = db.prepare(
      'INSERT INTO draft_rows (draft_id, row_number, line_id, line, errors) VALUES (?, ?, ?, ?, ?)',
    );
    insert.run('old1', 1, 'old1-1', line('old1-1', 3), null);
    insert.run(
      'old1',
      2,
      'old1-2',
      line('old1-2', '12a'),
      JSON.stringify([{ field: 'quantity', message: 'must be a number' }]),
    );
    db.close();

    layer = openLayer(path.dirname(file));
    layer.settings.update({ enableFeature: true });
    const detail = layer.drafts.get('old1', 10, 0);
    expect(detail.imports).toEqual([
      { block: 1, sourceName: 'rows added before this version', rowCount: 2, importedAt: now, earlier: null },
    ]);
    expect(detail.rows.map((r) => [r.block, r.row, r.lineId])).toEqual([
      [1, 1, 'old1-1'],
      [1, 2, 'old1-2'],
    ]);
    expect(layer.drafts.editRow('old1', 1, 2, { quantity: '4' }).draft).toMatchObject({ errorCount: 0 });
    expect(await layer.drafts.post('old1', author('clerk'))).toMatchObject({ created: 2 });
  });
});
