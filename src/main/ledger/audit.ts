import type { Selectable } from 'kysely';
import type { AuditQuery } from '../../shared/audit';
import type { Page } from '../../shared/views';
import { type AuditFacts, eventHash, GENESIS_PREV, LINE_FIELDS_SQL, type LineFacts } from './audit-chain';
import type { LedgerConnection } from './connection';
import type { AuditEventsTable } from './schema';
import type { WriteRequest } from './statement-runs';

export type AuditEventRow = Selectable<AuditEventsTable>;
/** An event before it is chained: its seq, previous hash and hash are the store's to give. */
export type NewAuditEvent = Omit<AuditFacts, 'seq' | 'prev_hash'>;
export type StoredLineFacts = LineFacts & { seq: number };

/** The chain's head and the last line's seq, read inside the write that appends after them. */
const HEAD = `SELECT (SELECT max(seq) FROM adjustment_lines) AS last_line,
    (SELECT seq FROM audit_events ORDER BY seq DESC LIMIT 1) AS seq,
    (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1) AS hash`;
export interface AuditHead {
  last_line: number | null;
  seq: number | null;
  hash: string | null;
}

const INSERT = `INSERT INTO audit_events (seq, at, actor_kind, actor_id, actor_name, pc, action, target,
    old_value, new_value, outcome, error_code, lines_first, lines_last, lines_count, lines_digest,
    lines_marks, prev_hash, hash)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** The event chained after `head`: its seq, previous hash and hash, as the INSERT's parameters. */
export function chained(event: NewAuditEvent, head: Pick<AuditHead, 'seq' | 'hash'>): unknown[] {
  const facts: AuditFacts = { ...event, seq: (head.seq ?? 0) + 1, prev_hash: head.hash ?? GENESIS_PREV };
  const f = facts;
  return [
    f.seq,
    f.at,
    f.actor_kind,
    f.actor_id,
    f.actor_name,
    f.pc,
    f.action,
    f.target,
    f.old_value,
    f.new_value,
    f.outcome,
    f.error_code,
    f.lines_first,
    f.lines_last,
    f.lines_count,
    f.lines_digest,
    f.lines_marks,
    f.prev_hash,
    eventHash(facts),
  ];
}

/** For a write as steps (the ingest): the head, read inside its transaction. */
export function readAuditHead(): WriteRequest {
  return { op: 'read', sql: HEAD, rows: [[]] };
}

/** For a write as steps: the event chained after the head read in the same transaction. */
export function appendAuditEvent(event: NewAuditEvent, head: AuditHead): WriteRequest {
  return { op: 'run', sql: INSERT, rows: [chained(event, head)] };
}

const LIKE_ESCAPE = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The audit trail's rows (migration 14): appended inside the write that did the action (or
 * right after it), read a page at a time for the screen, and a slice at a time for the
 * verification. The table's triggers refuse any UPDATE or DELETE.
 */
export class AuditStore {
  constructor(private readonly conn: LedgerConnection) {}

  /** Appends inside the caller's write (the head read in the same transaction). */
  appendIn(event: NewAuditEvent): void {
    const head = this.conn.prepare(HEAD).get() as AuditHead;
    this.conn.prepare(INSERT).run(...chained(event, head));
  }

  /** Appends in a write of its own, after an open bulk (the loop never waits for the bulk writer). */
  append(event: NewAuditEvent): Promise<void> {
    return this.conn.write(() => this.appendIn(event));
  }

  list(query: AuditQuery): Page<AuditEventRow> {
    const q = this.filtered(query);
    const count = this.conn.first(q.select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0;
    const value = this.conn.all(q.selectAll().orderBy('seq', 'desc').limit(query.top).offset(query.skip));
    return { value, count };
  }

  /** The filtered rows before `seq`, newest first: an export's page (keyset, not offset). */
  pageBefore(query: Omit<AuditQuery, 'top' | 'skip'>, before: number, limit: number): AuditEventRow[] {
    return this.conn.all(
      this.filtered(query).selectAll().where('seq', '<', before).orderBy('seq', 'desc').limit(limit),
    );
  }

  private filtered(query: Omit<AuditQuery, 'top' | 'skip'>) {
    let q = this.conn.qb.selectFrom('audit_events');
    if (query.actor) q = q.where('actor_name', 'like', `%${LIKE_ESCAPE(query.actor)}%`);
    if (query.action) q = q.where('action', 'like', `${LIKE_ESCAPE(query.action)}%`);
    if (query.outcome) q = q.where('outcome', '=', query.outcome);
    if (query.from) q = q.where('at', '>=', new Date(query.from).toISOString());
    if (query.to) q = q.where('at', '<', new Date(query.to).toISOString());
    return q;
  }

  /** Events after `seq`, in order: a slice of the verification. */
  eventsAfter(seq: number, limit: number): AuditEventRow[] {
    return this.conn.all(
      this.conn.qb.selectFrom('audit_events').selectAll().where('seq', '>', seq).orderBy('seq').limit(limit),
    );
  }

  /** Lines with seq in (after, last], in order, their immutable fields: a slice of the verification. */
  linesAfter(after: number, last: number, limit: number): StoredLineFacts[] {
    return this.conn
      .prepare(
        `SELECT seq, ${LINE_FIELDS_SQL} FROM adjustment_lines WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
      )
      .all(after, last, limit) as StoredLineFacts[];
  }

  /** The last line's seq (0 for none): the primary key's last entry, at once. */
  lastLineSeq(): number {
    return (
      (this.conn.prepare('SELECT max(seq) AS last FROM adjustment_lines').get() as { last: number | null })
        .last ?? 0
    );
  }

  /** The first line after `seq` (null for none): an index seek, never a count of a million lines. */
  firstLineAfter(seq: number): number | null {
    return (
      this.conn.prepare('SELECT min(seq) AS first FROM adjustment_lines WHERE seq > ?').get(seq) as {
        first: number | null;
      }
    ).first;
  }
}
