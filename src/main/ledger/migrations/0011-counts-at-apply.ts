import type { Migration } from './migration';

/**
 * Version 11: a count's adjustment is computed at Apply, against the on-hand known then (IV's
 * answer at Apply, or, when a manager chooses it, IV's last known figure and its time), plus the
 * store's lines not yet in that figure. What each item was compared with is kept beside it.
 */
export const m11: Migration = {
  version: 11,
  name: 'counts-at-apply',
  up: `
    -- The highest item number a count gave: a removed item's number (and line id) is never reused.
    ALTER TABLE counts ADD COLUMN items_numbered INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE count_items ADD COLUMN applied_on_hand REAL;
    ALTER TABLE count_items ADD COLUMN applied_on_hand_at TEXT;
    ALTER TABLE count_items ADD COLUMN applied_pending REAL;
    -- 'live': IV answered at Apply; 'last_known': IV's last figure (cached, or said when counted), chosen by a manager.
    ALTER TABLE count_items ADD COLUMN applied_basis TEXT CHECK (applied_basis IN ('live','last_known'));
    ALTER TABLE count_items ADD COLUMN applied_delta REAL;
    -- The line Apply posted for the item (null: the shelf matched): the line's record of its figure.
    ALTER TABLE count_items ADD COLUMN applied_line_id TEXT;
  `,
};
