import { randomUUID } from 'node:crypto';
import type { CountApplyResult, CountView } from '../../shared/counts';
import { sortDimensions } from '../../shared/dimensions';
import { AppError, InputError, notFound } from '../errors';
import type { EntryPipeline } from '../ingest/pipeline';
import type { Ledger } from '../ledger';
import { type OnHandService, productDimensions } from '../onhand/service';
import { parseCountBlock } from './paste';

export const COUNT_CATEGORY = 'Inventory counting delta';
/** Items one count may hold: applied in one ingest, well under the bulk limit. */
const MAX_ITEMS = 5_000;

export interface CountDeps {
  ledger: Ledger;
  onHand: OnHandService;
  entry: EntryPipeline;
  changed: () => void;
}

/**
 * Count mode: the clerk scans and types what is on the shelf; each item is compared with
 * "IV now + pending here" at that moment (or, offline, IV's last answer, and the count says
 * so). Apply posts counted − (IV + pending) per item as lines of category *Inventory counting
 * delta* with the count's reference; their ids come from the count, so applying twice never doubles.
 */
export class CountService {
  constructor(private readonly deps: CountDeps) {}

  list() {
    return this.deps.ledger.counts.list();
  }

  create(input: {
    reference: string;
    organizationId: string;
    siteId: string;
    locationId: string;
  }): CountView {
    const countId = randomUUID().slice(0, 8);
    this.deps.ledger.counts.create({ countId, ...input, createdAt: new Date().toISOString() });
    return this.get(countId);
  }

  get(countId: string): CountView {
    const count = this.deps.ledger.counts.get(countId);
    if (!count) throw notFound(`Count ${countId}`);
    return count;
  }

  /** Records what is on the shelf for one item; a recount of the same item replaces it. */
  async record(
    countId: string,
    productId: string,
    dimensions: Record<string, string>,
    counted: number,
  ): Promise<CountView> {
    await this.compareAndRecord(countId, productId, dimensions, counted, true);
    return this.get(countId);
  }

  /** Records one item against IV's on-hand (live, or its last answer); says whether IV answered. */
  private async compareAndRecord(
    countId: string,
    productId: string,
    dimensions: Record<string, string>,
    counted: number,
    live: boolean,
  ): Promise<boolean> {
    const count = this.get(countId);
    if (count.state !== 'Open')
      throw new AppError('conflict', `Count ${count.reference} was applied: start a new count.`);
    const dims = productDimensions(dimensions);
    const key = JSON.stringify([productId.toLowerCase(), sortDimensions(dims)]);
    if (
      count.items.length >= MAX_ITEMS &&
      !count.items.some(
        (i) => JSON.stringify([i.productId.toLowerCase(), sortDimensions(i.dimensions)]) === key,
      )
    )
      throw new AppError(
        'invalid_input',
        `A count holds at most ${MAX_ITEMS} items: apply this one and start another.`,
      );
    const answer = await this.deps.onHand.get({
      organizationId: count.organizationId,
      productId,
      siteId: count.siteId,
      locationId: count.locationId,
      live,
    });
    const row = answer.rows.find(
      (r) => JSON.stringify(sortDimensions(r.dimensions)) === JSON.stringify(sortDimensions(dims)),
    );
    const ok = this.deps.ledger.counts.record(countId, key, {
      productId,
      dimensions: dims,
      counted,
      iv: row?.iv ?? (answer.source === 'live' ? 0 : null),
      ivAt: row?.ivAt ?? null,
      ivLive: answer.source === 'live',
      pending: row?.pending ?? 0,
      countedAt: new Date().toISOString(),
    });
    if (!ok) throw new AppError('conflict', `Count ${count.reference} was applied meanwhile.`);
    return answer.source === 'live';
  }

  /**
   * A pasted block of counted items (counts/paste.ts): read whole first, so a bad row or an
   * item twice in the block records nothing; then each item is recorded as if scanned.
   */
  async paste(countId: string, text: string): Promise<CountView> {
    const parsed = parseCountBlock(text);
    if ('errors' in parsed) throw new InputError('Nothing was counted: fix the rows listed', parsed.errors);
    this.get(countId);
    // Once IV does not answer, the rest of the block is compared with its last answers: a
    // 500-row paste offline must not wait out 500 timeouts.
    let live = true;
    for (const item of parsed.items)
      live = await this.compareAndRecord(countId, item.productId, item.dimensions, item.counted, live);
    return this.get(countId);
  }

  apply(countId: string, createdBy: string): CountApplyResult {
    const count = this.get(countId);
    const lines = count.items
      .map((item, i) => ({ item, n: i + 1, delta: Math.round(item.delta * 1e6) / 1e6 }))
      .filter(({ delta }) => delta !== 0)
      .map(({ item, n, delta }) => ({
        id: `count-${count.countId}-${n}`,
        organizationId: count.organizationId,
        productId: item.productId,
        quantityDataSource: '@iv',
        physicalMeasure: 'adjustment',
        quantity: delta,
        dimensions: { siteId: count.siteId, locationId: count.locationId, ...item.dimensions },
        externalReferenceCategory: COUNT_CATEGORY,
        externalReferenceId: count.reference,
      }));
    const created =
      lines.length > 0
        ? this.deps.entry.enterNow(lines, { source: 'count', createdBy, confirmedLargeQuantity: true })
            .created
        : 0;
    this.deps.ledger.counts.markApplied(countId, new Date().toISOString());
    this.deps.changed();
    return { count: this.get(countId), created, unchanged: lines.length - created };
  }
}
