import { z } from 'zod';

/** Draft batches: lines prepared by scan, paste or import before they enter the ledger. */

/** Largest file the import takes (CSV or XLSX); past it the answer says so and nothing changes. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** Largest pasted block. */
export const MAX_PASTE_CHARS = 5_000_000;
/** Rows one draft may hold. */
export const MAX_DRAFT_ROWS = 200_000;

export interface DraftSummary {
  draftId: string;
  name: string;
  state: 'Open' | 'Posted';
  rowCount: number;
  errorCount: number;
  createdAt: string;
  updatedAt: string;
  postedAt: string | null;
}

export interface RowError {
  /** The row in the pasted block or file, as the spreadsheet numbers it (header = row 1). */
  row: number;
  field: string;
  message: string;
}

export interface DraftRowView {
  row: number;
  line: Record<string, unknown>;
  errors: { field: string; message: string }[];
}

export interface DraftDetail extends DraftSummary {
  rows: DraftRowView[];
  /** First errors of the whole draft, in row order. */
  errors: RowError[];
}

export interface DraftAddResult {
  draft: DraftSummary;
  added: number;
  /** Errors of the rows just added (the first 1,000). */
  errors: RowError[];
}

export interface DraftPostResult {
  draft: DraftSummary;
  created: number;
  /** Rows already in the ledger from an earlier post of the same draft: not counted twice. */
  alreadyPosted: number;
}

const draftId = z.string({ error: 'must be a draft ID' }).min(1).max(64);
const fieldName = z.string().trim().max(64);

export const draftInputs = {
  list: z.strictObject({}),
  create: z.strictObject({
    name: z
      .string({ error: 'must be a name' })
      .trim()
      .min(1, { error: 'must not be blank' })
      .max(100, { error: 'must be at most 100 characters' }),
  }),
  get: z.strictObject({
    draftId,
    top: z.number().int().min(1).max(1000).default(100),
    skip: z.number().int().min(0).default(0),
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
  }),
  import: z.strictObject({
    draftId,
    fileName: z.string({ error: 'must be a file name' }).min(1).max(260),
    contentBase64: z
      .string({ error: 'must be the file, base64-encoded' })
      .min(1, { error: 'must not be empty' })
      .max(Math.ceil((MAX_IMPORT_BYTES * 4) / 3) + 4, {
        error: `must be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB`,
      }),
  }),
  post: z.strictObject({ draftId }),
  delete: z.strictObject({ draftId }),
};
