import { createHash, randomUUID } from 'node:crypto';
import {
  type DraftAddResult,
  type DraftDetail,
  type DraftPostResult,
  type DraftRowResult,
  type DraftSummary,
  MAX_IMPORT_BYTES,
  type RowProblem,
} from '../../shared/drafts';
import type { LineAuthor } from '../../shared/people';
import { nowIso } from '../clock';
import { AppError, notFound } from '../errors';
import type { EntryPipeline } from '../ingest/pipeline';
import type { Ledger } from '../ledger';
import type { StoredDraftRow } from '../ledger/drafts';
import { addBlock, type Block } from './adding';
import type { Defaults } from './columns';
import { derivedId, judgeRows } from './judge';
import { type Confirmed, postDraft } from './posting';
import { applyEdit, editTarget } from './rows';
import { fileKind, parseCsv, parseTabSeparated } from './table';
import { parseXlsx } from './xlsx';

const MAX_REPORTED = 1_000;
const MB = MAX_IMPORT_BYTES / 1024 / 1024;

export interface DraftDeps {
  ledger: Ledger;
  entry: EntryPipeline;
}

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/**
 * Draft batches: rows wait here (across restarts) until *Post batch* enters them all. Rows are
 * judged by the entry pipeline when added and when edited (judge.ts), keep the row number their
 * spreadsheet shows, and a row without an `id` posts under one derived from its file's content
 * and row, so the same file in two drafts is the same lines and the ledger takes them once.
 */
export class DraftService {
  /** Adds, posts and deletes of one draft run one after another; edits wait for none of them. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly busy = new Map<string, number>();

  constructor(private readonly deps: DraftDeps) {}

  list(): DraftSummary[] {
    return this.deps.ledger.drafts.list();
  }

  create(name: string): DraftSummary {
    return this.deps.ledger.drafts.create(randomUUID().slice(0, 8), name, nowIso(this.deps.ledger.clock));
  }

  get(draftId: string, top: number, skip: number, problemsOnly = false): DraftDetail {
    const summary = this.open(draftId, false);
    const store = this.deps.ledger.drafts;
    return {
      ...summary,
      imports: store.imports(draftId),
      rows: store.rows.page(draftId, top, skip, problemsOnly),
      rowsTotal: problemsOnly ? store.rows.problemRows(draftId) : summary.rowCount,
      errors: store.rows.problems(draftId, 'errors', MAX_REPORTED),
      cautions: store.rows.problems(draftId, 'cautions', MAX_REPORTED),
    };
  }

  delete(draftId: string): Promise<DraftSummary[]> {
    return this.serial(draftId, async () => {
      const d = this.open(draftId, false);
      if (!this.deps.ledger.drafts.delete(draftId))
        throw new AppError(
          'conflict',
          `Draft '${d.name}' was posted: it stays as the record of what was posted.`,
        );
      return this.list();
    });
  }

  /** A block copied from Excel or LibreOffice: tab-separated, with a header row or `columns`. */
  paste(draftId: string, text: string, columns?: string[], locale = 'en-US'): Promise<DraftAddResult> {
    return this.add(draftId, {
      name: null,
      contentHash: sha256(`${text}\u0000${JSON.stringify(columns ?? null)}`),
      read: () => parseTabSeparated(text),
      ...(columns && { columns }),
      locale,
    });
  }

  /** A CSV or XLSX file, recognised by its content (a zip is XLSX) and its name. */
  import(draftId: string, fileName: string, bytes: Uint8Array, locale = 'en-US'): Promise<DraftAddResult> {
    if (bytes.length > MAX_IMPORT_BYTES)
      throw new AppError('too_large', `The file is larger than ${MB} MB: split it.`, [
        { field: 'content', message: `must be at most ${MB} MB` },
      ]);
    const kind = fileKind(fileName, bytes);
    if (kind === 'not-zip')
      throw new AppError(
        'invalid_input',
        `${fileName} is not an XLSX workbook (it is not a zip file): save it again as .xlsx or .csv.`,
        [{ field: 'fileName', message: 'is not an XLSX workbook' }],
      );
    if (!kind)
      throw new AppError(
        'invalid_input',
        `${fileName} is not a CSV or XLSX file: save it as .csv or .xlsx.`,
        [{ field: 'fileName', message: 'must be a .csv or .xlsx file' }],
      );
    return this.add(draftId, {
      name: fileName,
      contentHash: sha256(bytes),
      read: () => (kind === 'csv' ? parseCsv(bytes) : parseXlsx(bytes)),
      locale,
    });
  }

  /** A new draft with one file (the HTTP import): refused, it leaves no empty draft behind. */
  async importNew(
    name: string,
    fileName: string,
    bytes: Uint8Array,
    locale: string,
  ): Promise<DraftAddResult> {
    const draft = this.create(name);
    try {
      return await this.import(draft.draftId, fileName, bytes, locale);
    } catch (error) {
      this.deps.ledger.drafts.delete(draft.draftId);
      throw error;
    }
  }

  /** A row's fields changed by the clerk, judged again by the pipeline. */
  editRow(
    draftId: string,
    block: number,
    row: number,
    values: Record<string, string>,
    locale = 'en-US',
  ): DraftRowResult {
    const stored = this.row(draftId, block, row);
    const unknown = Object.keys(values).filter((name) => editTarget(name) === null);
    if (unknown.length > 0)
      throw new AppError(
        'invalid_input',
        `Nothing was changed: ${unknown.map((u) => `'${u.slice(0, 40)}'`).join(', ')} ${unknown.length > 1 ? 'name' : 'names'} no field of a line.`,
        unknown.map((u) => ({ field: `values.${u.slice(0, 64)}`, message: 'names no field' })),
      );
    const edit = applyEdit(stored.line, values, locale);
    const editedDimensions = [...edit.fields].some((f) => f.startsWith('dimensions.'));
    // What a cell said stays until the clerk edits that field (a 20-digit id stays refused).
    const kept = (list: RowProblem[]) =>
      list.filter(
        (p) =>
          p.cell !== undefined &&
          !edit.fields.has(p.field) &&
          !(p.field === 'dimensions' && editedDimensions),
      );
    const store = this.deps.ledger.drafts;
    const source = store.import(draftId, block);
    const [judged] = judgeRows(
      this.deps,
      [
        {
          block,
          sourceRow: row,
          source: source?.sourceName ?? 'draft',
          line: edit.line,
          derivedId: source ? derivedId(source.contentHash, row) : stored.lineId,
          errors: [...kept(stored.errors), ...edit.errors],
          cautions: [...kept(stored.cautions), ...edit.cautions],
        },
      ],
      { draftId, seen: new Map(), exceptRowNumber: stored.rowNumber },
    );
    const after: StoredDraftRow = { ...stored, line: edit.line, ...judged! };
    if (!store.rows.replace(draftId, stored, after, nowIso(this.deps.ledger.clock))) this.open(draftId, true);
    return { draft: store.get(draftId)!, row: this.view(draftId, after) };
  }

  deleteRow(draftId: string, block: number, row: number): DraftRowResult {
    const stored = this.row(draftId, block, row);
    const store = this.deps.ledger.drafts;
    if (!store.rows.remove(draftId, stored, nowIso(this.deps.ledger.clock))) this.open(draftId, true);
    return { draft: store.get(draftId)!, row: null };
  }

  /** A whole file or pasted block taken out of the draft (a file imported twice, the wrong file). */
  deleteBlock(draftId: string, block: number): Promise<DraftSummary> {
    return this.serial(draftId, async () => {
      const draft = this.open(draftId, true);
      const store = this.deps.ledger.drafts;
      if (!store.import(draftId, block)) throw notFound(`File or block ${block} of draft '${draft.name}'`);
      store.dropImport(draftId, block, nowIso(this.deps.ledger.clock));
      return store.get(draftId)!;
    });
  }

  /** All rows or none (posting.ts); a question to answer first is a needs_confirmation. */
  post(draftId: string, author: LineAuthor, confirmed: Partial<Confirmed> = {}): Promise<DraftPostResult> {
    return this.serial(draftId, async () => {
      this.open(draftId, false);
      return await postDraft(this.deps, draftId, author, {
        largeQuantity: confirmed.largeQuantity ?? false,
        reimport: confirmed.reimport ?? false,
        ...(confirmed.approval && { approval: confirmed.approval }),
      });
    });
  }

  private add(draftId: string, block: Block): Promise<DraftAddResult> {
    return this.serial(draftId, async () => {
      this.open(draftId, true);
      return await addBlock(this.deps, draftId, block, this.defaults());
    });
  }

  private view(draftId: string, r: StoredDraftRow) {
    const source = this.deps.ledger.drafts.import(draftId, r.block)?.sourceName ?? 'draft';
    return {
      block: r.block,
      source,
      row: r.sourceRow,
      line: r.line,
      lineId: r.lineId,
      errors: r.errors,
      cautions: r.cautions,
    };
  }

  private row(draftId: string, block: number, row: number): StoredDraftRow {
    const draft = this.open(draftId, true);
    if (this.busy.has(draftId))
      throw new AppError(
        'conflict',
        `Draft '${draft.name}' is being added to or posted: change its rows once that is done.`,
      );
    const stored = this.deps.ledger.drafts.rows.find(draftId, block, row);
    if (!stored) throw notFound(`Row ${row} of block ${block} in draft '${draft.name}'`);
    return stored;
  }

  private serial<T>(draftId: string, work: () => Promise<T>): Promise<T> {
    const before = this.queues.get(draftId) ?? Promise.resolve();
    this.busy.set(draftId, (this.busy.get(draftId) ?? 0) + 1);
    // The draft is free again before the caller hears the answer: its next edit is never refused.
    const run = before.then(async () => {
      try {
        return await work();
      } finally {
        const left = (this.busy.get(draftId) ?? 1) - 1;
        if (left === 0) this.busy.delete(draftId);
        else this.busy.set(draftId, left);
      }
    });
    const tail: Promise<unknown> = run
      .catch(() => undefined)
      .finally(() => {
        if (this.queues.get(draftId) === tail) this.queues.delete(draftId);
      });
    this.queues.set(draftId, tail);
    return run;
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
