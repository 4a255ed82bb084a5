import type { AuditFinding, AuditVerifyReport } from '../../shared/audit';
import { backgroundTurn } from '../event-loop';
import type { AuditEventRow } from '../ledger';
import type { AuditStore, StoredLineFacts } from '../ledger/audit';
import {
  type AuditFacts,
  eventHash,
  fieldsThatDiffer,
  GENESIS_PREV,
  LINE_FIELDS,
  LinesDigest,
  lineMarks,
} from '../ledger/audit-chain';

/**
 * Rows per read: a read and its hashing take 1–3 ms, then the loop gets a turn if the slice is
 * spent. A line event of 1,000 lines carries 27 KB of marks: 200 events a read held the loop
 * for 40 ms, 16 for a few.
 */
const EVENTS_PER_READ = 16;
const LINES_PER_READ = 500;
/** Work between two turns of the event loop: short, so a till's post waits a few ms at most. */
const SLICE_MS = 8;
/** Findings beyond this are counted, not listed: one edit can break every event after it. */
const MAX_FINDINGS = 50;

const FIELD_WORDS: Partial<Record<(typeof LINE_FIELDS)[number], string>> = {
  line_record_id: 'line record ID',
  id: 'ID',
  product_id: 'item',
  quantity: 'quantity',
  dimensions: 'dimensions',
  site_id: 'site',
  location_id: 'warehouse',
  created_at: 'time entered',
  created_by: 'author',
  created_by_id: 'author',
  author_kind: 'author',
  cost_price: 'cost price',
  trans_date: 'transaction date',
};
const fieldWords = (fields: readonly string[]) =>
  [...new Set(fields.map((f) => FIELD_WORDS[f as keyof typeof FIELD_WORDS] ?? f.replaceAll('_', ' ')))].join(
    ', ',
  );

let localFormat: Intl.DateTimeFormat | undefined;
/** A stored time as the PC's local time, in words: "7 Dec 2026, 14:05". Made once: a format costs ms. */
export const localWords = (iso: string): string => {
  localFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return localFormat.format(new Date(iso));
};

/**
 * Walks the audit chain and the lines each line event recorded, in slices (the event loop gets
 * a turn every SLICE_MS, and steps back for requests someone waits on), up to the chain's head
 * and the last line at its start: writes that go on meanwhile are checked next time.
 */
export async function verifyChain(store: AuditStore, checkedAt: () => string): Promise<AuditVerifyReport> {
  const started = performance.now();
  let sliceStart = started;
  let longestBlockMs = 0;
  const turn = async (force = false) => {
    const now = performance.now();
    if (!force && now - sliceStart < SLICE_MS) return;
    longestBlockMs = Math.max(longestBlockMs, now - sliceStart);
    await backgroundTurn();
    sliceStart = performance.now();
  };

  const end = store.lastLineSeq();
  const findings: AuditFinding[] = [];
  let more = 0;
  const find = (f: Omit<AuditFinding, 'fields'> & { fields?: string[] }) => {
    if (findings.length < MAX_FINDINGS) findings.push({ fields: [], ...f });
    else more++;
  };
  let prevSeq = 0;
  let prevHash = GENESIS_PREV;
  let covered = 0;
  let lastGood: { seq: number; at: string } | null = null;
  let events = 0;
  let lines = 0;
  await turn(true);
  for (let batch = store.eventsAfter(0, EVENTS_PER_READ); batch.length > 0; ) {
    for (const event of batch) {
      if (event.lines_last !== null && event.lines_last > end) return finish();
      events++;
      const before = findings.length + more;
      checkLink(event, prevSeq, prevHash, find);
      if (event.lines_first !== null && event.lines_last !== null) {
        if (event.lines_first > covered + 1) unrecorded(store, covered, event.lines_first - 1, find);
        lines += await checkLines(store, event, find, turn);
        covered = Math.max(covered, event.lines_last);
      }
      if (findings.length + more === before && before === 0) lastGood = { seq: event.seq, at: event.at };
      prevSeq = event.seq;
      prevHash = event.hash;
      await turn();
    }
    batch = store.eventsAfter(prevSeq, EVENTS_PER_READ);
    await turn();
  }
  return finish();

  function finish(): AuditVerifyReport {
    if (covered < end) unrecorded(store, covered, end, find);
    if (more > 0)
      findings.push({
        kind: 'event-changed',
        message: `…and ${more} more findings.`,
        eventSeq: null,
        lineSeq: null,
        fields: [],
      });
    longestBlockMs = Math.max(longestBlockMs, performance.now() - sliceStart);
    const ok = findings.length === 0;
    return {
      ok,
      summary: ok
        ? `The audit trail (${events.toLocaleString('en-US')} events) and the ${lines.toLocaleString('en-US')} lines it recorded match: nothing was changed behind Store Ledger.`
        : `The ledger file was changed outside Store Ledger${lastGood ? `: everything up to event #${lastGood.seq} (${localWords(lastGood.at)}) still matches` : ''}. ${findings[0]!.message}`,
      findings,
      lastGood,
      events,
      lines,
      checkedAt: checkedAt(),
      durationMs: Math.round(performance.now() - started),
      longestBlockMs: Math.round(longestBlockMs * 10) / 10,
    };
  }
}

type Find = (f: Omit<AuditFinding, 'fields'> & { fields?: string[] }) => void;

/** The event follows the one before it (no row removed between) and its hash is its own. */
function checkLink(event: AuditEventRow, prevSeq: number, prevHash: string, find: Find): void {
  const who = () => `${event.action} by ${event.actor_name}, ${localWords(event.at)}`;
  if (event.seq !== prevSeq + 1)
    find({
      kind: 'events-missing',
      message: `Audit rows were removed between #${prevSeq} and #${event.seq}.`,
      eventSeq: event.seq,
      lineSeq: null,
    });
  else if (event.prev_hash !== prevHash)
    find({
      kind: 'event-changed',
      message: `Audit rows were removed or edited between #${prevSeq} and #${event.seq}: #${event.seq} does not follow the row before it.`,
      eventSeq: event.seq,
      lineSeq: null,
    });
  const { hash, ...facts } = event;
  if (eventHash(facts as AuditFacts) !== hash)
    find({
      kind: 'event-changed',
      message: `Audit row #${event.seq} (${who()}) was edited.`,
      eventSeq: event.seq,
      lineSeq: null,
    });
}

/** The event's lines, read a slice at a time: their digest, and which line and field differ. */
async function checkLines(
  store: AuditStore,
  event: AuditEventRow,
  find: Find,
  turn: () => Promise<void>,
): Promise<number> {
  const first = event.lines_first!;
  const last = event.lines_last!;
  const digest = new LinesDigest(0);
  const stored = Buffer.from(event.lines_marks ?? '', 'base64url');
  const width = LINE_FIELDS.length;
  const now = Buffer.alloc(width);
  // Words only when something is found: formatting a time for each event would cost the check.
  const recordedBy = () =>
    `recorded by event #${event.seq} (${event.action} by ${event.actor_name}, ${localWords(event.at)})`;
  let located = false;
  let expected = first;
  let seen = 0;
  const missing = (from: number, to: number) => {
    located = true;
    find({
      kind: 'line-missing',
      message:
        from === to
          ? `Line #${from}, ${recordedBy()}, was deleted.`
          : `Lines #${from}–#${to}, ${recordedBy()}, were deleted.`,
      eventSeq: event.seq,
      lineSeq: from,
    });
  };
  for (let after = first - 1; ; ) {
    const batch: StoredLineFacts[] = store.linesAfter(after, last, LINES_PER_READ);
    for (const line of batch) {
      if (line.seq > expected) missing(expected, line.seq - 1);
      digest.add(line);
      lineMarks(line, now, 0);
      const at = (line.seq - first) * width;
      const mine = stored.subarray(at, at + width);
      if (mine.length === width && !mine.equals(now)) {
        located = true;
        const fields = fieldsThatDiffer(mine, now);
        find({
          kind: 'line-changed',
          message: `Line #${line.seq} (ID ${String(line.id)}, item ${String(line.product_id)}) was changed: its ${fieldWords(fields)} is no longer what was entered (${recordedBy()}).`,
          eventSeq: event.seq,
          lineSeq: line.seq,
          fields,
        });
      }
      expected = line.seq + 1;
      seen++;
    }
    if (batch.length < LINES_PER_READ) break;
    after = batch[batch.length - 1]!.seq;
    await turn();
  }
  if (expected <= last) missing(expected, last);
  if (!located && digest.finish().digest !== event.lines_digest)
    find({
      kind: 'line-changed',
      message: `Lines #${first}–#${last} no longer match their digest (${recordedBy()}): one of them was changed.`,
      eventSeq: event.seq,
      lineSeq: null,
    });
  return seen;
}

/** Lines no event recorded: added behind the app (or by a test or a bench that wrote SQL). */
function unrecorded(store: AuditStore, from: number, to: number, find: Find): void {
  const first = store.firstLineAfter(from);
  if (first === null || first > to) return;
  find({
    kind: 'lines-unrecorded',
    message: `${first === to ? `Line #${first} is` : `Lines #${first}–#${to} are`} in the ledger without an audit event: ${first === to ? 'it was' : 'they were'} added outside Store Ledger.`,
    eventSeq: null,
    lineSeq: first,
  });
}
