import { randomUUID } from 'node:crypto';
import {
  type CountApplied,
  type CountApplyResult,
  type CountView,
  type CountWaiting,
  roundQuantity,
} from '../../shared/counts';
import type { LineAuthor } from '../../shared/people';
import { COUNT_REASON } from '../../shared/reasons';
import { nowIso } from '../clock';
import { AppError, InputError, notFound } from '../errors';
import type { ApprovalRequest } from '../ingest/approval-rule';
import type { EntryPipeline } from '../ingest/pipeline';
import type { Ledger } from '../ledger';
import type { RecordedItem } from '../ledger/counts';
import { describeAsOf } from '../master-data/checks';
import type { OnHandService } from '../onhand/service';
import { COUNT_CATEGORY, type CountedItem, itemKey, judgeCounted, judgePlace } from './item-rules';
import { type KnownAtApply, onHandAtApply } from './on-hand-at-apply';
import { judgePastedRows, parseCountBlock } from './paste';

export { COUNT_CATEGORY };

/** Items one count may hold: applied in one ingest, well under the bulk limit. */
const MAX_ITEMS = 5_000;
/** After IV did not answer, items are shown against its last answer for this long before it is asked again. */
const IV_QUIET_MS = 30_000;

export interface CountDeps {
  ledger: Ledger;
  onHand: OnHandService;
  entry: EntryPipeline;
}

/**
 * Count mode: the clerk scans and types what is on the shelf. Each item is judged by the entry
 * pipeline's rules when it is recorded (item-rules.ts) and shown beside what IV says then, as a
 * preview. Apply asks IV again (on-hand-at-apply.ts) and posts counted − (IV + pending) per item
 * as lines of category *Inventory counting delta* with the count's reference; while IV does not
 * answer, Apply refuses unless a manager chooses IV's last known figure for each such item. Line
 * ids come from the count, so applying twice never doubles.
 */
export class CountService {
  private ivQuietUntil = 0;

  constructor(private readonly deps: CountDeps) {}

  list() {
    return this.deps.ledger.counts.list();
  }

  create(input: {
    reference: string;
    organizationId?: string | null;
    siteId: string;
    locationId: string;
  }): CountView {
    const organizationId = input.organizationId?.trim()
      ? input.organizationId
      : this.deps.ledger.settings.read().defaultOrganizationId;
    if (!organizationId)
      throw new InputError('No count was started', [
        { field: 'organizationId', message: 'is required: no default organization is set under Settings' },
      ]);
    const judged = judgePlace(this.deps.entry, { ...input, organizationId });
    if (!judged.place) throw new InputError('No count was started', judged.errors);
    const countId = randomUUID().slice(0, 8);
    this.deps.ledger.counts.create({ countId, ...judged.place, createdAt: nowIso(this.deps.ledger.clock) });
    return this.get(countId);
  }

  get(countId: string): CountView {
    const count = this.deps.ledger.counts.get(countId);
    if (!count) throw notFound(`Count ${countId}`);
    return count;
  }

  private open(countId: string): CountView {
    const count = this.get(countId);
    if (count.state !== 'Open')
      throw new AppError('conflict', `Count ${count.reference} was applied: start a new count.`);
    return count;
  }

  /** Records what is on the shelf for one item; a recount of the same item replaces it. */
  async record(
    countId: string,
    input: { productId: string; dimensions?: Record<string, unknown>; counted: number },
  ): Promise<CountView> {
    const count = this.open(countId);
    const [judged] = judgeCounted(this.deps.entry, count, [input]);
    if (!judged?.item) throw new InputError('Not counted', judged?.errors ?? []);
    await this.store(count, [judged.item]);
    return this.get(countId);
  }

  /** A pasted block of counted items (paste.ts): judged whole first, then each item recorded. */
  async paste(countId: string, text: string): Promise<CountView> {
    const count = this.open(countId);
    const parsed = parseCountBlock(text);
    const judged = 'rows' in parsed ? judgePastedRows(this.deps.entry, count, parsed.rows) : parsed;
    if ('errors' in judged)
      throw new AppError(
        'invalid_input',
        `Nothing was counted: ${judged.errors.map((e) => (e.field.startsWith('(') ? `${e.field} ${e.message}` : e.message)).join('; ')}`,
        judged.errors,
      );
    await this.store(count, judged.items);
    return this.get(countId);
  }

  removeItem(countId: string, item: number): CountView {
    const count = this.open(countId);
    if (!this.deps.ledger.counts.remove(countId, item))
      throw notFound(`Item ${item} of count ${count.reference}`);
    return this.get(countId);
  }

  /** Each item beside what IV says now (or, while IV does not answer, its last answer). */
  private async store(count: CountView, items: CountedItem[]): Promise<void> {
    const known = new Map(count.items.map((i) => [itemKey(i.productId, i.dimensions), i]));
    const adding = items.filter((i) => !known.has(i.key)).length;
    if (count.items.length + adding > MAX_ITEMS)
      throw new AppError(
        'invalid_input',
        `A count holds at most ${MAX_ITEMS} items: apply this one and start another.`,
      );
    for (const item of items) {
      const live = Date.now() >= this.ivQuietUntil;
      const answer = await this.deps.onHand.get({
        organizationId: count.organizationId,
        productId: item.productId,
        siteId: count.siteId,
        locationId: count.locationId,
        live,
      });
      if (live && answer.source !== 'live') this.ivQuietUntil = Date.now() + IV_QUIET_MS;
      const row = answer.rows.find((r) => itemKey(item.productId, r.dimensions) === item.key);
      const isLive = answer.source === 'live';
      let seen: Pick<RecordedItem, 'iv' | 'ivAt' | 'pending'> = {
        // IV answered without this variant here: it had none of it then.
        iv: row?.iv ?? (isLive ? 0 : null),
        ivAt: row?.ivAt ?? (isLive ? answer.liveAt : null),
        pending: row?.pending ?? 0,
      };
      // A recount offline keeps what IV said at the first count rather than forget it.
      const earlier = known.get(item.key);
      if (seen.iv === null && earlier && earlier.iv !== null) seen = earlier;
      const recorded: RecordedItem = {
        productId: item.productId,
        dimensions: item.dimensions,
        counted: item.counted,
        countedAt: nowIso(this.deps.ledger.clock),
        ivLive: isLive,
        iv: seen.iv,
        ivAt: seen.ivAt,
        pending: seen.pending,
      };
      if (!this.deps.ledger.counts.record(count.countId, item.key, recorded))
        throw new AppError('conflict', `Count ${count.reference} was applied meanwhile.`);
    }
  }

  /**
   * Posts counted − (on-hand at Apply + pending) per item. `useLastKnown`: the items a manager
   * chose to compare with IV's last known figure should IV not answer now.
   */
  async apply(
    countId: string,
    author: LineAuthor,
    choices: { useLastKnown?: number[]; confirmedLargeQuantity?: boolean; approval?: ApprovalRequest } = {},
  ): Promise<CountApplyResult> {
    let count = this.get(countId);
    if (count.state === 'Applied') return this.alreadyApplied(count);
    let known = await onHandAtApply(this.deps.onHand, count);
    // An item recorded while IV was being asked is asked about too, once; the count read last is
    // the one applied (no await between reading it and storing its lines).
    count = this.get(countId);
    if (count.items.some((i) => !known.has(i.item))) {
      known = await onHandAtApply(this.deps.onHand, count);
      count = this.get(countId);
    }
    if (count.state === 'Applied') return this.alreadyApplied(count);
    if (count.items.some((i) => !known.has(i.item)))
      throw new AppError(
        'conflict',
        `Count ${count.reference} changed while it was being applied: apply it again.`,
      );
    const chosen = new Set(choices.useLastKnown ?? []);
    const waiting: CountWaiting[] = [];
    const plan: { item: number; applied: CountApplied; line: object | null }[] = [];
    for (const item of count.items) {
      const k = known.get(item.item)!;
      const figure = k.live ? k.figure : chosen.has(item.item) ? k.lastKnown : null;
      if (!figure) {
        waiting.push(this.waitingItem(item, k));
        continue;
      }
      const delta = roundQuantity(item.counted - (figure.onHand + figure.pending));
      const lineId = delta === 0 ? null : `count-${count.countId}-${item.item}`;
      plan.push({
        item: item.item,
        applied: {
          basis: k.live ? 'live' : 'last_known',
          onHand: figure.onHand,
          onHandAt: figure.at,
          pending: figure.pending,
          delta,
          lineId,
        },
        line:
          lineId === null
            ? null
            : {
                id: lineId,
                organizationId: count.organizationId,
                productId: item.productId,
                quantityDataSource: '@iv',
                physicalMeasure: 'adjustment',
                quantity: delta,
                dimensions: { siteId: count.siteId, locationId: count.locationId, ...item.dimensions },
                externalReferenceCategory: COUNT_CATEGORY,
                externalReferenceId: count.reference,
              },
      });
    }
    if (waiting.length > 0) return { applied: false, count, message: refusal(waiting), waiting };
    const { ledger, entry } = this.deps;
    // A count's lines give the store's "count" reason, while the store keeps that code in use.
    const reason = ledger.reasons.get(COUNT_REASON)?.active ? { reasonCode: COUNT_REASON } : {};
    const lines = plan.flatMap((p) => (p.line ? [{ ...p.line, ...reason }] : []));
    const result = ledger.writeNow(() => {
      // Marked first: a second apply racing this one finds the count applied and posts nothing.
      if (!ledger.counts.markApplied(countId, nowIso(ledger.clock), plan, author)) return null;
      // Large differences go through the pipeline's question (needs_confirmation) like any entry;
      // a refusal rolls the mark back with everything else.
      if (lines.length === 0) return 0;
      return entry.enterNow(lines, {
        source: 'count',
        author,
        confirmedLargeQuantity: choices.confirmedLargeQuantity ?? false,
        ...(choices.approval && { approval: choices.approval }),
      }).created;
    });
    if (result === null) return this.alreadyApplied(this.get(countId));
    return { applied: true, count: this.get(countId), created: result, unchanged: lines.length - result };
  }

  private alreadyApplied(count: CountView): CountApplyResult {
    const posted = count.items.filter((i) => i.applied?.lineId).length;
    return { applied: true, count, created: 0, unchanged: posted };
  }

  private waitingItem(item: CountView['items'][number], k: KnownAtApply): CountWaiting {
    const lastKnown = k.live ? null : k.lastKnown;
    const why = k.live ? '' : k.why;
    return {
      item: item.item,
      productId: item.productId,
      dimensions: item.dimensions,
      counted: item.counted,
      lastKnown,
      reason: lastKnown
        ? `${why} Last known on-hand ${lastKnown.onHand} as of ${describeAsOf(lastKnown.at)}, pending here ${lastKnown.pending}: a manager can choose to post against it.`
        : `${why} IV has never given a figure for it: remove it from the count, or apply when IV answers.`,
    };
  }
}

/** The refusal in words: which items wait, why, and what can be done. */
function refusal(waiting: CountWaiting[]): string {
  const names = (list: CountWaiting[]) => list.map((w) => describeItem(w)).join(', ');
  const offered = waiting.filter((w) => w.lastKnown);
  const none = waiting.filter((w) => !w.lastKnown);
  const n = waiting.length;
  return [
    `Not applied: IV could not be asked for the on-hand of ${n} ${n === 1 ? 'item' : 'items'} (${names(waiting)}), and a count is never compared with an unknown figure.`,
    offered.length > 0
      ? `A manager can choose to post ${names(offered)} against IV's last known on-hand.`
      : '',
    none.length > 0
      ? `${names(none)}: no figure from IV ever; remove ${none.length === 1 ? 'it' : 'them'} from the count, or apply when IV answers.`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function describeItem(w: { productId: string; dimensions: Record<string, string> }): string {
  const variant = Object.values(w.dimensions);
  return variant.length > 0 ? `${w.productId} ${variant.join(' ')}` : w.productId;
}
