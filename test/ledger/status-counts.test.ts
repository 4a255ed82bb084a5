import { afterEach, describe, expect, it } from 'vitest';
import type { BusinessLayer } from '../../src/main/business-layer';
import { ingest } from '../../src/main/ingest/ingest';
import { connectionOf } from '../../src/main/ledger/internal';
import { linesQuerySchema } from '../../src/shared/queries';
import { openLayer, seedLine } from '../helpers/layer';
import { author } from '../helpers/people';

let layer: BusinessLayer;
afterEach(async () => {
  await layer?.close();
});

describe('status counters', () => {
  it('match a real GROUP BY through inserts and status changes, and answer status-only totals', () => {
    layer = openLayer();
    const lines = Array.from({ length: 50 }, (_, i) =>
      seedLine({ id: `c${i}`, productId: i % 2 ? 'A' : 'B' }),
    );
    ingest(layer.ledger, lines, { source: 'api', author: author('t'), instantIv: false });
    const db = connectionOf(layer.ledger).db;
    db.exec("UPDATE adjustment_lines SET status = 'IVPosted' WHERE seq % 5 = 0");
    db.exec("UPDATE adjustment_lines SET status = 'IVPosted' WHERE seq % 5 = 0"); // no change: no double count
    const real = Object.fromEntries(
      (
        db.prepare('SELECT status, count(*) AS n FROM adjustment_lines GROUP BY status').all() as {
          status: string;
          n: number;
        }[]
      ).map((r) => [r.status, r.n]),
    );
    expect(layer.ledger.lines.countByStatus()).toMatchObject(real);
    expect(real).toEqual({ Created: 40, IVPosted: 10 });
    expect(layer.ledger.lines.list(linesQuerySchema.parse({ status: 'IVPosted' })).count).toBe(10);
    expect(layer.ledger.lines.list(linesQuerySchema.parse({})).count).toBe(50);
    expect(layer.ledger.lines.list(linesQuerySchema.parse({ status: 'Created', productId: 'A' })).count).toBe(
      20,
    );
  });
});
