import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { LedgerConnection } from '../src/main/ledger/connection';

/**
 * Fills a real ledger file with `count` detailed lines in one SQL statement (a recursive
 * CTE), far faster than going through the API, so that read benchmarks start quickly.
 * Statuses: 90% Aggregated, 5% IVPosted, 5% Created; 500 products, 3 warehouses.
 */
export function fillLedger(dataDir: string, count: number, status?: 'IVPosted'): string {
  const file = path.join(dataDir, 'ledger.sqlite');
  new LedgerConnection(file).close();
  const db = new Sqlite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const statusExpr = status
    ? `'${status}'`
    : "CASE WHEN i % 20 = 0 THEN 'Created' WHEN i % 20 = 1 THEN 'IVPosted' ELSE 'Aggregated' END";
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
  // Bulk SQL bypasses LineStore.insertMany, which keeps the counters for inserts.
  db.exec(
    'UPDATE line_status_counts SET n = (SELECT count(*) FROM adjustment_lines a WHERE a.status = line_status_counts.status)',
  );
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
  return file;
}
