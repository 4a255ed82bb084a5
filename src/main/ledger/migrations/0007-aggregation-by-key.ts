import type { Migration } from './migration';

export const m7: Migration = {
  version: 7,
  name: 'aggregation-by-key',
  up: `
    -- A run writes one aggregated line per key however large the backlog: it inserts them
    -- pending, points the detailed lines at them in short slices, then seals them. A run cut
    -- short leaves them pending; the next run finishes them before anything is sent.
    ALTER TABLE aggregated_lines ADD COLUMN pending_through_seq INTEGER;
    CREATE INDEX ix_aggregated_pending ON aggregated_lines (pending_through_seq)
      WHERE pending_through_seq IS NOT NULL;
  `,
};
