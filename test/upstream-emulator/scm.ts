// SCM's side: messages queued to the recurring data job, read against the data project and
// imported row by row into numbered journals after importDelayMs. Import never posts: the
// posting job (posting-job.ts) does, on its own recurrence.
import { randomUUID } from 'node:crypto';
import { JournalStore } from './journal-store';
import { PostingJob } from './posting-job';
import { type CheckedHeader, checkHeader, checkLine, postedLine, type RowContext } from './scm-rows';
import type { EmulatorState } from './state';
import type { DataJobState, DataProjectEntity, JournalRecord, MessageRecord } from './types';
import { type EntityTable, readUpload } from './upload';

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

/** RIS's EntityExecutionStatus, one per entity of the data project. */
export interface ExecutionDetail {
  EntityName: string;
  Company: string;
  StagingRecords: number;
  StagingStatus: 'Finished' | 'Error' | 'NotRun';
  StagingErrorCount: number;
  TargetRecords: number;
  TargetStatus: 'Finished' | 'Error' | 'NotRun';
  TargetErrorCount: number;
  ExecutionStartedDateTime: string;
  ExecutionCompletedDateTime: string;
}

interface Message extends MessageRecord {
  body: Buffer;
  inProcessAt: number;
  details: ExecutionDetail[];
  created: JournalRecord[];
}

interface ImportedHeaders {
  /** By lower-cased package reference. */
  headers: Map<string, CheckedHeader>;
  journals: Map<string, JournalRecord>;
  failed: number;
}

export interface EnqueueInput {
  activityId: string;
  entity: string | null;
  company: string | null;
  externalIdentifier: string | null;
  contentType: string | null;
  body: Buffer;
}

/** SCM's empty date, as OData shows an unset utcdatetime. */
export const EMPTY_DATE = '1900-01-01T00:00:00Z';
const clone = <T>(value: T): T => structuredClone(value);
const at = (s: EmulatorState) => new Date(s.clock.now()).toISOString();
const today = (s: EmulatorState) => at(s).slice(0, 10);
const stamp = (s: EmulatorState) => `${at(s).slice(0, 19)}Z`;

export class ScmService {
  private readonly messages = new Map<string, Message>();
  private readonly byExecutionId = new Map<string, Message>();
  readonly journals = new JournalStore();
  readonly posting: PostingJob;
  private readonly pending = new Set<{ cancel(): void }>();
  private waiters: (() => void)[] = [];

  constructor(private readonly s: EmulatorState) {
    this.posting = new PostingJob(s, {
      schedule: (ms, fn) => this.schedule(ms, fn),
      changed: () => this.releaseIfIdle(),
    });
  }

  enqueue(input: EnqueueInput): string {
    const messageId = randomUUID();
    const now = this.s.clock.now();
    const delay = this.s.settings.importDelayMs;
    this.messages.set(messageId, {
      ...input,
      messageId,
      bytes: input.body.length,
      state: 'Enqueued',
      enqueuedAt: new Date(now).toISOString(),
      startedAt: null,
      finishedAt: null,
      executionId: null,
      executionLog: '',
      errors: [],
      files: [],
      journalNumbers: [],
      rowCount: 0,
      importedCount: 0,
      inProcessAt: now + delay / 2,
      details: [],
      created: [],
    });
    this.schedule(delay, () => this.runImport(messageId));
    return messageId;
  }

  /** Accepts the ID with or without braces or quotes, in any case. */
  message(id: string): Message | undefined {
    const m = this.messages.get(id.replace(/^["{]+|["}]+$/g, '').toLowerCase());
    if (m && m.state === 'Enqueued' && this.s.clock.now() >= m.inProcessAt) this.start(m);
    return m;
  }

  /** The messages GetExecutionErrors answers for this execution; undefined for an unknown ID. */
  executionErrors(executionId: string): string[] | undefined {
    return this.byExecutionId.get(executionId.toLowerCase())?.errors;
  }

  messageList(): MessageRecord[] {
    return [...this.messages.keys()].flatMap((id) => {
      const found = this.message(id);
      if (!found) return [];
      const { body: _b, inProcessAt: _p, details: _d, created: _c, ...m } = found;
      return [clone(m)];
    });
  }

  journalList(): JournalRecord[] {
    return clone([...this.journals.all()]);
  }

  /** Resolves once no import or offset is queued and the posting job's next pass would change nothing. */
  idle(): Promise<void> {
    if (this.settled()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops pending work, the posting job's included (reset/close); anyone waiting for idle is released. */
  cancel(): void {
    for (const t of this.pending) t.cancel();
    this.pending.clear();
    this.posting.cancel();
    this.release();
  }

  /** After a settings change that may let idle resolve (the posting job switched off). */
  releaseIfIdle(): void {
    if (this.settled()) this.release();
  }

  private settled(): boolean {
    return this.pending.size === 0 && this.posting.settled();
  }

  private schedule(ms: number, fn: () => void): void {
    // On the emulator's clock: a test moving its clock runs the imports and offsets it moves past.
    const timer = this.s.clock.setTimer(() => {
      this.pending.delete(timer);
      try {
        fn();
      } finally {
        this.releaseIfIdle();
      }
    }, ms);
    this.pending.add(timer);
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private start(m: Message): void {
    m.state = 'InProcess';
    m.startedAt = stamp(this.s);
    const project = this.s.dataProject;
    m.executionId = `${project.projectName}-${m.startedAt}-${randomUUID().slice(0, 8).toUpperCase()}`;
    this.byExecutionId.set(m.executionId.toLowerCase(), m);
  }

  private finish(m: Message, state: DataJobState, details: ExecutionDetail[], log: string[]): void {
    m.state = state;
    m.finishedAt = stamp(this.s);
    m.details = details.map((d) => ({ ...d, ExecutionCompletedDateTime: m.finishedAt ?? EMPTY_DATE }));
    m.executionLog = log.join('\r\n');
    m.body = Buffer.alloc(0);
  }

  private runImport(messageId: string): void {
    const m = this.messages.get(messageId);
    if (!m) return;
    if (m.state === 'Enqueued') this.start(m);
    const project = this.s.dataProject;
    const upload = readUpload(project, { body: m.body, entity: m.entity });
    m.files = upload.files;
    const company = m.company ?? this.s.defaultCompany();
    const detail = (entity: DataProjectEntity): ExecutionDetail => ({
      EntityName: entity.entityName,
      Company: company,
      StagingRecords: 0,
      StagingStatus: 'NotRun',
      StagingErrorCount: 0,
      TargetRecords: 0,
      TargetStatus: 'NotRun',
      TargetErrorCount: 0,
      ExecutionStartedDateTime: m.startedAt ?? EMPTY_DATE,
      ExecutionCompletedDateTime: EMPTY_DATE,
    });
    const entities = [project.headers, project.lines].filter((e): e is DataProjectEntity => e !== null);
    if (!upload.ok) {
      this.s.counters.scmMessagesRefused++;
      m.errors = [upload.error];
      this.finish(m, 'PreProcessError', entities.map(detail), [
        `Data project '${project.projectName}', execution ${m.executionId}: the upload could not be read; no record was staged.`,
        '1 error. Call GetExecutionErrors with the execution ID for the message.',
      ]);
      return;
    }
    const ctx: RowContext = { project, catalog: this.s.catalog, company: m.company, today: today(this.s) };
    const headerResult = upload.headers ? this.importHeaders(m, upload.headers, ctx) : null;
    const lineResult = upload.lines ? this.importLines(m, upload.lines, ctx, headerResult) : null;
    const details: ExecutionDetail[] = [];
    const log = [`Data project '${project.projectName}', execution ${m.executionId}.`];
    for (const [table, result] of [
      [upload.headers, headerResult],
      [upload.lines, lineResult],
    ] as const) {
      if (!table || !result) continue;
      const rows = table.rows.length;
      details.push({
        ...detail(table.entity),
        StagingRecords: rows,
        StagingStatus: 'Finished',
        TargetRecords: rows - result.failed,
        TargetStatus: result.failed > 0 ? 'Error' : 'Finished',
        TargetErrorCount: result.failed,
      });
      log.push(
        `${table.entity.entityName}: ${rows} record(s) staged, ${rows - result.failed} written to target, ${result.failed} error(s).`,
      );
    }
    log.push(`${m.created.length} journal(s) created. ${m.errors.length} error(s).`);
    for (const journal of m.created) this.posting.add(journal);
    this.finish(m, m.errors.length === 0 ? 'Processed' : 'ProcessedWithErrors', details, log);
  }

  /** Every imported header becomes a journal SCM numbers itself; its lines follow. */
  private importHeaders(m: Message, table: EntityTable, ctx: RowContext): ImportedHeaders {
    const headers = new Map<string, CheckedHeader>();
    const journals = new Map<string, JournalRecord>();
    let failed = 0;
    for (const row of table.rows) {
      const checked = checkHeader(row, ctx, headers);
      this.s.counters.scmHeaderRowsReceived++;
      if (!checked.ok) {
        failed++;
        this.s.counters.scmHeaderRowsFailed++;
        m.errors.push(checked.message);
        continue;
      }
      const h = checked.value;
      headers.set(h.reference.toLowerCase(), h);
      journals.set(h.reference.toLowerCase(), this.createJournal(m, h, h.reference));
    }
    return { headers, journals, failed };
  }

  private importLines(
    m: Message,
    table: EntityTable,
    ctx: RowContext,
    imported: ImportedHeaders | null,
  ): { failed: number } {
    const { counters } = this.s;
    const seen = new Set<string>();
    // Whether a line SCM already holds is updated rather than refused (not public: a switch).
    const upsert = this.s.settings.duplicateTransactionId === 'upsert';
    // A package project whose manifest left the headers out: every line names a header that is not there.
    const headers = ctx.project.headers ? (imported?.headers ?? new Map()) : null;
    /** Single-file project: one journal per company and journal name. */
    const byGroup = new Map<string, JournalRecord>();
    let failed = 0;
    table.rows.forEach((row, i) => {
      const checked = checkLine(row, i + 2, {
        ...ctx,
        headers,
        exists: (org, id) =>
          (!upsert && this.journals.exists(org, id)) ||
          seen.has(JSON.stringify([org.toLowerCase(), id.toLowerCase()])),
      });
      counters.scmRowsReceived++;
      if (!checked.ok) {
        failed++;
        if (checked.duplicate) counters.scmRowsDuplicate++;
        else counters.scmRowsFailed++;
        m.errors.push(checked.message);
        return;
      }
      const { reference, ...line } = checked.value;
      seen.add(
        JSON.stringify([line.dataAreaId.toLowerCase(), line.InventoryServiceTransactionId.toLowerCase()]),
      );
      if (upsert && this.journals.exists(line.dataAreaId, line.InventoryServiceTransactionId)) {
        const posted = this.journals.upsertLine(line);
        if (posted) {
          failed++;
          counters.scmRowsFailed++;
          m.errors.push(
            postedLine(
              ctx.project.lines.entityName,
              line.InventoryServiceTransactionId,
              posted.JournalNumber,
            ),
          );
        } else counters.scmRowsImported++;
        return;
      }
      let journal = reference === null ? undefined : imported?.journals.get(reference.toLowerCase());
      if (!journal) {
        const group = JSON.stringify([line.dataAreaId, line.JournalNameId]);
        journal = byGroup.get(group);
        if (!journal) {
          journal = this.createJournal(
            m,
            {
              dataAreaId: line.dataAreaId,
              JournalNameId: line.JournalNameId,
              Description: '',
              DefaultInventorySiteId: '',
              DefaultWarehouseId: '',
              InventoryServiceJournalExpectedStatus: ctx.project.defaultExpectedStatus,
            },
            null,
          );
          byGroup.set(group, journal);
        }
      }
      this.journals.addLine(journal, line);
      counters.scmRowsImported++;
    });
    m.rowCount += table.rows.length;
    m.importedCount += table.rows.length - failed;
    return { failed };
  }

  private createJournal(
    m: Message,
    h: Omit<CheckedHeader, 'reference'>,
    packageReference: string | null,
  ): JournalRecord {
    const journal: JournalRecord = {
      dataAreaId: h.dataAreaId,
      JournalNumber: this.journals.nextNumber(h.dataAreaId),
      JournalNameId: h.JournalNameId,
      Description: h.Description,
      IsPosted: 'No',
      PostedDateTime: EMPTY_DATE,
      PostedUserId: '',
      DefaultInventorySiteId: h.DefaultInventorySiteId,
      DefaultWarehouseId: h.DefaultWarehouseId,
      InventoryServiceJournalExpectedStatus: h.InventoryServiceJournalExpectedStatus,
      AreLinesDeletedAfterPosting: this.s.catalog.deletesLinesAfterPosting(h.dataAreaId, h.JournalNameId)
        ? 'Yes'
        : 'No',
      messageId: m.messageId,
      externalIdentifier: m.externalIdentifier,
      packageReference,
      createdAt: at(this.s),
      postedAt: null,
      postingError: null,
      postingAttemptsFailed: 0,
      lines: [],
    };
    this.journals.add(journal);
    m.created.push(journal);
    m.journalNumbers.push(journal.JournalNumber);
    this.s.counters.journals++;
    return journal;
  }
}
