/**
 * A file or pasted block added to a draft, whole or not at all: read and mapped before anything
 * is stored (a refusal names the row or column and changes nothing), then judged and stored a
 * slice at a time so a 200,000-row file never holds the event loop; a block that fails midway
 * is taken out again.
 */
import { type DraftAddResult, MAX_DRAFT_ROWS, type RowError } from '../../shared/drafts';
import { nowIso } from '../clock';
import { AppError } from '../errors';
import { backgroundTurn } from '../event-loop';
import type { EntryPipeline } from '../ingest/pipeline';
import type { Ledger } from '../ledger';
import type { NewDraftRow } from '../ledger/drafts';
import { type Defaults, MappingError, mapColumns } from './columns';
import { derivedId, type JudgeContext, judgeRows, type PendingRow } from './judge';
import { readRow } from './rows';
import { type SourceTable, TableError } from './table';

/** Rows judged and stored per step: each step stays well under 100 ms (`npm run bench -- import`). */
const ADD_SLICE = 500;
const MAX_REPORTED = 1_000;

export interface Block {
  /** The file's name; null for a pasted block (named "pasted block <n>" by its number). */
  name: string | null;
  /** sha256 (hex) of the file's bytes or the block's text and mapping. */
  contentHash: string;
  read: () => Promise<SourceTable>;
  /** Field per column, when the block has no header row. */
  columns?: string[];
  /** The UI's language: people's numbers are read in it. */
  locale: string;
}

export interface AddDeps {
  ledger: Ledger;
  entry: EntryPipeline;
}

export function nothingAdded(error: unknown): never {
  if (error instanceof TableError || error instanceof MappingError)
    throw new AppError('invalid_input', `Nothing was added: ${error.message}`, [
      { field: '(rows)', message: error.message },
    ]);
  throw error;
}

export async function addBlock(
  deps: AddDeps,
  draftId: string,
  block: Block,
  defaults: Defaults,
): Promise<DraftAddResult> {
  const store = deps.ledger.drafts;
  let table: SourceTable;
  let mapped: ReturnType<typeof mapColumns>;
  try {
    table = await block.read();
    mapped = mapColumns(table.rows, block.columns, defaults);
  } catch (error) {
    nothingAdded(error);
  }
  const dataRows = table.rows.length - mapped.firstDataRow;
  if (dataRows === 0)
    throw new AppError('invalid_input', 'Nothing was added: there are no rows below the header row.', [
      { field: '(rows)', message: 'has no data rows' },
    ]);
  const existing = store.get(draftId)!.rowCount;
  if (existing + dataRows > MAX_DRAFT_ROWS)
    throw new AppError(
      'invalid_input',
      `Nothing was added: a draft holds at most ${MAX_DRAFT_ROWS.toLocaleString('en-US')} rows (this one has ${existing.toLocaleString('en-US')}, the ${block.name === null ? 'block' : 'file'} ${dataRows.toLocaleString('en-US')}).`,
      [{ field: '(rows)', message: `must be at most ${MAX_DRAFT_ROWS} rows per draft` }],
    );
  const now = () => nowIso(deps.ledger.clock);
  const started = store.startImport(draftId, block.name, block.contentHash, now());
  if (started === null)
    throw new AppError('conflict', 'The draft was posted meanwhile: start a new draft for these rows.');
  const { block: number, sourceName } = started;
  const errors: RowError[] = [];
  const cautions: RowError[] = [];
  const ctx: JudgeContext = { draftId, seen: new Map() };
  let next = store.rows.lastRowNumber(draftId) + 1;
  try {
    for (let start = mapped.firstDataRow; start < table.rows.length; start += ADD_SLICE) {
      const pending: PendingRow[] = table.rows.slice(start, start + ADD_SLICE).map((source) => {
        const read = readRow(source, mapped, defaults, block.locale);
        return {
          block: number,
          sourceRow: source.row,
          source: sourceName,
          line: read.line,
          derivedId: derivedId(block.contentHash, source.row),
          errors: read.errors,
          cautions: read.cautions,
        };
      });
      const judged = judgeRows(deps, pending, ctx);
      const rows: NewDraftRow[] = pending.map((p, i) => ({
        rowNumber: next++,
        block: number,
        sourceRow: p.sourceRow,
        line: p.line,
        ...judged[i]!,
      }));
      for (const r of rows) {
        const at = { block: number, source: sourceName, row: r.sourceRow };
        for (const e of r.errors) if (errors.length < MAX_REPORTED) errors.push({ ...at, ...e });
        for (const c of r.cautions) if (cautions.length < MAX_REPORTED) cautions.push({ ...at, ...c });
      }
      if (!store.rows.append(draftId, rows, now()))
        throw new AppError('conflict', 'The draft was posted meanwhile: start a new draft for these rows.');
      await backgroundTurn();
    }
    store.finishImport(draftId, number, dataRows);
  } catch (error) {
    store.dropImport(draftId, number, now());
    throw error;
  }
  const added = store.imports(draftId).find((i) => i.block === number)!;
  const notes = [...table.notes, ...mapped.notes];
  if (added.earlier)
    notes.unshift(
      `${block.name === null ? 'This block was' : `${block.name} was`} ${added.earlier.said}: Post batch will ask before posting its rows again.`,
    );
  return { draft: store.get(draftId)!, block: added, added: dataRows, errors, cautions, notes };
}
