import { canonicalDimensionName } from '../../shared/dimensions';
import type { OnHandAnswer, OnHandQuery, OnHandRow } from '../../shared/onhand';
import { nowIso } from '../clock';
import type { SettingsService } from '../config/settings-service';
import type { Ledger } from '../ledger';
import type { CachedOnHand } from '../ledger/onhand';
import { IvClient, isUpstreamError, TokenProvider } from '../upstream';

/** No site and warehouse to ask IV about: the answer is the local lines, said so. */
class NoPlaceToAsk extends Error {}

/** The product dimensions a row is split by (IV groups by them; site and warehouse are the row's place). */
export const PRODUCT_DIMENSIONS = ['colorId', 'sizeId', 'styleId', 'configId', 'versionId'] as const;
/** IV is asked with this timeout: the on-hand view waits for it, entry never does. */
const IV_TIMEOUT_MS = 5_000;

export function productDimensions(dimensions: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of PRODUCT_DIMENSIONS)
    if (dimensions[d] !== undefined && dimensions[d] !== '') out[d] = dimensions[d]!;
  return out;
}

const sameDims = (a: Record<string, string>, b: Record<string, string>) =>
  JSON.stringify(productDimensions(a)) === JSON.stringify(productDimensions(b));

/**
 * "IV now + still pending here". IV's on-hand for a row is the sum of SCM's physical inventory
 * (`fno.physicalinvent`) and the data source/measure pairs this ledger's lines write (our choice:
 * the measures a store's adjustments move; SCM's offset moves quantity between them, the sum stays).
 */
export class OnHandService {
  constructor(
    private readonly ledger: Ledger,
    private readonly settings: SettingsService,
  ) {}

  async get(query: OnHandQuery, now?: Date): Promise<OnHandAnswer> {
    const where = { siteId: query.siteId, locationId: query.locationId };
    let source: OnHandAnswer['source'] = 'none';
    let note: string | null = null;
    let liveAt: string | null = null;
    const conn = query.live ? this.settings.connection(IV_TIMEOUT_MS) : null;
    if (query.live && !conn) note = 'IV is not set up yet (Settings → Connection): local lines only.';
    if (conn) {
      try {
        const iv = new IvClient(conn, new TokenProvider(conn));
        // IV's exact query needs site and warehouse values under its default partitioning (by
        // location; an empty dimension list is refused there): the place asked about, or the
        // places this store knows for the item. None known: not asked, and said so.
        const places =
          where.siteId && where.locationId
            ? [{ siteId: where.siteId, locationId: where.locationId }]
            : this.ledger.onHand.knownPlaces(
                query.organizationId,
                query.productId,
                where.siteId || undefined,
              );
        if (places.length === 0) throw new NoPlaceToAsk();
        const answer = await iv.exactQuery({
          filters: {
            organizationId: [query.organizationId],
            productId: [query.productId],
            dimensions: ['siteId', 'locationId'],
            values: places.map((p) => [p.siteId, p.locationId]),
          },
          groupByValues: [...PRODUCT_DIMENSIONS],
          returnNegative: true,
        });
        // The answer's arrival time: lines IV accepted before it are in the answer (our iv_posted_at is
        // set when IV's bulk answer came back), later ones are pending against it.
        liveAt = now ? now.toISOString() : nowIso(this.ledger.clock);
        const pairs = [
          { dataSource: 'fno', measure: 'physicalinvent' },
          ...this.ledger.onHand.writtenPairs(),
        ];
        const rows = answer.flatMap((row) => {
          const dims: Record<string, string> = {};
          for (const [k, v] of Object.entries(row.dimensions)) dims[canonicalDimensionName(k)] = v;
          const siteId = dims.siteId ?? where.siteId;
          const locationId = dims.locationId ?? where.locationId;
          if (siteId === undefined || locationId === undefined) return [];
          return [
            {
              siteId,
              locationId,
              dims: productDimensions(dims),
              ivQuantity: sumPairs(row.quantities, pairs),
              queriedAt: liveAt!,
              quantities: row.quantities,
            },
          ];
        });
        this.ledger.onHand.replace(query.organizationId, query.productId, where, rows);
        source = 'live';
      } catch (error) {
        if (error instanceof NoPlaceToAsk)
          note =
            'IV is asked per site and warehouse, and this store knows none for the item yet: give both to ask IV. These are local lines only.';
        else if (isUpstreamError(error))
          note = `IV could not be asked now (${error.message}): IV's figures are its last answer.`;
        else throw error;
      }
    }
    const cached = this.ledger.onHand.cached(query.organizationId, query.productId, where);
    if (source !== 'live' && cached.length > 0) source = 'cached';
    return { rows: this.combine(query, where, cached, liveAt), source, note, liveAt };
  }

  /** This store's lines of one item and variant at one warehouse that IV had not counted at `since`. */
  pendingSince(
    query: { organizationId: string; productId: string; siteId: string; locationId: string },
    dimensions: Record<string, string>,
    since: string,
  ): number {
    return this.ledger.onHand
      .pendingLines(query.organizationId, query.productId, query, since)
      .filter((l) => sameDims(l.dimensions, dimensions))
      .reduce((sum, l) => sum + l.quantity, 0);
  }

  /** Cached IV rows plus the lines IV had not counted at each row's time; lines in no IV row get their own. */
  private combine(
    query: OnHandQuery,
    where: { siteId?: string; locationId?: string },
    cached: CachedOnHand[],
    liveAt: string | null,
  ): OnHandRow[] {
    const oldest = cached.reduce<string | null>(
      (m, c) => (m === null || c.queriedAt < m ? c.queriedAt : m),
      liveAt,
    );
    const lines = this.ledger.onHand.pendingLines(query.organizationId, query.productId, where, oldest);
    const rows: OnHandRow[] = cached.map((c) => ({
      organizationId: query.organizationId,
      productId: query.productId,
      siteId: c.siteId,
      locationId: c.locationId,
      dimensions: c.dims,
      iv: c.ivQuantity,
      ivAt: c.queriedAt,
      pending: 0,
      total: 0,
    }));
    for (const line of lines) {
      const place = (r: OnHandRow) =>
        r.siteId.toLowerCase() === line.siteId.toLowerCase() &&
        r.locationId.toLowerCase() === line.locationId.toLowerCase() &&
        sameDims(r.dimensions, line.dimensions);
      let row = rows.find(place);
      if (!row) {
        // IV answered without this combination: it had none of it then.
        row = {
          organizationId: query.organizationId,
          productId: query.productId,
          siteId: line.siteId,
          locationId: line.locationId,
          dimensions: productDimensions(line.dimensions),
          iv: liveAt ? 0 : null,
          ivAt: liveAt,
          pending: 0,
          total: 0,
        };
        rows.push(row);
      }
      row.pending += line.quantity;
    }
    // Only lines IV had not counted at the row's own time are pending for it.
    for (const row of rows) {
      if (row.ivAt === null || row.ivAt === oldest) continue;
      row.pending = this.ledger.onHand
        .pendingLines(
          query.organizationId,
          query.productId,
          { siteId: row.siteId, locationId: row.locationId },
          row.ivAt,
        )
        .filter((l) => sameDims(l.dimensions, row.dimensions))
        .reduce((sum, l) => sum + l.quantity, 0);
    }
    for (const row of rows) row.total = (row.iv ?? 0) + row.pending;
    return rows;
  }
}

function sumPairs(
  quantities: Record<string, Record<string, number>>,
  pairs: { dataSource: string; measure: string }[],
): number {
  const wanted = new Set(pairs.map((p) => `${p.dataSource.toLowerCase()}\u0000${p.measure.toLowerCase()}`));
  let total = 0;
  for (const [ds, measures] of Object.entries(quantities))
    for (const [m, q] of Object.entries(measures))
      if (wanted.has(`${ds.toLowerCase()}\u0000${m.toLowerCase()}`)) total += q;
  return total;
}
