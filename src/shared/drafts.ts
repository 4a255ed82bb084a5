import { z } from 'zod';
import { FILE_LIMITS, fileBytes } from './file-upload';

/** Draft batches: lines prepared by paste or import before they enter the ledger. */

/** Largest file the import takes (CSV or XLSX); past it the answer says so and nothing changes. */
export const MAX_IMPORT_BYTES = FILE_LIMITS.draftImport.maxBytes;
/** Largest pasted block. */
export const MAX_PASTE_CHARS = 5_000_000;
/** Rows one draft may hold. */
export const MAX_DRAFT_ROWS = 200_000;

export interface DraftSummary {
  draftId: string;
  name: string;
  state: 'Open' | 'Posted';
  rowCount: number;
  /** Rows with an error: the draft cannot be posted while there is one. */
  errorCount: number;
  /** Rows with a caution (already in the ledger, a large quantity, a number read back, …). */
  cautionCount: number;
  createdAt: string;
  updatedAt: string;
  postedAt: string | null;
}

/** An earlier import of the same content (the same file or pasted block), in any draft. */
export interface EarlierImport {
  draftId: string;
  draftName: string;
  importedAt: string;
  /** "already imported on 2026-05-04 14:03 (draft 'Delivery 12')": the words rows and answers use. */
  said: string;
}

/** One file or pasted block added to a draft. */
export interface DraftImport {
  /** The draft's nth file or block, from 1. */
  block: number;
  /** The file's name, or "pasted block". */
  sourceName: string;
  rowCount: number;
  importedAt: string;
  /** Set when the same content was imported before: posting its rows asks first. */
  earlier: EarlierImport | null;
}

/** What is wrong with (errors) or worth a look at (cautions) in a row, by field. */
export interface RowProblem {
  field: string;
  message: string;
  /** The spreadsheet cell it came from ("B3"), when one cell is the cause. */
  cell?: string;
}

/** A problem with the row named as the spreadsheet names it: file or block, and row number. */
export interface RowError extends RowProblem {
  block: number;
  /** The file's name, or "pasted block". */
  source: string;
  /** The row in the file or pasted block, as the spreadsheet numbers it (header = row 1). */
  row: number;
}

export interface DraftRowView {
  block: number;
  source: string;
  /** The spreadsheet's row number (the same numbering as errors and cautions). */
  row: number;
  /** The row as read (before the pipeline's normalisation), without an id the draft derived. */
  line: Record<string, unknown>;
  /** The id the row posts under: its own, or one derived from the file's content and row. */
  lineId: string;
  errors: RowProblem[];
  cautions: RowProblem[];
}

export interface DraftDetail extends DraftSummary {
  imports: DraftImport[];
  /** A page of rows (all, or those with problems), and how many there are to page through. */
  rows: DraftRowView[];
  rowsTotal: number;
  /** First errors of the whole draft, in row order. */
  errors: RowError[];
  /** First cautions of the whole draft, in row order. */
  cautions: RowError[];
}

export interface DraftAddResult {
  draft: DraftSummary;
  /** The file or block just added. */
  block: DraftImport;
  added: number;
  /** Errors of the rows just added (the first 1,000). */
  errors: RowError[];
  /** Cautions of the rows just added (the first 1,000). */
  cautions: RowError[];
  /** How the file was read: columns not read and why, the text encoding. */
  notes: string[];
}

export interface DraftRowResult {
  draft: DraftSummary;
  /** The row as it is now; null once deleted. */
  row: DraftRowView | null;
}

export interface DraftPostResult {
  draft: DraftSummary;
  created: number;
  /** Rows whose line the ledger already holds (an earlier post, an export read back): not added twice. */
  alreadyPosted: number;
}

const draftId = z.string({ error: 'must be a draft ID' }).min(1).max(64);
/** A file's name is shown in every row's words: plain text, as long as Windows allows. */
const fileName = z
  .string({ error: 'must be a file name' })
  .trim()
  .min(1, { error: 'must not be blank' })
  .max(260, { error: 'must be at most 260 characters' })
  .refine((name) => !/[\p{Cc}\p{Cf}]/u.test(name), {
    error: 'must not contain control or invisible characters',
  });
const draftName = z
  .string({ error: 'must be a name' })
  .trim()
  .min(1, { error: 'must not be blank' })
  .max(100, { error: 'must be at most 100 characters' })
  .refine((name) => !/[\p{Cc}\p{Cf}]/u.test(name), {
    error: 'must not contain control or invisible characters',
  });
const fieldName = z.string().trim().max(64);

/** A BCP 47 tag ("de-DE"): numbers typed by people are read in it. */
export const localeSchema = z
  .string({ error: 'must be a language tag like en-US or de-DE' })
  .max(35)
  .refine(
    (tag) => {
      try {
        return Intl.getCanonicalLocales(tag).length === 1;
      } catch {
        return false;
      }
    },
    { error: 'must be a language tag like en-US or de-DE' },
  );
const locale = localeSchema.default('en-US');
const rowNumber = z.number().int().min(1).max(10_000_000);

/** What the HTTP import takes in its query: the same rules as the window's. */
export const importQuery = z.object({
  fileName,
  name: draftName.optional(),
  locale: localeSchema.default('en-US'),
});

export const draftInputs = {
  list: z.strictObject({}),
  create: z.strictObject({ name: draftName }),
  get: z.strictObject({
    draftId,
    top: z.number().int().min(1).max(1000).default(100),
    skip: z.number().int().min(0).default(0),
    /** Only rows with an error or a caution: what the clerk has to look at, wherever it is. */
    problemsOnly: z.boolean().default(false),
  }),
  paste: z.strictObject({
    draftId,
    text: z
      .string({ error: 'must be the pasted text' })
      .min(1, { error: 'must not be empty' })
      .max(MAX_PASTE_CHARS, {
        error: `must be at most ${MAX_PASTE_CHARS} characters: import a file instead`,
      }),
    /** Field per column when the block has no header row (e.g. ["productId","quantity",...]). */
    columns: z.array(fieldName).max(60).optional(),
    /** The UI's language: "1.000" is one thousand in de-DE. */
    locale,
  }),
  import: z.strictObject({
    draftId,
    fileName,
    content: fileBytes(FILE_LIMITS.draftImport),
    locale,
  }),
  /** A row's fields, by column name as a header would name them ("quantity", "Warehouse"); "" clears. */
  editRow: z.strictObject({
    draftId,
    block: rowNumber,
    row: rowNumber,
    values: z
      .record(z.string().max(64), z.string().max(1000, { error: 'must be at most 1,000 characters' }))
      .refine((v) => Object.keys(v).length >= 1 && Object.keys(v).length <= 60, {
        error: 'must name 1 to 60 fields',
      }),
    locale,
  }),
  deleteRow: z.strictObject({ draftId, block: rowNumber, row: rowNumber }),
  deleteBlock: z.strictObject({ draftId, block: rowNumber }),
  post: z.strictObject({
    draftId,
    /** The person answered yes to "N rows at or beyond …: post them?". */
    confirmLargeQuantity: z.boolean().default(false),
    /** The person answered yes to posting a re-imported file's rows again, as new lines. */
    confirmReimport: z.boolean().default(false),
  }),
  delete: z.strictObject({ draftId }),
};

/** "2026-05-04 14:03" in the store's local time: when a file was imported or a line entered. */
export function localDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The words a re-imported file is flagged with, in rows and answers alike. */
export function alreadyImported(e: Omit<EarlierImport, 'said'>): string {
  return `already imported on ${localDateTime(e.importedAt)} (draft '${e.draftName}')`;
}
