import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { LedgerConnection } from '../src/main/ledger/connection';
import { tempDir } from './harness';

/** Ledgers filled in this run, by size and status: the grid, loop and foreground suites share one 1M fill. */
const templates = new Map<string, string>();
let templateRoot: string | null = null;

/**
 * A real ledger file in `dataDir` with `count` detailed lines: a copy of one filled earlier in
 * this run with the same size and status, else filled now (about 50 s for 1,000,000 lines).
 */
export function fillLedger(dataDir: string, count: number, status?: 'IVPosted'): string {
  const key = `${count}-${status ?? 'mixed'}`;
  let template = templates.get(key);
  if (!template) {
    if (!templateRoot) {
      const root = tempDir('store-ledger-bench-fill-');
      templateRoot = root;
      process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
    }
    template = fillInto(path.join(templateRoot, key), count, status);
    templates.set(key, template);
  }
  const file = path.join(dataDir, 'ledger.sqlite');
  fs.copyFileSync(template, file);
  return file;
}

/**
 * Fills a real ledger file with `count` detailed lines in one SQL statement (a recursive
 * CTE), far faster than going through the API, so that read benchmarks start quickly.
 * Statuses: 90% Aggregated (one aggregated line per product), 5% IVPosted, 5% Created; 500
 * products, 3 warehouses.
 */
function fillInto(dataDir: string, count: number, status?: 'IVPosted'): string {
  const file = path.join(dataDir, 'ledger.sqlite');
  new LedgerConnection(file).close();
  const db = new Sqlite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  // Aggregated lines are stored IVPosted and linked below (migration 9).
  const statusExpr = status ? `'${status}'` : "CASE WHEN i % 20 = 0 THEN 'Created' ELSE 'IVPosted' END";
  db.exec(`
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${count})
    INSERT INTO adjustment_lines (line_record_id, id, content_hash, organization_id, product_id, quantity_data_source,
      physical_measure, quantity, dimensions, site_id, location_id, external_reference_category, external_reference_id,
      fno_journal_name_id, cost_price, trans_date, status, source, created_at, created_by)
    SELECT printf('%08x-0000-7000-8000-%012x', i / 65536, i), 'fill-' || i, 'h', 'usmf',
      printf('D%04d', i % 500), '@iv', CASE WHEN i % 10 = 0 THEN 'sold' ELSE 'adjustment' END,
      (i % 13) - 6 + 0.5,
      '{"colorId":"' || CASE i % 3 WHEN 0 THEN 'red' WHEN 1 THEN 'blue' ELSE 'green' END || '","locationId":"' || (11 + i % 3) || '","siteId":"1"}',
      '1', CAST(11 + i % 3 AS TEXT), 'POS transaction', 'R' || (i / 10), NULL, NULL,
      date('2026-01-01', '+' || (i % 300) || ' days'), ${statusExpr}, 'api',
      strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || (i * 20) || ' seconds'), 'bench'
    FROM c;
  `);
  if (!status) {
    // One aggregated line per product, holding its lines but the 5% left IVPosted.
    db.exec(`
      INSERT INTO aggregated_lines (aggregated_line_id, aggregation_key, organization_id, product_id,
        quantity_data_source, physical_measure, dimensions, site_id, location_id, trans_date, quantity,
        status, target_transaction_status, detailed_line_count, created_at, updated_at)
      SELECT printf('agg-%04d', p), 'k' || p, 'usmf', printf('D%04d', p), '@iv', 'adjustment', '{}', '1', '11',
             '2026-01-01', 0, 'FnOPosted', 'Posted', 0, '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z'
        FROM (WITH RECURSIVE c(p) AS (SELECT 0 UNION ALL SELECT p + 1 FROM c WHERE p < 499) SELECT p FROM c);
      INSERT INTO line_aggregation (seq, aggregated_seq)
        SELECT l.seq, g.seq FROM adjustment_lines AS l
          JOIN aggregated_lines AS g ON g.product_id = l.product_id
         WHERE l.status = 'IVPosted' AND l.seq % 20 <> 1;
      UPDATE aggregated_lines SET
        (quantity, detailed_line_count, first_line_seq, last_line_seq) =
        (SELECT coalesce(sum(l.quantity), 0), count(*), min(l.seq), max(l.seq) FROM line_aggregation AS a
           JOIN adjustment_lines AS l ON l.seq = a.seq WHERE a.aggregated_seq = aggregated_lines.seq);
      -- Products whose lines are all Created or IVPosted (seq % 20 is 0 or 1) have none.
      DELETE FROM aggregated_lines WHERE detailed_line_count = 0;
    `);
  }
  db.exec(`INSERT INTO aggregation_queue (seq)
             SELECT seq FROM adjustment_lines WHERE status = 'IVPosted' AND seq NOT IN (SELECT seq FROM line_aggregation)`);
  // Bulk SQL bypasses the ledger's writers, which keep the counters.
  db.exec(`
    UPDATE line_status_counts SET n = (SELECT count(*) FROM detailed_lines AS d WHERE d.status = line_status_counts.status);
    UPDATE aggregated_status_counts SET n = (SELECT count(*) FROM aggregated_lines AS g WHERE g.status = aggregated_status_counts.status);
  `);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
  return file;
}
