// SCM's journals: numbered per company, with the indexes OData filters start from.
import type { JournalLine, JournalRecord } from './types';

/** A journal line with its journal and its place in the order OData lists lines in. */
export interface LineRef {
  journal: JournalRecord;
  line: JournalLine;
  seq: number;
}

const lower = (s: string) => s.toLowerCase();

export class JournalStore {
  private readonly journals: JournalRecord[] = [];
  /** Lower-cased InventoryServiceTransactionId → its lines (the key is company + ID, so one per company). */
  private readonly byTransactionId = new Map<string, LineRef[]>();
  /** Lower-cased JournalNumber → its journals (one per company that has that number). */
  private readonly byJournalNumber = new Map<string, JournalRecord[]>();
  private readonly journalIndex = new Map<JournalRecord, number>();
  private readonly journalSeq = new Map<string, number>();
  private lineSeq = 0;

  /** The next journal number of this company: IVJ-000001, IVJ-000002 ... */
  nextNumber(org: string): string {
    const seq = (this.journalSeq.get(lower(org)) ?? 0) + 1;
    this.journalSeq.set(lower(org), seq);
    return `IVJ-${String(seq).padStart(6, '0')}`;
  }

  add(journal: JournalRecord): void {
    const same = this.byJournalNumber.get(lower(journal.JournalNumber)) ?? [];
    same.push(journal);
    this.byJournalNumber.set(lower(journal.JournalNumber), same);
    this.journalIndex.set(journal, this.journals.length);
    this.journals.push(journal);
    for (const line of journal.lines) this.indexLine(journal, line);
  }

  /** Appends a line to a journal already added, numbering it. */
  addLine(journal: JournalRecord, line: Omit<JournalLine, 'JournalNumber' | 'LineNumber'>): JournalLine {
    const numbered: JournalLine = {
      ...line,
      JournalNumber: journal.JournalNumber,
      LineNumber: journal.lines.length + 1,
    };
    journal.lines.push(numbered);
    this.indexLine(journal, numbered);
    return numbered;
  }

  private indexLine(journal: JournalRecord, line: JournalLine): void {
    const key = lower(line.InventoryServiceTransactionId);
    const refs = this.byTransactionId.get(key) ?? [];
    refs.push({ journal, line, seq: this.lineSeq++ });
    this.byTransactionId.set(key, refs);
  }

  /**
   * A posted journal whose journal name deletes its lines: the lines leave the entries entity
   * (and their IDs can be imported again, as in SCM), the header stays.
   */
  deleteLines(journal: JournalRecord): void {
    for (const line of journal.lines) {
      const key = lower(line.InventoryServiceTransactionId);
      const refs = (this.byTransactionId.get(key) ?? []).filter((r) => r.line !== line);
      if (refs.length > 0) this.byTransactionId.set(key, refs);
      else this.byTransactionId.delete(key);
    }
    journal.lines = [];
  }

  /**
   * `duplicateTransactionId: 'upsert'`: the line SCM holds under (company, ID) takes the new values;
   * its journal, line number and journal name stay. Answers the journal when it is posted (a posted
   * journal's lines cannot change), else null.
   */
  upsertLine(line: Omit<JournalLine, 'JournalNumber' | 'LineNumber'>): JournalRecord | null {
    const ref = (this.byTransactionId.get(lower(line.InventoryServiceTransactionId)) ?? []).find(
      (r) => lower(r.line.dataAreaId) === lower(line.dataAreaId),
    );
    if (!ref) return null;
    if (ref.journal.IsPosted === 'Yes') return ref.journal;
    const { JournalNumber, LineNumber, JournalNameId } = ref.line;
    Object.assign(ref.line, line, { JournalNumber, LineNumber, JournalNameId });
    return null;
  }

  exists(org: string, id: string): boolean {
    return (this.byTransactionId.get(lower(id)) ?? []).some((r) => lower(r.line.dataAreaId) === lower(org));
  }

  /** Read-only view for OData; callers must not mutate. */
  all(): readonly JournalRecord[] {
    return this.journals;
  }

  /** The lines with these InventoryServiceTransactionIds (any case), in OData order; read-only. */
  linesByTransactionId(ids: Iterable<string>): LineRef[] {
    const out = new Set<LineRef>();
    for (const id of ids) for (const ref of this.byTransactionId.get(lower(id)) ?? []) out.add(ref);
    return [...out].sort((a, b) => a.seq - b.seq);
  }

  /** The journals with these numbers (any case, any company), in OData order; read-only. */
  journalsByNumber(numbers: Iterable<string>): JournalRecord[] {
    const out = new Set<JournalRecord>();
    for (const n of numbers) for (const j of this.byJournalNumber.get(lower(n)) ?? []) out.add(j);
    return [...out].sort((a, b) => (this.journalIndex.get(a) ?? 0) - (this.journalIndex.get(b) ?? 0));
  }
}
