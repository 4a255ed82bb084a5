// SCM's side: messages queued to the recurring data job, their import into numbered
// journals after importDelayMs, and the posting job postingDelayMs later. The posting job is
// recurring, as SCM's Inventory Visibility posting job is: a journal whose posting failed is
// attempted again on every later pass (every postingDelayMs) until it posts.
import { randomUUID } from 'node:crypto';
import { dimensionKey, dimensionsFromLine } from './dimensions';
import { checkRow, ENTITY_NAME, readJournalFile } from './scm-rows';
import type { EmulatorState } from './state';
import type { DataJobState, JournalLine, JournalRecord, MessageRecord } from './types';

export const JOB_STATE_NUMBERS: Record<DataJobState, number> = {
  Enqueued: 0,
  Dequeued: 1,
  Downloaded: 2,
  Acked: 3,
  InProcess: 4,
  Processed: 5,
  ProcessedWithErrors: 6,
  PostProcessError: 7,
  PreProcessError: 8,
};

interface Message extends MessageRecord {
  body: string;
  importAt: number;
  inProcessAt: number;
  details: Record<string, unknown>[];
}

export interface EnqueueInput {
  activityId: string;
  entity: string | null;
  company: string | null;
  externalIdentifier: string | null;
  body: string;
}

/** A journal line with its journal and its place in the order OData lists lines in. */
export interface LineRef {
  journal: JournalRecord;
  line: JournalLine;
  seq: number;
}

const clone = <T>(value: T): T => structuredClone(value);
const today = () => new Date().toISOString().slice(0, 10);
/** Floor of the re-posting interval, so postingDelayMs 0 does not spin while a journal cannot post. */
const MIN_REPOST_MS = 5;

export class ScmService {
  private readonly messages = new Map<string, Message>();
  private readonly journals: JournalRecord[] = [];
  /** Lower-cased InventoryServiceTransactionId → its line (the ID is unique in SCM). */
  private readonly byTransactionId = new Map<string, LineRef>();
  /** Lower-cased JournalNumber → its journals (one per company that has that number). */
  private readonly byJournalNumber = new Map<string, JournalRecord[]>();
  private readonly journalIndex = new Map<JournalRecord, number>();
  private lineSeq = 0;
  private readonly journalSeq = new Map<string, number>();
  private readonly pending = new Set<NodeJS.Timeout>();
  /** Journals in PostError → the fno on-hand version their last attempt saw. */
  private readonly postErrors = new Map<JournalRecord, number>();
  private repostTimer: NodeJS.Timeout | null = null;
  private waiters: (() => void)[] = [];

  constructor(private readonly s: EmulatorState) {}

  enqueue(input: EnqueueInput): string {
    const messageId = randomUUID();
    const now = Date.now();
    const delay = this.s.settings.importDelayMs;
    this.messages.set(messageId, {
      ...input,
      messageId,
      state: 'Enqueued',
      enqueuedAt: new Date(now).toISOString(),
      finishedAt: null,
      executionLog: '',
      journalNumbers: [],
      rowCount: 0,
      importedCount: 0,
      importAt: now + delay,
      inProcessAt: now + delay / 2,
      details: [],
    });
    this.schedule(delay, () => this.runImport(messageId));
    return messageId;
  }

  /** Accepts the ID with or without braces or quotes, in any case. */
  message(id: string): Message | undefined {
    const m = this.messages.get(id.replace(/^["{]+|["}]+$/g, '').toLowerCase());
    if (m && m.state === 'Enqueued' && Date.now() >= m.inProcessAt) m.state = 'InProcess';
    return m;
  }

  messageList(): MessageRecord[] {
    return [...this.messages.keys()].flatMap((id) => {
      const found = this.message(id);
      if (!found) return [];
      const { body: _b, importAt: _i, inProcessAt: _p, details: _d, ...m } = found;
      return [clone(m)];
    });
  }

  journalList(): JournalRecord[] {
    return clone(this.journals);
  }

  /** Read-only view for OData; callers must not mutate. */
  allJournals(): readonly JournalRecord[] {
    return this.journals;
  }

  /** The lines with these InventoryServiceTransactionIds (any case), in OData order; read-only. */
  linesByTransactionId(ids: Iterable<string>): LineRef[] {
    const out = new Set<LineRef>();
    for (const id of ids) {
      const ref = this.byTransactionId.get(id.toLowerCase());
      if (ref) out.add(ref);
    }
    return [...out].sort((a, b) => a.seq - b.seq);
  }

  /** The journals with these numbers (any case, any company), in OData order; read-only. */
  journalsByNumber(numbers: Iterable<string>): JournalRecord[] {
    const out = new Set<JournalRecord>();
    for (const n of numbers) for (const j of this.byJournalNumber.get(n.toLowerCase()) ?? []) out.add(j);
    return [...out].sort((a, b) => (this.journalIndex.get(a) ?? 0) - (this.journalIndex.get(b) ?? 0));
  }

  /**
   * Resolves once no import or posting is queued and every journal in PostError was last
   * attempted with the on-hand as it is now: the recurring posting job alone would change
   * nothing more. (Its timer keeps running while a journal cannot post; that is not work.)
   */
  idle(): Promise<void> {
    if (this.settled()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops pending work, re-posting included (reset/close); anyone waiting for idle is released. */
  cancel(): void {
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
    if (this.repostTimer) clearTimeout(this.repostTimer);
    this.repostTimer = null;
    this.postErrors.clear();
    this.release();
  }

  private settled(): boolean {
    if (this.pending.size > 0) return false;
    const version = this.s.iv.fnoVersion;
    for (const seen of this.postErrors.values()) if (seen !== version) return false;
    return true;
  }

  private schedule(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      try {
        fn();
      } finally {
        if (this.settled()) this.release();
      }
    }, ms);
    timer.unref();
    this.pending.add(timer);
  }

  /** The posting job's next pass over the journals in PostError, while there are any. */
  private scheduleRepost(): void {
    if (this.repostTimer !== null || this.postErrors.size === 0) return;
    const timer = setTimeout(
      () => {
        this.repostTimer = null;
        try {
          // In the order they first failed; a journal that posts here may let a later one post.
          for (const journal of [...this.postErrors.keys()]) this.post(journal);
        } finally {
          this.scheduleRepost();
          if (this.settled()) this.release();
        }
      },
      Math.max(this.s.settings.postingDelayMs, MIN_REPOST_MS),
    );
    timer.unref();
    this.repostTimer = timer;
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private finish(m: Message, state: DataJobState, log: string[]): void {
    m.state = state;
    m.finishedAt = new Date().toISOString();
    m.executionLog = log.join('\n');
    m.body = '';
  }

  private runImport(messageId: string): void {
    const m = this.messages.get(messageId);
    if (!m) return;
    const { counters, catalog } = this.s;
    const file = readJournalFile(m.body);
    if (!file.ok) {
      m.details = [{ EntityName: ENTITY_NAME, StagingRecordCount: 0, TargetRecordCount: 0, ErrorCount: 0 }];
      this.finish(m, 'PreProcessError', [file.error, 'Import stopped before any row was imported.']);
      return;
    }
    const seen = new Set<string>();
    const log: string[] = [];
    const groups = new Map<string, Omit<JournalLine, 'JournalNumber' | 'LineNumber'>[]>();
    let failed = 0;
    const date = today();
    file.rows.forEach((row, i) => {
      const result = checkRow(row, {
        catalog,
        company: m.company,
        exists: (id) => this.byTransactionId.has(id.toLowerCase()) || seen.has(id.toLowerCase()),
        today: date,
      });
      if (!result.ok) {
        failed++;
        if (result.duplicate) counters.scmRowsDuplicate++;
        else counters.scmRowsFailed++;
        log.push(`${row.InventoryServiceTransactionId || `(row ${i + 1})`}: ${result.message}`);
        return;
      }
      const line = result.line;
      seen.add(line.InventoryServiceTransactionId.toLowerCase());
      const key = JSON.stringify([
        line.dataAreaId,
        line.JournalNameId,
        line.InventoryServiceJournalExpectedStatus,
      ]);
      const group = groups.get(key) ?? [];
      group.push(line);
      groups.set(key, group);
    });
    counters.scmRowsReceived += file.rows.length;

    const imported = file.rows.length - failed;
    for (const lines of groups.values()) this.createJournal(m, lines);
    m.rowCount = file.rows.length;
    m.importedCount = imported;
    m.details = [
      {
        EntityName: ENTITY_NAME,
        StagingRecordCount: file.rows.length,
        TargetRecordCount: imported,
        ErrorCount: failed,
        JournalNumbers: [...m.journalNumbers],
      },
    ];
    const journals = m.journalNumbers.length > 0 ? ` Journal(s): ${m.journalNumbers.join(', ')}.` : '';
    log.push(
      `Import finished: ${imported} of ${file.rows.length} row(s) imported, ${failed} failed.${journals}`,
    );
    // A file whose rows all failed still went through processing: DMF reports it with errors.
    this.finish(m, failed === 0 ? 'Processed' : 'ProcessedWithErrors', log);
  }

  private createJournal(m: Message, lines: Omit<JournalLine, 'JournalNumber' | 'LineNumber'>[]): void {
    const first = lines[0];
    if (!first) return;
    const org = first.dataAreaId;
    const seq = (this.journalSeq.get(org.toLowerCase()) ?? 0) + 1;
    this.journalSeq.set(org.toLowerCase(), seq);
    const JournalNumber = `IVJ-${String(seq).padStart(6, '0')}`;
    const journal: JournalRecord = {
      dataAreaId: org,
      JournalNumber,
      JournalNameId: first.JournalNameId,
      IsPosted: 'No',
      InventoryServicePostingStatus: 'NotPosted',
      InventoryServicePostingError: '',
      messageId: m.messageId,
      externalIdentifier: m.externalIdentifier,
      createdAt: new Date().toISOString(),
      postedAt: null,
      lines: lines.map((line, i) => ({ ...line, JournalNumber, LineNumber: i + 1 })),
    };
    for (const line of journal.lines) {
      this.byTransactionId.set(line.InventoryServiceTransactionId.toLowerCase(), {
        journal,
        line,
        seq: this.lineSeq++,
      });
    }
    const sameNumber = this.byJournalNumber.get(JournalNumber.toLowerCase()) ?? [];
    sameNumber.push(journal);
    this.byJournalNumber.set(JournalNumber.toLowerCase(), sameNumber);
    this.journalIndex.set(journal, this.journals.length);
    this.journals.push(journal);
    m.journalNumbers.push(JournalNumber);
    this.s.counters.journals++;
    this.s.counters.scmRowsImported += lines.length;
    if (first.InventoryServiceJournalExpectedStatus === 'Posted') {
      this.schedule(this.s.settings.postingDelayMs, () => this.post(journal));
    }
  }

  /**
   * One posting attempt for a journal as a whole: one line that would make physical on-hand
   * negative fails all of it (PostError, attempted again on the next pass).
   */
  private post(journal: JournalRecord): void {
    const { iv, counters } = this.s;
    const org = journal.dataAreaId;
    const running = new Map<string, number>();
    for (const line of journal.lines) {
      const dims = dimensionsFromLine(line);
      const key = JSON.stringify([line.ItemNumber, dimensionKey(dims)]);
      const onHand = running.get(key) ?? iv.quantity(org, line.ItemNumber, dims, 'fno', 'physicalinvent');
      const next = onHand + line.InventoryQuantity;
      if (line.InventoryQuantity < 0 && next < 0) {
        const where = Object.entries(dims)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        journal.InventoryServicePostingStatus = 'PostError';
        journal.InventoryServicePostingError =
          `Journal ${journal.JournalNumber}, line ${line.LineNumber}: inventory on-hand for item number ${line.ItemNumber} ` +
          `cannot become negative (${where}): on-hand ${onHand}, quantity ${line.InventoryQuantity}. Update has been canceled.`;
        counters.postingAttemptsFailed++;
        if (!this.postErrors.has(journal)) counters.journalsPostError++;
        this.postErrors.set(journal, iv.fnoVersion);
        this.scheduleRepost();
        return;
      }
      running.set(key, next);
    }
    for (const line of journal.lines) {
      const dims = dimensionsFromLine(line);
      const q = line.InventoryQuantity;
      iv.apply(org, line.ItemNumber, dims, 'fno', 'physicalinvent', q);
      const ds = line.InventoryServiceAdjustmentOffsetDatasource;
      const measure = line.InventoryServiceAdjustmentOffsetPhysicalMeasure;
      if (ds !== '' && measure !== '') iv.apply(org, line.ItemNumber, dims, ds, measure, -q);
    }
    this.postErrors.delete(journal);
    journal.IsPosted = 'Yes';
    journal.InventoryServicePostingStatus = 'Posted';
    journal.InventoryServicePostingError = '';
    journal.postedAt = new Date().toISOString();
    counters.journalsPosted++;
  }
}
