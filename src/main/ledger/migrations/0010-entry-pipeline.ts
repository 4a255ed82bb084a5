import type { Migration } from './migration';

/**
 * Version 10: one entry pipeline. A scanned barcode is read as its item and variant before the
 * line is stored, and the entry check keeps the code that was scanned. A line the IV job sent
 * without learning its outcome (a timeout, a dropped connection, an answer that did not confirm
 * it) may be in IV: it is marked, so that Void refuses it while a line that never reached IV
 * (the store was offline) can still be voided however often the job tried. Lines tried before
 * this version are marked when they were tried at all: their attempts' outcomes were not kept.
 */
export const m10: Migration = {
  version: 10,
  name: 'entry-pipeline',
  up: `
    ALTER TABLE line_entry_checks ADD COLUMN scanned_code TEXT;
    ALTER TABLE adjustment_lines ADD COLUMN iv_maybe_applied INTEGER NOT NULL DEFAULT 0;
    UPDATE adjustment_lines SET iv_maybe_applied = 1 WHERE status = 'Created' AND attempts > 0;
  `,
};
