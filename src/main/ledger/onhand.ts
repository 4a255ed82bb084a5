import type { LedgerConnection } from './connection';

export interface CachedOnHand {
  siteId: string;
  locationId: string;
  dims: Record<string, string>;
  ivQuantity: number;
  queriedAt: string;
}

/** IV's last answers per product and warehouse, and the local lines IV had not yet counted. */
export class OnHandStore {
  constructor(private readonly conn: LedgerConnection) {}

  /** Replaces what is cached for the product (and warehouse, when given) with IV's answer. */
  replace(
    organizationId: string,
    productId: string,
    where: { siteId?: string; locationId?: string },
    rows: (CachedOnHand & { quantities: Record<string, Record<string, number>> })[],
  ): void {
    const { conn } = this;
    conn.writeNow(() => {
      let del = conn.qb
        .deleteFrom('onhand_cache')
        .where('organization_id', '=', organizationId)
        .where('product_id', '=', productId);
      if (where.siteId !== undefined) del = del.where('site_id', '=', where.siteId);
      if (where.locationId !== undefined) del = del.where('location_id', '=', where.locationId);
      conn.run(del);
      for (const r of rows)
        conn.run(
          conn.qb
            .insertInto('onhand_cache')
            .values({
              organization_id: organizationId,
              product_id: productId,
              site_id: r.siteId,
              location_id: r.locationId,
              dims: JSON.stringify(r.dims),
              iv_quantity: r.ivQuantity,
              quantities: JSON.stringify(r.quantities),
              queried_at: r.queriedAt,
            })
            .onConflict((oc) => oc.doNothing()),
        );
    });
  }

  cached(
    organizationId: string,
    productId: string,
    where: { siteId?: string; locationId?: string },
  ): CachedOnHand[] {
    let q = this.conn.qb
      .selectFrom('onhand_cache')
      .select(['site_id', 'location_id', 'dims', 'iv_quantity', 'queried_at'])
      .where('organization_id', '=', organizationId)
      .where('product_id', '=', productId);
    if (where.siteId !== undefined) q = q.where('site_id', '=', where.siteId);
    if (where.locationId !== undefined) q = q.where('location_id', '=', where.locationId);
    return this.conn.all(q.orderBy('site_id').orderBy('location_id')).map((r) => ({
      siteId: r.site_id,
      locationId: r.location_id,
      dims: JSON.parse(r.dims) as Record<string, string>,
      ivQuantity: r.iv_quantity,
      queriedAt: r.queried_at,
    }));
  }

  /**
   * Lines of the product IV had not counted at `since`: not yet sent, or sent after it.
   * `since` null: every line not yet sent. Quantities with their warehouse and dimensions.
   */
  pendingLines(
    organizationId: string,
    productId: string,
    where: { siteId?: string; locationId?: string },
    since: string | null,
  ): { siteId: string; locationId: string; dimensions: Record<string, string>; quantity: number }[] {
    let q = this.conn.qb
      .selectFrom('adjustment_lines')
      .select(['site_id', 'location_id', 'dimensions', 'quantity'])
      .where('organization_id', '=', organizationId)
      .where('product_id', '=', productId)
      .where((eb) =>
        since === null
          ? eb('status', '=', 'Created')
          : eb.or([eb('status', '=', 'Created'), eb('iv_posted_at', '>', since)]),
      );
    if (where.siteId !== undefined) q = q.where('site_id', '=', where.siteId);
    if (where.locationId !== undefined) q = q.where('location_id', '=', where.locationId);
    return this.conn.all(q).map((r) => ({
      siteId: r.site_id,
      locationId: r.location_id,
      dimensions: JSON.parse(r.dimensions) as Record<string, string>,
      quantity: r.quantity,
    }));
  }

  /**
   * The sites and warehouses where this store knows of an item: where its lines went, and the
   * organization's warehouses in the store's copy of SCM's master data; `siteId` narrows them.
   * IV's exact query under its default partitioning needs both values for every place it is
   * asked about, so an on-hand without a warehouse asks about these (at most `limit`).
   */
  knownPlaces(
    organizationId: string,
    productId: string,
    siteId: string | undefined,
    limit = 100,
  ): { siteId: string; locationId: string }[] {
    const { qb } = this.conn;
    let fromLines = qb
      .selectFrom('adjustment_lines')
      .select(['site_id', 'location_id'])
      .where('organization_id', '=', organizationId)
      .where('product_id', '=', productId);
    let fromCopy = qb
      .selectFrom('md_warehouses')
      .select(['site_id', 'warehouse_id as location_id'])
      .where('organization_id', '=', organizationId)
      .where('site_id', 'is not', null)
      .$narrowType<{ site_id: string }>();
    if (siteId !== undefined) {
      fromLines = fromLines.where('site_id', '=', siteId);
      fromCopy = fromCopy.where('site_id', '=', siteId);
    }
    return this.conn
      .all(fromLines.union(fromCopy).limit(limit))
      .map((r) => ({ siteId: r.site_id, locationId: r.location_id }));
  }

  /** The data source/measure pairs this ledger's lines write: the measures that make IV's on-hand here. */
  writtenPairs(): { dataSource: string; measure: string }[] {
    return this.conn
      .all(
        this.conn.qb
          .selectFrom('adjustment_lines')
          .select(['quantity_data_source', 'physical_measure'])
          .distinct()
          .limit(100),
      )
      .map((r) => ({ dataSource: r.quantity_data_source, measure: r.physical_measure }));
  }
}
