import type { Migration } from './migration';

export const m2: Migration = {
  version: 2,
  name: 'sync',
  up: `
    -- Set before an enqueue whose outcome may become unknown (crash, timeout, lost answer):
    -- the next attempt reads the batch's lines back from SCM before sending any of them again.
    ALTER TABLE journal_batches ADD COLUMN read_back_first INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE journal_batches ADD COLUMN target_status TEXT;
    ALTER TABLE journal_batches ADD COLUMN last_error TEXT;
    CREATE INDEX ix_attempts_run ON sync_attempts (run_id);
    CREATE INDEX ix_aggregated_posting ON aggregated_lines (journal_number, organization_id)
      WHERE status = 'FnOCreated';
  `,
};
