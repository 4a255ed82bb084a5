import os from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';
import {
  type AuditFacts,
  eventHash,
  GENESIS_PREV,
  LINE_FIELDS_SQL,
  type LineFacts,
  LinesDigest,
} from '../audit-chain';
import type { Migration } from './migration';

/**
 * Version 14: the audit trail (src/main/audit tells what it records and why). One append-only
 * table: triggers refuse every UPDATE and DELETE, so the app itself cannot quietly edit a row
 * (someone holding the file can still drop them: the hash chain is what finds that).
 *
 * The lines already in the ledger are covered by genesis events, one per GENESIS_SLICE lines in
 * seq order, each with the digest and marks of its lines (audit-chain.ts), so an edit of a line
 * stored before this version is found too. Their time is the system clock's at the upgrade.
 */
const SCHEMA = `
  CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('person','system','os-user','nobody','app')),
    actor_id TEXT,
    actor_name TEXT NOT NULL,
    pc TEXT NOT NULL,
    action TEXT NOT NULL,
    -- JSON: what the action was about (line IDs, a count, a key, setting names).
    target TEXT,
    -- JSON, secrets redacted: a setting's or a mapping's value before and after.
    old_value TEXT,
    new_value TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('done','refused')),
    error_code TEXT,
    -- A line event: the lines it entered, seq first..last, their digest and marks.
    lines_first INTEGER,
    lines_last INTEGER,
    lines_count INTEGER,
    lines_digest TEXT,
    lines_marks TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX ix_audit_at ON audit_events (at);
  CREATE INDEX ix_audit_actor ON audit_events (actor_name COLLATE NOCASE, seq);
  CREATE INDEX ix_audit_action ON audit_events (action, seq);
  CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: they cannot be changed'); END;
  CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: they cannot be deleted'); END;
`;

/** Lines per genesis event: bounded rows, and a finding that names a slice of lines. */
export const GENESIS_SLICE = 10_000;

function genesis(db: BetterSqlite3.Database): void {
  db.exec(SCHEMA);
  const read = db.prepare(
    `SELECT seq, ${LINE_FIELDS_SQL} FROM adjustment_lines WHERE seq > ? ORDER BY seq LIMIT ${GENESIS_SLICE}`,
  );
  const insert = db.prepare(
    `INSERT INTO audit_events (seq, at, actor_kind, actor_id, actor_name, pc, action, target, old_value,
       new_value, outcome, error_code, lines_first, lines_last, lines_count, lines_digest, lines_marks,
       prev_hash, hash)
     VALUES (@seq, @at, @actor_kind, @actor_id, @actor_name, @pc, @action, @target, @old_value,
       @new_value, @outcome, @error_code, @lines_first, @lines_last, @lines_count, @lines_digest,
       @lines_marks, @prev_hash, @hash)`,
  );
  const at = new Date().toISOString();
  let prev = GENESIS_PREV;
  let seq = 0;
  let after = 0;
  for (;;) {
    const lines = read.all(after) as (LineFacts & { seq: number })[];
    const facts: AuditFacts = {
      seq: ++seq,
      at,
      actor_kind: 'app',
      actor_id: null,
      actor_name: 'Store Ledger',
      pc: os.hostname(),
      action: 'audit.genesis',
      target: null,
      old_value: null,
      new_value: null,
      outcome: 'done',
      error_code: null,
      lines_first: null,
      lines_last: null,
      lines_count: null,
      lines_digest: null,
      lines_marks: null,
      prev_hash: prev,
    };
    if (lines.length > 0) {
      const digest = new LinesDigest(lines.length);
      for (const line of lines) digest.add(line);
      const { digest: d, marks } = digest.finish();
      Object.assign(facts, {
        lines_first: lines[0]!.seq,
        lines_last: lines[lines.length - 1]!.seq,
        lines_count: lines.length,
        lines_digest: d,
        lines_marks: marks,
      });
    }
    prev = eventHash(facts);
    insert.run({ ...facts, hash: prev });
    if (lines.length < GENESIS_SLICE) return;
    after = lines[lines.length - 1]!.seq;
  }
}

export const m14: Migration = { version: 14, name: 'audit', up: genesis };
