import type { Selectable } from 'kysely';
import { type CountApplied, type CountItem, type CountView, roundQuantity } from '../../shared/counts';
import type { LedgerConnection } from './connection';
import type { CountItemsTable, CountsTable } from './store-knowledge-schema';

function countHeader(c: Selectable<CountsTable>): Omit<CountView, 'items'> {
  return {
    countId: c.count_id,
    reference: c.reference,
    organizationId: c.organization_id,
    siteId: c.site_id,
    locationId: c.location_id,
    state: c.state,
    createdAt: c.created_at,
    appliedAt: c.applied_at,
    appliedBy: c.applied_by ?? null,
  };
}

function applied(r: Selectable<CountItemsTable>): CountApplied | null {
  if (r.applied_basis === null) return null;
  return {
    basis: r.applied_basis,
    onHand: r.applied_on_hand ?? 0,
    onHandAt: r.applied_on_hand_at ?? '',
    pending: r.applied_pending ?? 0,
    delta: r.applied_delta ?? 0,
    lineId: r.applied_line_id,
  };
}

function item(r: Selectable<CountItemsTable>): CountItem {
  return {
    item: r.seq,
    productId: r.product_id,
    dimensions: JSON.parse(r.dimensions) as Record<string, string>,
    counted: r.counted,
    countedAt: r.counted_at,
    iv: r.iv_quantity,
    ivAt: r.iv_queried_at,
    ivLive: r.iv_live === 1,
    pending: r.pending,
    // Never against an unknown figure: no figure, no difference.
    delta: r.iv_quantity === null ? null : roundQuantity(r.counted - (r.iv_quantity + r.pending)),
    applied: applied(r),
  };
}

/** An item's figures as recorded: what was counted and what IV said then. */
export type RecordedItem = Omit<CountItem, 'item' | 'delta' | 'applied'>;

/** Counts and their items; a recount of an item replaces its row. */
export class CountStore {
  constructor(private readonly conn: LedgerConnection) {}

  create(c: Omit<CountView, 'items' | 'state' | 'appliedAt' | 'appliedBy'>): void {
    this.conn.run(
      this.conn.qb.insertInto('counts').values({
        count_id: c.countId,
        reference: c.reference,
        organization_id: c.organizationId,
        site_id: c.siteId,
        location_id: c.locationId,
        state: 'Open',
        created_at: c.createdAt,
        applied_at: null,
      }),
    );
  }

  get(countId: string): CountView | null {
    const c = this.conn.first(this.conn.qb.selectFrom('counts').selectAll().where('count_id', '=', countId));
    if (!c) return null;
    const items = this.conn
      .all(this.conn.qb.selectFrom('count_items').selectAll().where('count_id', '=', countId).orderBy('seq'))
      .map(item);
    return { ...countHeader(c), items };
  }

  list(): Omit<CountView, 'items'>[] {
    return this.conn
      .all(this.conn.qb.selectFrom('counts').selectAll().orderBy('created_at', 'desc').limit(200))
      .map(countHeader);
  }

  private isOpen(countId: string): boolean {
    const { conn } = this;
    return !!conn.first(
      conn.qb
        .selectFrom('counts')
        .select('count_id')
        .where('count_id', '=', countId)
        .where('state', '=', 'Open'),
    );
  }

  /** Records (or replaces) one item's count, keeping its place in the count's order. Only an open count changes. */
  record(countId: string, itemKey: string, item: RecordedItem): boolean {
    const { conn } = this;
    return conn.writeNow(() => {
      const count = conn.first(
        conn.qb
          .selectFrom('counts')
          .select('items_numbered')
          .where('count_id', '=', countId)
          .where('state', '=', 'Open'),
      );
      if (!count) return false;
      const prior = conn.first(
        conn.qb
          .selectFrom('count_items')
          .select('seq')
          .where('count_id', '=', countId)
          .where('item_key', '=', itemKey),
      );
      const last = conn.first(
        conn.qb
          .selectFrom('count_items')
          .select((eb) => eb.fn.max('seq').as('n'))
          .where('count_id', '=', countId),
      );
      // A removed item's number is never given again: a line id names one item for good.
      const seq = prior?.seq ?? Math.max(Number(last?.n ?? 0), count.items_numbered) + 1;
      const values = {
        product_id: item.productId,
        dimensions: JSON.stringify(item.dimensions),
        counted: item.counted,
        iv_quantity: item.iv,
        iv_queried_at: item.ivAt,
        iv_live: item.ivLive ? 1 : 0,
        pending: item.pending,
        counted_at: item.countedAt,
      };
      conn.run(
        conn.qb
          .insertInto('count_items')
          .values({ count_id: countId, item_key: itemKey, seq, ...values })
          .onConflict((oc) => oc.columns(['count_id', 'item_key']).doUpdateSet(values)),
      );
      if (seq > count.items_numbered)
        conn.run(conn.qb.updateTable('counts').set({ items_numbered: seq }).where('count_id', '=', countId));
      return true;
    });
  }

  /** Takes an item out of an open count; false when the count is applied or has no such item. */
  remove(countId: string, seq: number): boolean {
    const { conn } = this;
    return conn.writeNow(() => {
      if (!this.isOpen(countId)) return false;
      const gone = conn.run(
        conn.qb.deleteFrom('count_items').where('count_id', '=', countId).where('seq', '=', seq),
      );
      return gone.changes > 0;
    });
  }

  /**
   * Marks the count applied with what each item was compared with and posted, in the caller's
   * transaction (beside the lines it entered). False when it was no longer open.
   */
  markApplied(
    countId: string,
    at: string,
    items: { item: number; applied: CountApplied }[],
    by: { name: string; id: string | null },
  ): boolean {
    const { conn } = this;
    if (!this.isOpen(countId)) return false;
    for (const { item, applied: a } of items)
      conn.run(
        conn.qb
          .updateTable('count_items')
          .set({
            applied_basis: a.basis,
            applied_on_hand: a.onHand,
            applied_on_hand_at: a.onHandAt,
            applied_pending: a.pending,
            applied_delta: a.delta,
            applied_line_id: a.lineId,
          })
          .where('count_id', '=', countId)
          .where('seq', '=', item),
      );
    conn.run(
      conn.qb
        .updateTable('counts')
        .set({ state: 'Applied', applied_at: at, applied_by: by.name, applied_by_id: by.id })
        .where('count_id', '=', countId)
        .where('state', '=', 'Open'),
    );
    return true;
  }
}
