import type BetterSqlite3 from 'better-sqlite3';
import type { Migration } from './migration';

const LINE_STATUS_CHECK = "CHECK (status IN ('Created','IVPosted','Aggregated'))";

/**
 * Version 5: a Voided line status, the void's reason, and the link between a line
 * and the reversing line that corrects it. SQLite cannot change a CHECK in place, so the
 * table is rebuilt from its own stored schema (whatever columns earlier steps added), its
 * rows copied, and its indexes and triggers recreated from their stored SQL.
 */
function voidAndCorrect(db: BetterSqlite3.Database): void {
  const table = db
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'adjustment_lines'")
    .pluck()
    .get() as string | undefined;
  if (!table?.includes(LINE_STATUS_CHECK))
    throw new Error('adjustment_lines does not have the status check this step expects');
  const dependents = db
    .prepare(
      "SELECT sql FROM sqlite_master WHERE tbl_name = 'adjustment_lines' AND type IN ('index', 'trigger') AND sql IS NOT NULL",
    )
    .pluck()
    .all() as string[];
  db.exec(
    table
      .replace(/^CREATE TABLE "?adjustment_lines"?/, 'CREATE TABLE adjustment_lines_v5')
      .replace(LINE_STATUS_CHECK, "CHECK (status IN ('Created','IVPosted','Aggregated','Voided'))"),
  );
  db.exec(`
    INSERT INTO adjustment_lines_v5 SELECT * FROM adjustment_lines;
    DROP TABLE adjustment_lines;
    ALTER TABLE adjustment_lines_v5 RENAME TO adjustment_lines;
  `);
  for (const sql of dependents) db.exec(sql);
  db.exec(`
    ALTER TABLE adjustment_lines ADD COLUMN void_reason TEXT;
    ALTER TABLE adjustment_lines ADD COLUMN voided_at TEXT;
    ALTER TABLE adjustment_lines ADD COLUMN voided_by TEXT;
    -- The line this one reverses, and the line that reverses this one.
    ALTER TABLE adjustment_lines ADD COLUMN corrects TEXT;
    ALTER TABLE adjustment_lines ADD COLUMN corrected_by TEXT;
    INSERT INTO line_status_counts VALUES ('Voided', 0);
  `);
}

export const m5: Migration = {
  version: 5,
  name: 'void and correct',
  up: voidAndCorrect,
};
