import type { Migration } from './migration';

/**
 * Version 9: aggregating a line no longer rewrites it. Moving a million wide rows
 * to Aggregated (status, link, time, the status index, the counter trigger) cost 2–3 × a bare
 * GROUP BY over them before any summing; the same facts kept in two narrow tables cost a
 * fraction of it. `adjustment_lines.status` now holds the line's own path (Created → IVPosted,
 * or Voided); that a line was aggregated, into which aggregated line and when, is a row of
 * `line_aggregation`. `detailed_lines` is the line as everything else reads it.
 */
export const m9: Migration = {
  version: 9,
  name: 'aggregation-membership',
  up: `
    -- IVPosted lines not aggregated yet: the IV job adds a line in the transaction that
    -- makes it IVPosted, aggregation takes it out in the one that aggregates it.
    CREATE TABLE aggregation_queue (seq INTEGER PRIMARY KEY);
    -- A line's aggregated line (aggregated_lines.seq), written once. No index on aggregated_seq:
    -- an aggregated line keeps the seq range of its lines. No time either: a line was aggregated
    -- by the run that made its aggregated line (its created_at), and two integers a line keep
    -- this table a third of the cost of a run.
    CREATE TABLE line_aggregation (
      seq INTEGER PRIMARY KEY,
      aggregated_seq INTEGER NOT NULL
    );

    -- While an aggregated line is pending, its sums are written every so often, not with each
    -- slice: they hold its lines up to this seq; a run cut short adds the ones after it.
    ALTER TABLE aggregated_lines ADD COLUMN pending_summed_through INTEGER;
    UPDATE aggregated_lines SET pending_summed_through = coalesce(last_line_seq, 0)
     WHERE pending_through_seq IS NOT NULL;
    -- The key now reads the JSON dimensions in one json_extract: a run cut short before this
    -- version finds its keys again in the new form.
    UPDATE aggregated_lines SET aggregation_key = (
      SELECT json_array(l.organization_id, l.product_id, l.quantity_data_source, l.physical_measure,
               l.site_id, l.location_id,
               json_extract(l.dimensions, '$.colorId', '$.sizeId', '$.styleId', '$.configId', '$.versionId',
                 '$.batchId', '$.serialId', '$.wmsLocationId', '$.licensePlateId', '$.statusId'),
               l.fno_journal_name_id, l.cost_price, l.trans_date)
        FROM adjustment_lines AS l WHERE l.seq = aggregated_lines.first_line_seq)
     WHERE pending_through_seq IS NOT NULL AND first_line_seq IS NOT NULL;

    INSERT INTO aggregation_queue (seq)
      SELECT seq FROM adjustment_lines WHERE status = 'IVPosted';
    INSERT INTO line_aggregation (seq, aggregated_seq)
      SELECT l.seq, g.seq
        FROM adjustment_lines AS l JOIN aggregated_lines AS g ON g.aggregated_line_id = l.aggregated_line_id
       WHERE l.status = 'Aggregated';
    -- The old columns stay (SQLite cannot drop a column with a foreign key) and stay NULL.
    UPDATE adjustment_lines SET status = 'IVPosted', aggregated_line_id = NULL, aggregated_at = NULL
     WHERE status = 'Aggregated';
    -- The counters keep what a clerk sees: IVPosted waiting, Aggregated done.
    UPDATE line_status_counts SET n = (SELECT count(*) FROM aggregation_queue) WHERE status = 'IVPosted';
    UPDATE line_status_counts SET n = (SELECT count(*) FROM line_aggregation) WHERE status = 'Aggregated';

    -- A detailed line with its aggregation: the grids, the exports and the API read this.
    -- A later migration that adds a column to adjustment_lines recreates this view.
    CREATE VIEW detailed_lines AS
      SELECT l.seq, l.line_record_id, l.id, l.content_hash, l.organization_id, l.product_id,
             l.quantity_data_source, l.physical_measure, l.quantity, l.dimensions, l.site_id,
             l.location_id, l.external_reference_category, l.external_reference_id,
             l.fno_journal_name_id, l.cost_price, l.trans_date, l.instant_iv,
             CASE WHEN a.seq IS NULL THEN l.status ELSE 'Aggregated' END AS status,
             g.aggregated_line_id, l.source, l.created_at, l.created_by, l.iv_posted_at,
             g.created_at AS aggregated_at, l.attempts, l.last_error, l.last_error_kind, l.next_attempt_at,
             l.void_reason, l.voided_at, l.voided_by, l.corrects, l.corrected_by,
             l.status AS line_status, a.aggregated_seq
        FROM adjustment_lines AS l
        LEFT JOIN line_aggregation AS a ON a.seq = l.seq
        LEFT JOIN aggregated_lines AS g ON g.seq = a.aggregated_seq;
  `,
};
