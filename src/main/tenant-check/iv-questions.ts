/**
 * IV's on-hand bulk answer (docs/dynamics-contract.md §4: not documented for on-hand changes):
 * the pair sent as events, then sent again. The resend is the whole pair, not one event of it:
 * were IV to count an id twice, a lone resent +1 would change on-hand, the pair cannot.
 */
import type { TenantAnswer, TenantEvidence } from '../../shared/tenant-check';
import { tryParseJson } from '../upstream/answer-text';
import type { OnHandBulkResult, OnHandEvent } from '../upstream/iv-client';
import { answer, type CheckContext, errorWords, failed, kept } from './context';

export const ivEventIds = (ctx: CheckContext): [string, string] => [`${ctx.tag}-iv-in`, `${ctx.tag}-iv-out`];

function pairEvents(ctx: CheckContext): OnHandEvent[] {
  const { organization, item, site, warehouse, dataSource, measure } = ctx.options;
  const [plus, minus] = ivEventIds(ctx);
  return [
    [plus, 1],
    [minus, -1],
  ].map(([id, quantity]) => ({
    id: id as string,
    organizationId: organization,
    productId: item,
    dimensions: { siteId: site, locationId: warehouse },
    quantities: { [dataSource]: { [measure]: quantity as number } },
  }));
}

/** What a JSON answer looks like, in a few words: keys, lists and their items, id prefixes. */
export function describeShape(raw: string): string {
  if (raw.trim() === '') return 'an empty body';
  const json = tryParseJson(raw);
  if (json === undefined) return `text that is not JSON (${raw.trim().slice(0, 80)})`;
  const prefixes = new Set([...raw.matchAll(/"([a-z]+)~[^"]*"/gi)].map((m) => `${m[1]}~`));
  const ids = prefixes.size > 0 ? `; ids carry the prefix ${[...prefixes].join(', ')}` : '';
  return `${shapeOf(json, 0)}${ids}`;
}

function shapeOf(value: unknown, depth: number): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return 'an empty list';
    const kinds = [...new Set(value.map((v) => (depth > 1 ? typeof v : shapeOf(v, depth + 1))))];
    return `a list of ${value.length} (${kinds.join(' | ')})`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (depth > 1) return `{${entries.map(([k]) => k).join(', ')}}`;
    return `{${entries.map(([k, v]) => `${k}: ${shapeOf(v, depth + 1)}`).join(', ')}}`;
  }
  return value === null ? 'null' : typeof value;
}

function readOut(result: OnHandBulkResult): string {
  const parts = [`${result.accepted.length} accepted`];
  if (result.alreadyApplied.length > 0)
    parts.push(`${result.alreadyApplied.length} of them as already in IV`);
  if (result.rejected.length > 0)
    parts.push(
      `${result.rejected.length} refused (${result.rejected.map((r) => `${r.statusCode}: ${r.message}`).join('; ')})`,
    );
  if (result.held.length > 0)
    parts.push(`${result.held.length} held for a resend (${result.heldReason ?? 'nothing certain said'})`);
  return parts.join(', ');
}

/** IV's on-hand of the pair's data source and measure at the test place (null: not answered). */
async function onHand(ctx: CheckContext, evidence: TenantEvidence[], when: string): Promise<number | null> {
  const { organization, item, site, warehouse, dataSource, measure } = ctx.options;
  try {
    const rows = await ctx.iv.exactQuery({
      filters: {
        organizationId: [organization],
        productId: [item],
        dimensions: ['siteId', 'locationId'],
        values: [[site, warehouse]],
      },
      groupByValues: [],
      returnNegative: true,
    });
    evidence.push({ what: `IV exact query ${when}`, body: kept(ctx, JSON.stringify(rows)) });
    const lower = (s: string) => s.toLowerCase();
    return rows.reduce((sum, r) => {
      const measures =
        Object.entries(r.quantities).find(([ds]) => lower(ds) === lower(dataSource))?.[1] ?? {};
      return sum + (Object.entries(measures).find(([m]) => lower(m) === lower(measure))?.[1] ?? 0);
    }, 0);
  } catch (error) {
    evidence.push({ what: `IV exact query ${when}`, body: errorWords(ctx, error) });
    return null;
  }
}

export async function askIvBulk(ctx: CheckContext): Promise<TenantAnswer> {
  const { dataSource, measure, item, site, warehouse } = ctx.options;
  const events = pairEvents(ctx);
  const evidence: TenantEvidence[] = [];
  const bulk = `POST ${ctx.conn.ivEndpoint}/api/environment/${ctx.conn.environmentId}/onhand/bulk`;
  ctx.progress('Sending IV the zero-net pair, then the same pair again');
  try {
    const before = await onHand(ctx, evidence, 'before');
    ctx.sent.push(
      `IV: on-hand events ${events.map((e) => `${e.id} (${e.quantities[dataSource]?.[measure]})`).join(' and ')} on ${dataSource}.${measure}, item ${item}, site ${site}, warehouse ${warehouse}; then the same two events again.`,
    );
    const first = await ctx.iv.postOnHandBulk(events);
    evidence.push({
      what: 'onhand/bulk: the pair',
      request: bulk,
      status: null,
      body: kept(ctx, first.raw),
    });
    const again = await ctx.iv.postOnHandBulk(events);
    evidence.push({
      what: 'onhand/bulk: the same pair again',
      request: bulk,
      status: null,
      body: kept(ctx, again.raw),
    });
    const after = await onHand(ctx, evidence, 'after');
    const net =
      before === null || after === null
        ? 'IV did not answer the exact query, so the net change was not read.'
        : before === after
          ? `IV's on-hand of ${dataSource}.${measure} at that place read ${before} before and ${after} after: nothing net changed.`
          : `IV's on-hand of ${dataSource}.${measure} at that place read ${before} before and ${after} after: something else moved it meanwhile, or IV applied only part of the pair; check the events ${events.map((e) => e.id).join(', ')}.`;
    return answer(
      'ivBulkAnswer',
      `IV answered the pair (a 2xx) with ${describeShape(first.raw)}: the client reads ${readOut(first)}. ` +
        `The resend was answered with ${describeShape(again.raw)}: read as ${readOut(again)}. ${net}`,
      {
        firstShape: describeShape(first.raw),
        resendShape: describeShape(again.raw),
        first: {
          accepted: first.accepted,
          alreadyApplied: first.alreadyApplied,
          rejected: first.rejected,
          held: first.held,
        },
        resend: {
          accepted: again.accepted,
          alreadyApplied: again.alreadyApplied,
          rejected: again.rejected,
          held: again.held,
        },
        onHandBefore: before,
        onHandAfter: after,
      },
      evidence,
    );
  } catch (error) {
    return failed(ctx, 'ivBulkAnswer', error, evidence);
  }
}
