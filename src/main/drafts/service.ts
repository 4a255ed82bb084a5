import { randomUUID } from 'node:crypto';
import { adjustmentLineSchema, fieldErrors } from '../../shared/adjustment';
import {
  type DraftAddResult,
  type DraftDetail,
  type DraftPostResult,
  type DraftSummary,
  MAX_DRAFT_ROWS,
  MAX_IMPORT_BYTES,
  type RowError,
} from '../../shared/drafts';
import { AppError, notFound } from '../errors';
import { backgroundTurn } from '../event-loop';
import type { Entered, EntryPipeline } from '../ingest/pipeline';
import type { Ledger } from '../ledger';
import type { NewDraftRow } from '../ledger/drafts';
import { type Defaults, MappingError, mapColumns, rowToLine } from './rows';
import { fileKind, parseCsv, parseTabSeparated, parseXlsx, TableError } from './table';

/**
 * Rows validated and stored per step, and lines ingested per step, so that each step stays well
 * under 100 ms (2,000 a step stalled the event loop up to 266 ms when posting; `npm run bench -- import`).
 */
const ADD_SLICE = 500;
const POST_SLICE = 500;
const MAX_REPORTED = 1_000;

export interface DraftDeps {
  ledger: Ledger;
  entry: EntryPipeline;
  changed: () => void;
}

/**
 * Draft batches: rows wait here (across restarts) until *Post batch* ingests them all.
 * Each row's ID is its own `id` or one derived from the draft and row (`<draft>-<row>`),
 * so posting the same draft again answers the lines already in the ledger, never doubles them.
 */
export class DraftService {
  private readonly posting = new Map<string, Promise<DraftPostResult>>();

  constructor(private readonly deps: DraftDeps) {}

  list(): DraftSummary[] {
    return this.deps.ledger.drafts.list();
  }

  create(name: string): DraftSummary {
    return this.deps.ledger.drafts.create(randomUUID().slice(0, 8), name, new Date().toISOString());
  }

  get(draftId: string, top: number, skip: number): DraftDetail {
    const summary = this.open(draftId, false);
    const store = this.deps.ledger.drafts;
    return { ...summary, rows: store.rows(draftId, top, skip), errors: store.errors(draftId, MAX_REPORTED) };
  }

  delete(draftId: string): DraftSummary[] {
    const d = this.open(draftId, false);
    if (!this.deps.ledger.drafts.delete(draftId))
      throw new AppError(
        'conflict',
        `Draft '${d.name}' was posted: it stays as the record of what was posted.`,
      );
    return this.list();
  }

  /** A block copied from Excel or LibreOffice: tab-separated, with a header row or `columns`. */
  paste(draftId: string, text: string, columns?: string[]): Promise<DraftAddResult> {
    return this.addTable(draftId, () => parseTabSeparated(text), columns);
  }

  /** A CSV or XLSX file, recognised by its content (a zip is XLSX) and its name. */
  import(draftId: string, fileName: string, bytes: Uint8Array): Promise<DraftAddResult> {
    if (bytes.length > MAX_IMPORT_BYTES)
      throw new AppError(
        'invalid_input',
        `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it.`,
        [{ field: 'contentBase64', message: `must be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB` }],
      );
    const kind = fileKind(fileName, bytes);
    if (!kind)
      throw new AppError(
        'invalid_input',
        `${fileName} is not a CSV or XLSX file: save it as .csv or .xlsx.`,
        [{ field: 'fileName', message: 'must be a .csv or .xlsx file' }],
      );
    return this.addTable(draftId, () => (kind === 'csv' ? parseCsv(bytes) : parseXlsx(bytes)));
  }

  private async addTable(
    draftId: string,
    read: () => string[][] | Promise<string[][]>,
    columns?: string[],
  ): Promise<DraftAddResult> {
    this.open(draftId, true);
    let table: string[][];
    let mapped: ReturnType<typeof mapColumns>;
    const defaults = this.defaults();
    try {
      table = await read();
      mapped = mapColumns(table, columns, defaults);
    } catch (error) {
      if (error instanceof TableError || error instanceof MappingError)
        throw new AppError('invalid_input', `Nothing was added: ${error.message}`, [
          { field: '(rows)', message: error.message },
        ]);
      throw error;
    }
    const store = this.deps.ledger.drafts;
    const dataRows = table.length - mapped.firstDataRow;
    const existing = store.get(draftId)!.rowCount;
    if (existing + dataRows > MAX_DRAFT_ROWS)
      throw new AppError(
        'invalid_input',
        `Nothing was added: a draft holds at most ${MAX_DRAFT_ROWS} rows (this one has ${existing}, the block ${dataRows}).`,
      );
    let next = store.lastRow(draftId) + 1;
    const errors: RowError[] = [];
    let added = 0;
    // Validated and stored a slice at a time, so a 100,000-row file never stalls the API or UI.
    for (let start = mapped.firstDataRow; start < table.length; start += ADD_SLICE) {
      const slice: NewDraftRow[] = [];
      const end = Math.min(table.length, start + ADD_SLICE);
      const lines = table.slice(start, end).map((cells, k) => {
        const line = rowToLine(cells, mapped.targets, defaults);
        if (line.id === undefined) line.id = `${draftId}-${next + k}`;
        return line;
      });
      // An id already in the draft, or earlier in this block, is the row's error: posting needs one id per row.
      const seen = store.rowsWithIds(draftId, [...new Set(lines.map((l) => String(l.id)))]);
      for (let i = start; i < end; i++) {
        const row = next++;
        const line = lines[i - start]!;
        const parsed = adjustmentLineSchema.safeParse(line);
        const rowErrors = parsed.success
          ? []
          : fieldErrors(parsed.error).map(({ field, message }) => ({ field, message }));
        const id = String(line.id);
        const first = seen.get(id);
        if (first !== undefined)
          rowErrors.push({ field: 'id', message: `repeats the id of draft row ${first}` });
        else seen.set(id, row);
        // The spreadsheet's own row number: what the clerk sees beside the row.
        const sourceRow = i + 1;
        for (const e of rowErrors) if (errors.length < MAX_REPORTED) errors.push({ row: sourceRow, ...e });
        slice.push({ row, line, errors: rowErrors });
      }
      if (!store.append(draftId, slice, new Date().toISOString()))
        throw new AppError('conflict', 'The draft was posted meanwhile: start a new draft for these rows.');
      added += slice.length;
      await backgroundTurn();
    }
    this.deps.changed();
    return { draft: store.get(draftId)!, added, errors };
  }

  /** All rows or none: a draft with any bad row (a repeated id is one) is refused, and nothing enters the ledger. */
  post(draftId: string, createdBy: string): Promise<DraftPostResult> {
    let running = this.posting.get(draftId);
    if (!running) {
      running = this.doPost(draftId, createdBy).finally(() => this.posting.delete(draftId));
      this.posting.set(draftId, running);
    }
    return running;
  }

  private async doPost(draftId: string, createdBy: string): Promise<DraftPostResult> {
    const { ledger } = this.deps;
    const draft = this.open(draftId, false);
    if (draft.state === 'Posted') return { draft, created: 0, alreadyPosted: draft.rowCount };
    if (draft.rowCount === 0)
      throw new AppError('invalid_input', `Draft '${draft.name}' has no rows to post.`, [
        { field: 'draftId', message: 'has no rows' },
      ]);
    if (draft.errorCount > 0) {
      const errors = ledger.drafts.errors(draftId, MAX_REPORTED);
      throw new AppError(
        'invalid_input',
        `Nothing was posted: ${draft.errorCount} row${draft.errorCount > 1 ? 's' : ''} of '${draft.name}' need fixing first (draft row ${errors[0]?.row}: ${errors[0]?.field} ${errors[0]?.message}).`,
        errors.map((e) => ({ index: e.row, field: e.field, message: e.message })),
      );
    }
    let created = 0;
    let alreadyPosted = 0;
    let after = 0;
    for (;;) {
      const batch = ledger.drafts.lines(draftId, after, POST_SLICE);
      if (batch.length === 0) break;
      after = batch[batch.length - 1]!.row;
      let entered: Entered;
      try {
        entered = this.deps.entry.enterNow(
          batch.map((b) => b.line),
          { source: 'import', createdBy, confirmedLargeQuantity: true },
        );
      } catch (error) {
        // Slices already ingested stay: their ids are the draft's, so posting again finishes without doubles.
        if (!(error instanceof AppError)) throw error;
        throw new AppError(
          error.code,
          `Posting stopped at row ${batch[0]!.row}: ${error.message}. Rows before it are in the ledger; post again once fixed, nothing is counted twice.`,
          error.errors,
        );
      }
      created += entered.created;
      alreadyPosted += entered.lines.length - entered.created;
      await backgroundTurn();
    }
    ledger.drafts.markPosted(draftId, new Date().toISOString());
    this.deps.changed();
    return { draft: ledger.drafts.get(draftId)!, created, alreadyPosted };
  }

  private defaults(): Defaults {
    return {
      organizationId: this.deps.ledger.settings.read().defaultOrganizationId,
      quantityDataSource: '@iv',
      physicalMeasure: 'adjustment',
    };
  }

  private open(draftId: string, mustBeOpen: boolean): DraftSummary {
    const d = this.deps.ledger.drafts.get(draftId);
    if (!d) throw notFound(`Draft ${draftId}`);
    if (mustBeOpen && d.state !== 'Open')
      throw new AppError('conflict', `Draft '${d.name}' was posted: start a new draft for more rows.`);
    return d;
  }
}
