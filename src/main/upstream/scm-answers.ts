/**
 * What SCM answers, read tolerantly [RI, RIS, DM, MD]: job status, GetExecutionErrors, journal
 * entries and headers, enqueue's message ID. Keys are matched without regard to case.
 */
import { getCi, tryParseJson } from './answer-text';

/** Data job states, in the order of their numeric values (RIS `ContractEnums.cs`: Enqueued=0 … PreProcessError=8). */
export const SCM_JOB_STATES = [
  'Enqueued',
  'Dequeued',
  'Downloaded',
  'Acked',
  'InProcess',
  'Processed',
  'ProcessedWithErrors',
  'PostProcessError',
  'PreProcessError',
] as const;
export type ScmJobState = (typeof SCM_JOB_STATES)[number];
export const SCM_FINAL_JOB_STATES: ReadonlySet<ScmJobState> = new Set([
  'Processed',
  'ProcessedWithErrors',
  'PostProcessError',
  'PreProcessError',
]);

/** One entity's counts in a job status (RIS `EntityExecutionStatus`). */
export interface EntityExecution {
  entityName: string;
  stagingRecords: number | null;
  stagingErrors: number | null;
  targetRecords: number | null;
  targetErrors: number | null;
}

export interface ScmJobStatus {
  /** null: the reply had no state, or one outside the enum (`rawState` says which). */
  state: ScmJobState | null;
  rawState: unknown;
  final: boolean;
  /** The DMF execution (job) ID, for GetExecutionErrors; null until SCM has one. */
  executionId: string | null;
  /** ExecutionLog as text ('' when absent): shown, never parsed. */
  log: string;
  details: EntityExecution[];
  /** DataJobStatus.DataProject [RIS]: the data project the activity imports into, when SCM says. */
  dataProject: string | null;
}

export interface JournalEntry {
  dataAreaId: string;
  journalNumber: string;
  lineNumber: number;
  transactionId: string;
}

/** What a journal header says about posting [MD]: IsPosted and when, nothing about why not. */
export interface JournalHeader {
  dataAreaId: string;
  journalNumber: string;
  isPosted: boolean;
  postedAt: string | null;
  expectedStatus: string | null;
  /** The header's Description: ours carries the package's journal reference (journal-rows.ts). */
  description: string | null;
  /** AreLinesDeletedAfterPosting, when read (null: not asked, or not in this SCM's entity). */
  linesDeletedAfterPosting: boolean | null;
}

/** A journal file or data package, ready to enqueue (see upstream/data-package.ts). */
export interface EnqueuePayload {
  body: string | Uint8Array;
  contentType: string;
  /** The `entity` parameter: set for a single-file project, absent for a package [RI]. */
  entity: string | null;
}

export function toEntry(row: unknown): JournalEntry {
  return {
    dataAreaId: text(getCi(row, 'dataAreaId')),
    journalNumber: text(getCi(row, 'JournalNumber')),
    lineNumber: Number(getCi(row, 'LineNumber')),
    transactionId: text(getCi(row, 'InventoryServiceTransactionId')),
  };
}

export function text(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

/** The message ID from an enqueue answer: a GUID, possibly as a JSON string. */
export function parseMessageId(body: string): string {
  let t = body.trim();
  const json = tryParseJson(t);
  if (typeof json === 'string') t = json.trim();
  return t.replace(/^"+|"+$/g, '').trim();
}

function parseState(raw: unknown): ScmJobState | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const n =
    typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (Number.isInteger(n)) return SCM_JOB_STATES[n] ?? null;
  if (typeof raw !== 'string') return null;
  const lower = raw.trim().toLowerCase();
  return SCM_JOB_STATES.find((s) => s.toLowerCase() === lower) ?? null;
}

const count = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

/**
 * Exported for tests. The shape is RIS's `DataJobStatusDetail`: `DataJobStatus` (with
 * `DataJobState` and `ExecutionIdentifier`), `ExecutionLog`, `ExecutionDetail` per entity.
 * Some descriptions put ExecutionIdentifier beside DataJobStatus instead: either is read. A missing
 * or unknown state is `null`: the caller polls a bounded number of times, then reads back.
 */
export function parseJobStatus(body: string): ScmJobStatus {
  const json = tryParseJson(body);
  const statusObj = getCi(json, 'DataJobStatus');
  const rawState = getCi(statusObj, 'DataJobState') ?? getCi(json, 'DataJobState');
  const state = parseState(rawState);
  const rawExecution = getCi(statusObj, 'ExecutionIdentifier') ?? getCi(json, 'ExecutionIdentifier');
  const executionId =
    typeof rawExecution === 'string' && rawExecution.trim() !== '' ? rawExecution.trim() : null;
  const rawLog = getCi(json, 'ExecutionLog');
  const log =
    typeof rawLog === 'string'
      ? rawLog
      : Array.isArray(rawLog)
        ? rawLog.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')
        : rawLog == null
          ? ''
          : JSON.stringify(rawLog);
  const rawDetails = getCi(json, 'ExecutionDetail');
  const list = Array.isArray(rawDetails) ? rawDetails : rawDetails == null ? [] : [rawDetails];
  const details = list.map(
    (d): EntityExecution => ({
      entityName: text(getCi(d, 'EntityName')),
      stagingRecords: count(getCi(d, 'StagingRecords')),
      stagingErrors: count(getCi(d, 'StagingErrorCount')),
      targetRecords: count(getCi(d, 'TargetRecords')),
      targetErrors: count(getCi(d, 'TargetErrorCount')),
    }),
  );
  const rawProject = getCi(statusObj, 'DataProject');
  return {
    state,
    rawState,
    final: state !== null && SCM_FINAL_JOB_STATES.has(state),
    executionId,
    log,
    details,
    dataProject: typeof rawProject === 'string' && rawProject.trim() !== '' ? rawProject.trim() : null,
  };
}

/**
 * `"ErrorMessage": "…"` inside a GetExecutionErrors answer that is not valid JSON (SCM writes the
 * messages' own quotes unescaped): up to the quote that closes the item or the field.
 */
const ERROR_MESSAGE_FIELD = /"ErrorMessage"\s*:\s*"(.*?)"\s*(?=[,}\]]|$)/gis;

function messageOf(item: unknown): string {
  if (typeof item === 'string') return item;
  const message =
    getCi(item, 'ErrorMessage') ?? getCi(item, 'message') ?? getCi(item, 'Message') ?? getCi(item, 'error');
  return typeof message === 'string' ? message : JSON.stringify(item);
}

/**
 * Exported for tests: the GetExecutionErrors answer as a list of distinct messages (see
 * executionErrors). Seen on tenants: an OData string value holding a JSON list of
 * `{RecordId, Field, ErrorMessage}`, often not valid JSON; each `ErrorMessage` is then taken
 * from the text as it stands. Also read: a list, a list of strings, objects with a message.
 */
export function parseExecutionErrors(body: string): string[] {
  let value: unknown = tryParseJson(body);
  if (value === undefined) value = body;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) value = getCi(value, 'value');
  let messages: string[];
  if (typeof value === 'string') {
    const inner = tryParseJson(value);
    if (inner !== undefined) messages = (Array.isArray(inner) ? inner : [inner]).map(messageOf);
    else {
      const found = [...value.matchAll(ERROR_MESSAGE_FIELD)].map((m) => m[1]!.replace(/\\"/g, '"'));
      messages = found.length > 0 ? found : [value];
    }
  } else if (value === null || value === undefined) messages = [];
  else messages = (Array.isArray(value) ? value : [value]).map(messageOf);
  return [...new Set(messages.map((m) => m.trim()).filter((m) => m !== ''))];
}

export function toHeader(row: unknown, dataAreaId: string, journalNumber: string): JournalHeader {
  const postedAt = getCi(row, 'PostedDateTime');
  const expected = getCi(row, 'InventoryServiceJournalExpectedStatus');
  const isPosted = yes(getCi(row, 'IsPosted'));
  return {
    dataAreaId,
    journalNumber,
    isPosted,
    // F&O writes 1900-01-01T00:00:00Z for an empty date-time.
    postedAt:
      isPosted && typeof postedAt === 'string' && !postedAt.startsWith('1900-01-01') ? postedAt : null,
    expectedStatus: typeof expected === 'string' ? expected : expected == null ? null : String(expected),
    description: orNull(getCi(row, 'Description')),
    linesDeletedAfterPosting:
      getCi(row, 'AreLinesDeletedAfterPosting') === undefined
        ? null
        : yes(getCi(row, 'AreLinesDeletedAfterPosting')),
  };
}

function orNull(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

function yes(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1;
  return typeof v === 'string' && ['yes', 'true', '1'].includes(v.trim().toLowerCase());
}
