import type { Migration } from './migration';

export const m8: Migration = {
  version: 8,
  name: 'aggregation-single-pass',
  up: `
    -- A run reads each IVPosted line once: in one transaction per slice it adds the slice's
    -- lines to their key's pending aggregated line and points them at it. Sum of |quantity|
    -- so far, kept beside the sum while the line is pending: the seal judges net 0 against it.
    ALTER TABLE aggregated_lines ADD COLUMN pending_magnitude REAL;
    -- Where an aggregated line's detailed lines lie (first and last seq pointing at it): the
    -- lines of an aggregated line are found in that range by their aggregated_line_id, in
    -- place of an index on it, which took each moved line at one of as many places as there
    -- are keys in a run and cost a run more than reading and moving its lines together.
    ALTER TABLE aggregated_lines ADD COLUMN first_line_seq INTEGER;
    ALTER TABLE aggregated_lines ADD COLUMN last_line_seq INTEGER;
    UPDATE aggregated_lines SET
      first_line_seq = (SELECT min(a.seq) FROM adjustment_lines AS a
                         WHERE a.aggregated_line_id = aggregated_lines.aggregated_line_id),
      last_line_seq = (SELECT max(a.seq) FROM adjustment_lines AS a
                        WHERE a.aggregated_line_id = aggregated_lines.aggregated_line_id);
    DROP INDEX ix_lines_aggregated;
  `,
};
