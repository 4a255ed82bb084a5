import type { Migration } from './migration';

export const m8: Migration = {
  version: 8,
  name: 'aggregation-single-pass',
  up: `
    -- A run reads each IVPosted line once: in one transaction per slice it adds the slice's
    -- lines to their key's pending aggregated line and points them at it. Sum of |quantity|
    -- so far, kept beside the sum while the line is pending: the seal judges net 0 against it.
    ALTER TABLE aggregated_lines ADD COLUMN pending_magnitude REAL;
  `,
};
