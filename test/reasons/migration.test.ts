// Migration 15 on a ledger of version 13: every line is kept, without a reason and unapproved;
// the usual reason codes are there; and a store system's resend of a line stored before reasons
// existed is still that line (its content hash did not change meaning), never a conflict.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import { linesQuerySchema } from '../../src/shared/queries';
import { openLayer } from '../helpers/layer';
import { ledgerAtVersion } from '../helpers/ledger-at';

let layer: BusinessLayer | undefined;
afterEach(async () => {
  await layer?.close();
});

describe('migration 15: reasons and approvals on a ledger from before', () => {
  it('keeps every line (no reason, no approver), seeds the codes, and a resend of an old line is the same line', async () => {
    const { file, db } = ledgerAtVersion(13);
    const sent = {
      id: 'old-1',
      organizationId: 'usmf',
      productId: 'D0001',
      quantityDataSource: '@iv',
      physicalMeasure: 'adjustment',
      quantity: 4,
      dimensions: { locationId: '13', siteId: '1' },
    };
    // The hash version 13's ingest stored: the line as its schema read it, in its field order.
    const before = JSON.stringify({
      ...sent,
      externalReferenceCategory: null,
      externalReferenceId: null,
      fnoJournalNameId: null,
      costPrice: null,
      transDate: null,
    });
    db.prepare(
      `INSERT INTO adjustment_lines (line_record_id, id, content_hash, organization_id, product_id,
         quantity_data_source, physical_measure, quantity, dimensions, site_id, location_id, trans_date,
         status, source, created_at, created_by)
       VALUES ('rec-old-1', 'old-1', ?, 'usmf', 'D0001', '@iv', 'adjustment', 4, ?, '1', '13', '2026-05-04',
         'Created', 'api', '2026-05-04T10:00:00.000Z', 'root')`,
    ).run(createHash('sha1').update(before).digest('base64url'), JSON.stringify(sent.dimensions));
    db.prepare("UPDATE line_status_counts SET n = n + 1 WHERE status = 'Created'").run();
    db.close();

    layer = openLayer(path.dirname(file));
    const [line] = layer.ledger.lines.list(linesQuerySchema.parse({})).value;
    expect(line).toMatchObject({
      lineRecordId: 'rec-old-1',
      reasonCode: null,
      approvedBy: null,
      createdBy: 'root',
      authorKind: 'before-sign-in',
    });
    expect(layer.reasons.list().map((r) => r.code)).toEqual([
      'DAMAGED',
      'EXPIRED',
      'THEFT',
      'FOUND',
      'RECEIPT',
      'COUNT',
    ]);
    expect(layer.approvals.list()).toEqual([]);
    const again = await layer.entry.enter(sent, {
      source: 'api',
      author: { kind: 'system', id: null, name: 'POS' },
    });
    expect(again).toMatchObject({ created: 0, lines: [{ lineRecordId: 'rec-old-1', created: false }] });
  });
});
