import { createHash, hash } from 'node:crypto';
import type { AuditEventsTable } from './schema';

/**
 * The audit trail's format (migration 14, src/main/audit): how an event's hash and a line's
 * digest are computed. Pure and shared by the migration's genesis events, the ingest's line
 * events and the verification, so all three compute the very same bytes.
 *
 * - An event's hash is SHA-256 over the previous event's hash and the event's canonical JSON
 *   (its columns, keys sorted, without `hash`); the first event's previous hash is GENESIS_PREV.
 * - A line's digest input is the text of its immutable fields (LINE_FIELDS, what was entered
 *   and by whom; not the sync's status columns), each followed by a unit separator, null as
 *   NUL; a line event's `lines_digest` is SHA-256 over its lines' inputs in seq order, each
 *   followed by a newline. Not JSON: on the ingest's hot path JSON cost twice as much.
 * - A line's mark is one byte per field (FNV-1a folded to 8 bits): not a proof (the digest is),
 *   only a hint that lets the verification say which line and which field no longer match.
 */
export const GENESIS_PREV = '0'.repeat(64);

/** The immutable fields of a line, as its columns: what the clerk (or the system) entered. */
export const LINE_FIELDS = [
  'line_record_id',
  'id',
  'organization_id',
  'product_id',
  'quantity_data_source',
  'physical_measure',
  'quantity',
  'dimensions',
  'site_id',
  'location_id',
  'external_reference_category',
  'external_reference_id',
  'fno_journal_name_id',
  'cost_price',
  'trans_date',
  'source',
  'created_at',
  'created_by',
  'created_by_id',
  'author_kind',
] as const;

export type LineField = (typeof LINE_FIELDS)[number];
export type LineFacts = { [K in LineField]?: unknown };

/** The SQL column list of LINE_FIELDS, for the verification's and the genesis' reads. */
export const LINE_FIELDS_SQL = LINE_FIELDS.join(', ');

/** Between a line's fields: the one text rule keeps control characters out of every field. */
const SEP = '\u001f';
/** A null field: not a text any field can hold. */
const NULL = '\u0000';

/** A field as digested: its text (a number's shortest form), or NULL. */
const text = (value: unknown): string =>
  value === null || value === undefined ? NULL : typeof value === 'string' ? value : String(value);

/** A line's digest input: its fields' texts in LINE_FIELDS' order, each followed by SEP. */
export function lineInput(line: LineFacts): string {
  return inputAndMarks(line, null, 0);
}

/**
 * A line's marks: one byte per field, FNV-1a of the field's text folded to 8 bits. Taken while
 * the input is built, field by field (a pass over the joined input cost twice as much).
 */
export function lineMarks(line: LineFacts, out: Buffer, at: number): void {
  inputAndMarks(line, out, at);
}

function inputAndMarks(line: LineFacts, out: Buffer | null, at: number): string {
  let input = '';
  for (let i = 0; i < LINE_FIELDS.length; i++) {
    const t = text(line[LINE_FIELDS[i]!]);
    input += t + SEP;
    if (out === null) continue;
    let h = 0x811c9dc5;
    for (let c = 0; c < t.length; c++) h = Math.imul(h ^ t.charCodeAt(c), 0x01000193);
    out[at + i] = (h ^ (h >>> 8) ^ (h >>> 16) ^ (h >>> 24)) & 0xff;
  }
  return input;
}

/** Lines' inputs joined before they are hashed: one update per block, not two per line. */
const BLOCK_CHARS = 16_384;

/** A running digest and the marks of a line event's lines, fed in seq order. */
export class LinesDigest {
  private readonly sha = createHash('sha256');
  private readonly marks: Buffer;
  private pending = '';
  count = 0;

  constructor(expected: number) {
    this.marks = Buffer.alloc(expected * LINE_FIELDS.length);
  }

  add(line: LineFacts): void {
    const room = (this.count + 1) * LINE_FIELDS.length <= this.marks.length;
    this.pending += `${inputAndMarks(line, room ? this.marks : null, this.count * LINE_FIELDS.length)}\n`;
    if (this.pending.length >= BLOCK_CHARS) {
      this.sha.update(this.pending);
      this.pending = '';
    }
    this.count++;
  }

  /** The digest (hex) and the marks (base64url); the object cannot be fed afterwards. */
  finish(): { digest: string; marks: string } {
    this.sha.update(this.pending);
    this.pending = '';
    return {
      digest: this.sha.digest('hex'),
      marks: this.marks.subarray(0, this.count * LINE_FIELDS.length).toString('base64url'),
    };
  }
}

/** The fields whose marks differ between two lines' marks (base64url of one line's bytes each). */
export function fieldsThatDiffer(stored: Buffer, now: Buffer): LineField[] {
  return LINE_FIELDS.filter((_, i) => stored[i] !== now[i]);
}

/** An event's columns as stored (audit_events), without `hash`. */
export type AuditFacts = Omit<AuditEventsTable, 'hash'>;

/** The event's canonical JSON: its fields with sorted keys, so every reader computes the same text. */
export function canonicalEvent(facts: AuditFacts): string {
  const keys = Object.keys(facts).sort() as (keyof AuditFacts)[];
  const sorted: Record<string, unknown> = {};
  for (const key of keys) if (key !== ('hash' as keyof AuditFacts)) sorted[key] = facts[key] ?? null;
  return JSON.stringify(sorted);
}

/** SHA-256 over the previous hash and the event's canonical JSON. */
export function eventHash(facts: AuditFacts): string {
  return hash('sha256', `${facts.prev_hash}\n${canonicalEvent(facts)}`, 'hex');
}
