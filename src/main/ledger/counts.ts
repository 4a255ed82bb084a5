import type { Selectable } from 'kysely';
import type { CountItem, CountView } from '../../shared/counts';
import type { LedgerConnection } from './connection';
import type { CountsTable } from './store-knowledge-schema';

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
  };
}

/** Counts and their items; a recount of an item replaces its row. */
export class CountStore {
  constructor(private readonly conn: LedgerConnection) {}

  create(c: Omit<CountView, 'items' | 'state' | 'appliedAt'>): void {
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
      .map(
        (r): CountItem => ({
          productId: r.product_id,
          dimensions: JSON.parse(r.dimensions) as Record<string, string>,
          counted: r.counted,
          iv: r.iv_quantity,
          ivAt: r.iv_queried_at,
          ivLive: r.iv_live === 1,
          pending: r.pending,
          delta: r.counted - ((r.iv_quantity ?? 0) + r.pending),
          countedAt: r.counted_at,
        }),
      );
    return { ...countHeader(c), items };
  }

  list(): Omit<CountView, 'items'>[] {
    return this.conn
      .all(this.conn.qb.selectFrom('counts').selectAll().orderBy('created_at', 'desc').limit(200))
      .map(countHeader);
  }

  /** Records (or replaces) one item's count, keeping its place in the count's order. Only an open count changes. */
  record(countId: string, itemKey: string, item: Omit<CountItem, 'delta'>): boolean {
    const { conn } = this;
    return conn.transaction(() => {
      const open = conn.first(
        conn.qb
          .selectFrom('counts')
          .select('count_id')
          .where('count_id', '=', countId)
          .where('state', '=', 'Open'),
      );
      if (!open) return false;
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
          .values({
            count_id: countId,
            item_key: itemKey,
            seq: prior?.seq ?? Number(last?.n ?? 0) + 1,
            ...values,
          })
          .onConflict((oc) => oc.columns(['count_id', 'item_key']).doUpdateSet(values)),
      );
      return true;
    });
  }

  markApplied(countId: string, at: string): void {
    this.conn.run(
      this.conn.qb
        .updateTable('counts')
        .set({ state: 'Applied', applied_at: at })
        .where('count_id', '=', countId)
        .where('state', '=', 'Open'),
    );
  }
}
