import type { Migration } from './migration';

export const m4: Migration = {
  version: 4,
  name: 'dynamics-contract',
  up: `
    -- A batch is now one data package (or single file) of one company, holding up to
    -- "journals per package" journals (docs/dynamics-contract.md). Batches in flight carry
    -- over as they are: Sending ones that may have reached SCM already have read_back_first = 1,
    -- Enqueued ones keep polling their message, Imported ones are read back. Nothing SCM
    -- holds is sent again.
    ALTER TABLE journal_batches ADD COLUMN journal_count INTEGER NOT NULL DEFAULT 1;
    -- The DMF execution ID from job status, for GetExecutionErrors.
    ALTER TABLE journal_batches ADD COLUMN execution_id TEXT;
    -- GetExecutionErrors' messages (JSON list), shown on the lines SCM did not create.
    ALTER TABLE journal_batches ADD COLUMN execution_errors TEXT;
    -- Job status replies without a known state: how many, since when. Bounded, then read back.
    ALTER TABLE journal_batches ADD COLUMN unknown_polls INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE journal_batches ADD COLUMN unknown_since TEXT;
    -- Since when SCM's posting job has had the line's journal to post (creation, or a
    -- clerk's retry): the overdue rule counts from here. When SCM posted it (PostedDateTime).
    ALTER TABLE aggregated_lines ADD COLUMN posting_since TEXT;
    ALTER TABLE aggregated_lines ADD COLUMN fno_posted_at TEXT;
    UPDATE aggregated_lines SET posting_since = updated_at
      WHERE status IN ('FnOCreated', 'FnOPostError') AND target_transaction_status = 'Posted';
  `,
};
