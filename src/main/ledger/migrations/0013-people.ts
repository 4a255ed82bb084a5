import type { Migration } from './migration';

/**
 * Version 13: a store's people. The staff list (a PIN and an optional badge, each kept only as
 * a slow hash; a badge is found by a keyed index so that signing in never scans every hash),
 * the guards that lock sign-in after too many wrong attempts, and the store systems' API keys
 * (named, with a role, kept as a digest, revoked one by one).
 *
 * Every line now says who wrote it: `created_by` stays the name (a person's, an API key's, the
 * computer's user), `created_by_id` the person's or key's stable ID, and `author_kind` which of
 * them it is. Lines stored before this version keep their row and `created_by`, and read as
 * `before-sign-in` (the column's default: no row is rewritten). Voids, a count's Apply and a
 * draft's Post keep who did them the same way. The view is recreated with the new columns (it
 * lists its columns, see migration 9).
 */
export const m13: Migration = {
  version: 13,
  name: 'people',
  up: `
    CREATE TABLE people (
      person_id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('clerk','manager','administrator')),
      -- scrypt, with its parameters and a salt of its own: scrypt$N$r$p$salt$hash.
      pin_hash TEXT NOT NULL,
      -- HMAC-SHA256 of the badge's barcode under a key kept outside the ledger: finds the person.
      badge_index TEXT UNIQUE,
      -- scrypt of the badge's barcode: what proves it.
      badge_hash TEXT,
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_by_id TEXT,
      updated_at TEXT NOT NULL
    );
    -- The sign-in screen lists active people by name: two of them never share one.
    CREATE UNIQUE INDEX ux_people_active_name ON people (name COLLATE NOCASE) WHERE active = 1;

    -- Wrong PINs per person ('person:<id>') and unknown badges store-wide ('badge').
    CREATE TABLE sign_in_guards (
      guard TEXT PRIMARY KEY,
      failed_attempts INTEGER NOT NULL DEFAULT 0,
      -- Lockouts in a row: each one lasts twice the one before, up to a cap.
      lockouts INTEGER NOT NULL DEFAULT 0,
      locked_until TEXT
    ) WITHOUT ROWID;

    CREATE TABLE api_keys (
      key_id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('clerk','manager','administrator')),
      -- SHA-256 of the key: a key is 192 random bits, so a fast digest cannot be searched back.
      digest TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_by_id TEXT,
      revoked_at TEXT,
      revoked_by TEXT,
      revoked_by_id TEXT,
      last_used_at TEXT
    );
    CREATE UNIQUE INDEX ux_api_keys_active_name ON api_keys (name COLLATE NOCASE) WHERE revoked_at IS NULL;

    ALTER TABLE adjustment_lines ADD COLUMN created_by_id TEXT;
    ALTER TABLE adjustment_lines ADD COLUMN author_kind TEXT NOT NULL DEFAULT 'before-sign-in'
      CHECK (author_kind IN ('before-sign-in','os-user','person','system'));
    ALTER TABLE adjustment_lines ADD COLUMN voided_by_id TEXT;
    ALTER TABLE counts ADD COLUMN applied_by TEXT;
    ALTER TABLE counts ADD COLUMN applied_by_id TEXT;
    ALTER TABLE drafts ADD COLUMN posted_by TEXT;
    ALTER TABLE drafts ADD COLUMN posted_by_id TEXT;

    DROP VIEW detailed_lines;
    CREATE VIEW detailed_lines AS
      SELECT l.seq, l.line_record_id, l.id, l.content_hash, l.organization_id, l.product_id,
             l.quantity_data_source, l.physical_measure, l.quantity, l.dimensions, l.site_id,
             l.location_id, l.external_reference_category, l.external_reference_id,
             l.fno_journal_name_id, l.cost_price, l.trans_date, l.instant_iv,
             CASE WHEN a.seq IS NULL THEN l.status ELSE 'Aggregated' END AS status,
             g.aggregated_line_id, l.source, l.created_at, l.created_by, l.iv_posted_at,
             g.created_at AS aggregated_at, l.attempts, l.last_error, l.last_error_kind, l.next_attempt_at,
             l.void_reason, l.voided_at, l.voided_by, l.corrects, l.corrected_by,
             l.iv_maybe_applied, l.iv_sending, l.replaces, l.replaced_by,
             l.created_by_id, l.author_kind, l.voided_by_id,
             l.status AS line_status, a.aggregated_seq
        FROM adjustment_lines AS l
        LEFT JOIN line_aggregation AS a ON a.seq = l.seq
        LEFT JOIN aggregated_lines AS g ON g.seq = a.aggregated_seq;
  `,
};
