import { sql } from 'kysely';
import {
  alreadyImported,
  type DraftImport,
  type DraftSummary,
  type EarlierImport,
} from '../../shared/drafts';
import type { LedgerConnection } from './connection';
import { DraftRowStore } from './draft-rows';
import type { DraftRow } from './store-knowledge-schema';

export type { NewDraftRow, StoredDraftRow } from './draft-rows';

function summary(d: DraftRow): DraftSummary {
  return {
    draftId: d.draft_id,
    name: d.name,
    state: d.state,
    rowCount: d.row_count,
    errorCount: d.error_count,
    cautionCount: d.caution_count,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
    postedAt: d.posted_at,
  };
}

/**
 * Draft batches, the files and pasted blocks added to them (each with its content hash, so the
 * same content imported again is recognised in any draft), and their rows (draft-rows.ts).
 */
export class DraftStore {
  readonly rows: DraftRowStore;

  constructor(private readonly conn: LedgerConnection) {
    this.rows = new DraftRowStore(conn);
  }

  create(draftId: string, name: string, now: string): DraftSummary {
    this.conn.run(
      this.conn.qb.insertInto('drafts').values({
        draft_id: draftId,
        name,
        state: 'Open',
        created_at: now,
        updated_at: now,
        posted_at: null,
      }),
    );
    return this.get(draftId)!;
  }

  get(draftId: string): DraftSummary | null {
    const row = this.conn.first(
      this.conn.qb.selectFrom('drafts').selectAll().where('draft_id', '=', draftId),
    );
    return row ? summary(row) : null;
  }

  list(): DraftSummary[] {
    return this.conn
      .all(this.conn.qb.selectFrom('drafts').selectAll().orderBy('created_at', 'desc'))
      .map(summary);
  }

  /**
   * Opens the draft's next block (its files and pasted blocks are numbered 1, 2, …); null if the
   * draft is not open. A pasted block is named by its number ("pasted block 2"), a file by its name.
   */
  startImport(
    draftId: string,
    sourceName: string | null,
    contentHash: string,
    now: string,
  ): { block: number; sourceName: string } | null {
    const { conn } = this;
    return conn.writeNow(() => {
      const open = conn.run(
        conn.qb
          .updateTable('drafts')
          .set({ updated_at: now })
          .where('draft_id', '=', draftId)
          .where('state', '=', 'Open'),
      );
      if (open.changes === 0) return null;
      const last = conn.first(
        conn.qb
          .selectFrom('draft_imports')
          .select((eb) => eb.fn.max('block').as('n'))
          .where('draft_id', '=', draftId),
      );
      const block = Number(last?.n ?? 0) + 1;
      const name = sourceName ?? `pasted block ${block}`;
      conn.run(
        conn.qb.insertInto('draft_imports').values({
          draft_id: draftId,
          block,
          source_name: name,
          content_hash: contentHash,
          row_count: 0,
          imported_at: now,
        }),
      );
      return { block, sourceName: name };
    });
  }

  finishImport(draftId: string, block: number, rowCount: number): void {
    this.conn.run(
      this.conn.qb
        .updateTable('draft_imports')
        .set({ row_count: rowCount })
        .where('draft_id', '=', draftId)
        .where('block', '=', block),
    );
  }

  /** A block that could not be added whole: its rows and its record go, the counts with them. */
  dropImport(draftId: string, block: number, now: string): void {
    const { conn } = this;
    conn.writeNow(() => {
      const gone = conn.first(
        conn.qb
          .selectFrom('draft_rows')
          .select((eb) => [
            eb.fn.countAll<number>().as('rows'),
            eb.fn.count<number>('errors').as('errors'),
            eb.fn.count<number>('cautions').as('cautions'),
          ])
          .where('draft_id', '=', draftId)
          .where('block', '=', block),
      );
      conn.run(conn.qb.deleteFrom('draft_rows').where('draft_id', '=', draftId).where('block', '=', block));
      conn.run(
        conn.qb.deleteFrom('draft_imports').where('draft_id', '=', draftId).where('block', '=', block),
      );
      conn.run(
        conn.qb
          .updateTable('drafts')
          .set({
            row_count: sql`row_count - ${gone?.rows ?? 0}`,
            error_count: sql`error_count - ${gone?.errors ?? 0}`,
            caution_count: sql`caution_count - ${gone?.cautions ?? 0}`,
            updated_at: now,
          })
          .where('draft_id', '=', draftId),
      );
    });
  }

  imports(draftId: string): DraftImport[] {
    return this.conn
      .all(
        this.conn.qb.selectFrom('draft_imports').selectAll().where('draft_id', '=', draftId).orderBy('block'),
      )
      .map((i) => ({
        block: i.block,
        sourceName: i.source_name,
        rowCount: i.row_count,
        importedAt: i.imported_at,
        earlier: this.earlierImport(i.content_hash, draftId, i.block),
      }));
  }

  import(draftId: string, block: number): { sourceName: string; contentHash: string } | undefined {
    const row = this.conn.first(
      this.conn.qb
        .selectFrom('draft_imports')
        .select(['source_name', 'content_hash'])
        .where('draft_id', '=', draftId)
        .where('block', '=', block),
    );
    return row && { sourceName: row.source_name, contentHash: row.content_hash };
  }

  /**
   * The first import of this content, when it is not this one (draft, block): the same file or
   * block added before, into this draft or another. Deleting a draft forgets its imports; the
   * lines a posted draft entered stay in the ledger and are recognised there by their ids.
   */
  earlierImport(contentHash: string, draftId: string, block: number): EarlierImport | null {
    const first = this.conn.first(
      this.conn.qb
        .selectFrom('draft_imports as i')
        .innerJoin('drafts as d', 'd.draft_id', 'i.draft_id')
        .select(['i.draft_id', 'i.block', 'i.imported_at', 'd.name'])
        .where('i.content_hash', '=', contentHash)
        .orderBy('i.imported_at')
        .orderBy('i.draft_id')
        .orderBy('i.block')
        .limit(1),
    );
    if (!first || (first.draft_id === draftId && first.block === block)) return null;
    const earlier = { draftId: first.draft_id, draftName: first.name, importedAt: first.imported_at };
    return { ...earlier, said: alreadyImported(earlier) };
  }

  markPosted(draftId: string, now: string, by: { name: string; id: string | null }): void {
    this.conn.run(
      this.conn.qb
        .updateTable('drafts')
        .set({ state: 'Posted', posted_at: now, updated_at: now, posted_by: by.name, posted_by_id: by.id })
        .where('draft_id', '=', draftId)
        .where('state', '=', 'Open'),
    );
  }

  /** Deletes an open draft, its rows and imports; a posted draft stays as the record of what was posted. */
  delete(draftId: string): boolean {
    const { conn } = this;
    return conn.writeNow(() => {
      const d = this.get(draftId);
      if (d?.state !== 'Open') return false;
      conn.run(conn.qb.deleteFrom('draft_rows').where('draft_id', '=', draftId));
      conn.run(conn.qb.deleteFrom('draft_imports').where('draft_id', '=', draftId));
      conn.run(conn.qb.deleteFrom('drafts').where('draft_id', '=', draftId).where('state', '=', 'Open'));
      return true;
    });
  }
}
