import type { Selectable } from 'kysely';
import type { ReasonCode } from '../../shared/reasons';
import type { LedgerConnection } from './connection';
import type { ReasonCodesTable } from './schema';

type ReasonRow = Selectable<ReasonCodesTable>;

const view = (r: ReasonRow): ReasonCode => ({
  code: r.code,
  words: r.words,
  fnoJournalNameId: r.fno_journal_name_id,
  externalReferenceCategory: r.external_reference_category,
  approvalAlways: r.approval_always === 1,
  active: r.active === 1,
});

/** The store's reason codes (migration 15): a short list, read whole. */
export class ReasonStore {
  constructor(private readonly conn: LedgerConnection) {}

  list(): ReasonCode[] {
    return this.conn
      .all(this.conn.qb.selectFrom('reason_codes').selectAll().orderBy('sort').orderBy('code'))
      .map(view);
  }

  /** A code as stored (codes compare without regard to case), or undefined. */
  get(code: string): ReasonCode | undefined {
    const row = this.conn.first(this.conn.qb.selectFrom('reason_codes').selectAll().where('code', '=', code));
    return row ? view(row) : undefined;
  }

  upsert(reason: ReasonCode, at: string, by: string): void {
    const values = {
      words: reason.words,
      fno_journal_name_id: reason.fnoJournalNameId,
      external_reference_category: reason.externalReferenceCategory,
      approval_always: reason.approvalAlways ? 1 : 0,
      active: reason.active ? 1 : 0,
      updated_at: at,
      updated_by: by,
    };
    this.conn.run(
      this.conn.qb
        .insertInto('reason_codes')
        .values({
          code: reason.code,
          ...values,
          sort: this.conn.qb
            .selectFrom('reason_codes')
            .select((eb) => eb(eb.fn.coalesce(eb.fn.max('sort'), eb.lit(0)), '+', 1).as('s')),
        })
        .onConflict((oc) => oc.column('code').doUpdateSet(values)),
    );
  }
}
