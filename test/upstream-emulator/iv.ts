// Inventory Visibility: the on-hand cache, bulk change events with `id` dedup, exact query.
import { answerKey, type DimensionNames, dimensionKey, isBaseDimension } from './dimensions';
import { bearerToken, type EmuRequest, getCI, isRecord, ivError, parseJson, type Reply, reply } from './http';
import type { EmulatorState } from './state';
import type { IvAnswerShape, IvEventRecord, OnHandRow, Quantities } from './types';

export const IV_BULK_LIMIT = 512;

const clone = <T>(value: T): T => structuredClone(value);

function addQuantity(quantities: Quantities, ds: string, measure: string, delta: number): void {
  const measures = quantities[ds] ?? {};
  measures[measure] = (measures[measure] ?? 0) + delta;
  quantities[ds] = measures;
}

/** One part of a partition ID: '%' and '~' escaped, so an ID splits back into its parts. */
const idPart = (value: string) => value.replaceAll('%', '%25').replaceAll('~', '%7E');

/**
 * The partition a row is in under IV's default partition by location: organization, site and
 * warehouse (blank when the event named none). The ID's form is this emulator's: IV publishes none.
 */
export const partitionOf = (row: Readonly<OnHandRow>) =>
  [row.organizationId, row.dimensions.siteId ?? '', row.dimensions.locationId ?? ''].map(idPart).join('~');

export class IvStore {
  private readonly accepted = new Set<string>();
  private readonly log: IvEventRecord[] = [];
  private readonly cache = new Map<string, OnHandRow>();
  /**
   * SCM's own physical on-hand (what the posting job checks): every fno.physicalinvent change also
   * lands here, and IV's housekeeping, which erases IV's copy, leaves it alone.
   */
  private readonly scmPhysical = new Map<string, number>();
  /** Bumped by every change to SCM's own data source: the posting job re-attempts when it moved. */
  fnoVersion = 0;

  constructor(readonly dims: DimensionNames) {}

  /** `dimensions` must already be normalized. */
  apply(
    org: string,
    product: string,
    dimensions: Record<string, string>,
    ds: string,
    measure: string,
    delta: number,
  ) {
    const key = JSON.stringify([org, product, dimensionKey(dimensions)]);
    let row = this.cache.get(key);
    if (!row) {
      row = { organizationId: org, productId: product, dimensions: { ...dimensions }, quantities: {} };
      this.cache.set(key, row);
    }
    addQuantity(row.quantities, ds, measure, delta);
    if (ds === 'fno') {
      this.fnoVersion++;
      if (measure === 'physicalinvent') this.scmPhysical.set(key, (this.scmPhysical.get(key) ?? 0) + delta);
    }
  }

  /** SCM's physical on-hand at exactly these (normalized) dimensions. */
  scmOnHand(org: string, product: string, dimensions: Record<string, string>): number {
    return this.scmPhysical.get(JSON.stringify([org, product, dimensionKey(dimensions)])) ?? 0;
  }

  isAccepted(id: string): boolean {
    return this.accepted.has(id);
  }

  accept(event: Omit<IvEventRecord, 'receivedAt'>): void {
    this.accepted.add(event.id);
    this.log.push({ ...clone(event), receivedAt: new Date().toISOString() });
    for (const [ds, measures] of Object.entries(event.quantities)) {
      for (const [measure, delta] of Object.entries(measures)) {
        this.apply(event.organizationId, event.productId, event.dimensions, ds, measure, delta);
      }
    }
  }

  events(): IvEventRecord[] {
    return clone(this.log);
  }

  /** Live rows, not copies: for reading only. */
  allRows(): Iterable<Readonly<OnHandRow>> {
    return this.cache.values();
  }

  rows(filter: { organizationId?: string; productId?: string } = {}): OnHandRow[] {
    return clone(
      [...this.cache.values()].filter(
        (r) =>
          (filter.organizationId === undefined || r.organizationId === filter.organizationId) &&
          (filter.productId === undefined || r.productId === filter.productId),
      ),
    );
  }

  /** The partitions that hold data, sorted. */
  partitionIds(): string[] {
    return [...new Set([...this.cache.values()].map(partitionOf))].sort();
  }

  /**
   * Erases IV's data in these partitions (all of them when null); answers the IDs that held data.
   * The `id` guard and the event log stay: an id IV accepted before is still counted once.
   */
  erase(ids: readonly string[] | null): string[] {
    const wanted = ids === null ? null : new Set(ids);
    const erased = new Set<string>();
    for (const [key, row] of this.cache) {
      const partition = partitionOf(row);
      if (wanted !== null && !wanted.has(partition)) continue;
      this.cache.delete(key);
      erased.add(partition);
    }
    return [...erased].sort();
  }
}

type Checked = { ok: true; event: Omit<IvEventRecord, 'receivedAt'> } | { ok: false; message: string };

/** A JSON number: what .NET's JSON binders (Newtonsoft and System.Text.Json alike) read from a string. */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** A quantity as IV binds it: a JSON number, or a string holding one ("10"); anything else is none. */
function quantityOf(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && JSON_NUMBER.test(value)
        ? Number(value)
        : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function checkEvent(raw: unknown, dims: DimensionNames, dimensionDataSources: readonly string[]): Checked {
  const fail = (message: string): Checked => ({ ok: false, message });
  if (!isRecord(raw)) return fail('An event must be a JSON object.');
  // IV is ASP.NET: property names bind without regard to case ("productid", "Quantities").
  const id = getCI(raw, 'id');
  const organizationId = getCI(raw, 'organizationId');
  const productId = getCI(raw, 'productId');
  const givenDimensions = getCI(raw, 'dimensions');
  const dimensions = givenDimensions === undefined ? {} : givenDimensions;
  const quantities = getCI(raw, 'quantities');
  if (typeof id !== 'string' || id === '') return fail("'id' is required and must be a non-empty string.");
  if (typeof organizationId !== 'string' || organizationId === '') {
    return fail("'organizationId' is required and must be a non-empty string.");
  }
  if (typeof productId !== 'string' || productId === '') {
    return fail("'productId' is required and must be a non-empty string.");
  }
  if (!isRecord(dimensions)) return fail("'dimensions' must be an object of string values.");
  for (const [key, value] of Object.entries(dimensions)) {
    if (typeof value !== 'string') return fail(`Dimension '${key}' must be a string.`);
  }
  const source = getCI(raw, 'dimensionDataSource');
  if (source !== undefined && (typeof source !== 'string' || source === ''))
    return fail("'dimensionDataSource' must be a non-empty string when given.");
  // A blank value is no dimension (normalize drops it), so it needs no dimension mapping either.
  const external = Object.entries(dimensions)
    .filter(([k, v]) => v !== '' && !isBaseDimension(k))
    .map(([k]) => k);
  let dimensionDataSource: string | null = null;
  if (typeof source === 'string') {
    const configured = dimensionDataSources.find((d) => d.toLowerCase() === source.toLowerCase());
    if (!configured) {
      return fail(
        `Data source '${source}' has no dimension mapping configured (configured: ${dimensionDataSources.join(', ') || 'none'}).`,
      );
    }
    dimensionDataSource = configured;
  } else if (external.length > 0) {
    return fail(
      `Dimension '${external[0]}' is not a base dimension. Without a dimensionDataSource, Inventory Visibility takes base dimensions only.`,
    );
  }
  let normalized: Record<string, string>;
  try {
    normalized = dims.normalize(dimensions as Record<string, string>);
  } catch (err) {
    return fail((err as Error).message);
  }
  if (!isRecord(quantities) || Object.keys(quantities).length === 0) {
    return fail("'quantities' is required: { <dataSource>: { <measure>: number } }.");
  }
  const checked: Quantities = {};
  for (const [ds, measures] of Object.entries(quantities)) {
    if (ds.toLowerCase() === 'fno') {
      return fail(`Data source '${ds}' is read-only: it is updated by Supply Chain Management only.`);
    }
    if (!isRecord(measures) || Object.keys(measures).length === 0) {
      return fail(`quantities.${ds} must be an object of measures.`);
    }
    checked[ds] = {};
    for (const [measure, value] of Object.entries(measures)) {
      const qty = quantityOf(value);
      if (qty === undefined) {
        return fail(`quantities.${ds}.${measure} must be a finite number, or a string holding one ("10").`);
      }
      checked[ds][measure] = qty;
    }
  }
  return {
    ok: true,
    event: {
      id,
      organizationId,
      productId,
      dimensionDataSource,
      dimensions: normalized,
      quantities: checked,
    },
  };
}

/** Common guard for IV API calls: IV token, then environment. */
export function guard(s: EmulatorState, req: EmuRequest, env: string): Reply | undefined {
  if (!s.tokens.valid(bearerToken(req.headers), 'iv')) {
    return {
      ...ivError(401, 'Unauthorized: a valid, unexpired Inventory Visibility token is required.'),
      headers: { 'www-authenticate': 'Bearer' },
    };
  }
  if (env.toLowerCase() !== s.credentials.environmentId.toLowerCase()) {
    return ivError(404, `Environment '${env}' not found.`);
  }
  return undefined;
}

/** One event through IV's checks and its `id` guard: stored when valid and new, and counted. */
function receive(s: EmulatorState, raw: unknown): BulkItem {
  s.counters.ivEventsReceived++;
  const result = checkEvent(raw, s.iv.dims, s.settings.dimensionDataSources);
  if (!result.ok) {
    s.counters.ivEventsRejected++;
    const rawId = isRecord(raw) ? getCI(raw, 'id') : undefined;
    const id = typeof rawId === 'string' ? rawId : null;
    return { id, statusCode: 400, message: result.message };
  }
  const { event } = result;
  if (s.iv.isAccepted(event.id)) {
    s.counters.ivEventsDuplicate++;
    return { id: event.id, statusCode: 200, duplicate: true };
  }
  s.iv.accept(event);
  s.counters.ivEventsAccepted++;
  return { id: event.id, statusCode: 200 };
}

/** POST {iv}/api/environment/{env}/onhand/bulk */
export function ivBulk(s: EmulatorState, req: EmuRequest, env: string): Reply {
  const denied = guard(s, req, env);
  if (denied) return denied;
  s.counters.ivBulkCalls++;
  const parsed = parseJson(req.body);
  if (!parsed.ok) return ivError(400, parsed.error);
  if (!Array.isArray(parsed.value))
    return ivError(400, 'The body must be a JSON array of on-hand change events.');
  const events = parsed.value;
  if (events.length > IV_BULK_LIMIT) {
    return ivError(
      400,
      `A bulk request accepts at most ${IV_BULK_LIMIT} events; this one has ${events.length}.`,
    );
  }
  const shape = s.settings.ivAnswerShape;
  if (shape === 'bodyStatus') {
    s.counters.ivEventsReceived += events.length;
    // The whole call refused inside a 200: IV stores none of it.
    return reply(200, {
      statusCode: 500,
      message: `An error occurred while processing the request; none of the ${events.length} event(s) was stored.`,
    });
  }
  return bulkAnswer(
    shape,
    events.map((raw) => receive(s, raw)),
  );
}

/**
 * POST {iv}/api/environment/{env}/onhand: one event, the same checks and `id` guard as a bulk.
 * IV documents no answer: this emulator answers 200 {id, statusCode: 200} (a repeated id too:
 * stored once), or 400 {statusCode, message}, whatever `ivAnswerShape` says for bulks.
 */
export function ivOnHand(s: EmulatorState, req: EmuRequest, env: string): Reply {
  const denied = guard(s, req, env);
  if (denied) return denied;
  const parsed = parseJson(req.body);
  if (!parsed.ok) return ivError(400, parsed.error);
  const item = receive(s, parsed.value);
  if (item.statusCode >= 400) return ivError(item.statusCode, item.message ?? '');
  return reply(200, { id: item.id, statusCode: 200 });
}

/** The answer in the configured shape; every shape tells the truth about what was stored. */
interface BulkItem {
  id: string | null;
  statusCode: number;
  message?: string;
  /** IV already had this event id: stored once, answered under conflict where the shape has one. */
  duplicate?: boolean;
}

/** An item as Microsoft's published answers write it: the API's prefix on the id, a processing status. */
function processed(i: BulkItem) {
  const processingStatus = i.duplicate ? 'conflict' : i.statusCode < 400 ? 'success' : 'failure';
  return {
    id: i.id === null ? null : `ohcs~${i.id}`,
    processingStatus,
    message: i.message ?? '',
    statusCode: i.duplicate ? 409 : i.statusCode,
  };
}

function bulkAnswer(shape: Exclude<IvAnswerShape, 'bodyStatus'>, items: BulkItem[]): Reply {
  if (shape === 'bare') return { status: 200, text: '' };
  if (shape === 'perItem')
    return reply(
      200,
      items.map(({ duplicate: _, ...i }) => i),
    );
  if (shape === 'perEvent') return reply(200, items.map(processed));
  if (shape === 'sixLists') {
    const all = items.map(processed);
    const by = (status: string) => all.filter((i) => i.processingStatus === status);
    return reply(200, {
      success: by('success'),
      failure: by('failure'),
      conflict: by('conflict'),
      notFound: [],
      partialSuccess: [],
      unknown: [],
    });
  }
  const success = items.filter((i) => i.statusCode < 400).map((i) => i.id);
  const failed = items.filter((i) => i.statusCode >= 400);
  const failure =
    shape === 'failureWithoutIds'
      ? failed.map((f) => ({ statusCode: f.statusCode, message: f.message ?? '' }))
      : failed.map((f) => ({ id: f.id, statusCode: f.statusCode, message: f.message ?? '' }));
  return reply(200, { success, failure });
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

/**
 * POST {iv}/api/environment/{env}/onhand/exactquery
 * (https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-api).
 */
export function ivExactQuery(s: EmulatorState, req: EmuRequest, env: string): Reply {
  const denied = guard(s, req, env);
  if (denied) return denied;
  const parsed = parseJson(req.body);
  if (!parsed.ok) return ivError(400, parsed.error);
  const body = parsed.value;
  if (!isRecord(body)) return ivError(400, 'The body must be a JSON object.');
  const filters = getCI(body, 'filters');
  if (!isRecord(filters)) return ivError(400, "'filters' is required.");
  const orgs = stringList(getCI(filters, 'organizationId'));
  if (!orgs || orgs.length === 0)
    return ivError(400, "'filters.organizationId' must be a non-empty array of strings.");
  const rawProducts = getCI(filters, 'productId');
  const products = rawProducts === undefined ? [] : stringList(rawProducts);
  if (!products) return ivError(400, "'filters.productId' must be an array of strings.");
  const listed = stringList(getCI(filters, 'dimensions') ?? []);
  if (!listed) return ivError(400, "'filters.dimensions' must be an array of dimension names.");
  const dimensionNames = listed.map((d) => s.iv.dims.canonical(d));
  const values = getCI(filters, 'values') ?? [];
  if (!Array.isArray(values) || !values.every((t) => stringList(t)?.length === dimensionNames.length)) {
    return ivError(400, `'filters.values' must be an array of tuples of ${dimensionNames.length} string(s).`);
  }
  if (dimensionNames.length > 0 && values.length === 0) {
    return ivError(400, "'filters.values' must list at least one tuple of dimension values.");
  }
  // IV's default partitioning is by location: an exact query names one organization and the
  // site and warehouse of every place it asks about (Microsoft's IV query docs and its tests).
  if (orgs.length > 1)
    return ivError(400, "An exact query accepts one organization: 'filters.organizationId' lists several.");
  if (!dimensionNames.includes('siteId') || !dimensionNames.includes('locationId'))
    return ivError(
      400,
      "The partition is by location: 'filters.dimensions' must list siteId and locationId, and 'filters.values' their values.",
    );
  const tuples = values as string[][];
  const groupByNames = stringList(getCI(body, 'groupByValues') ?? []);
  if (!groupByNames) return ivError(400, "'groupByValues' must be an array of dimension names.");
  const groupBy = groupByNames.map((d) => s.iv.dims.canonical(d));
  const returnNegative = getCI(body, 'returnNegative') !== false;

  const groups = new Map<string, OnHandRow>();
  for (const row of s.iv.allRows()) {
    if (!orgs.includes(row.organizationId)) continue;
    if (products.length > 0 && !products.includes(row.productId)) continue;
    if (
      dimensionNames.length > 0 &&
      !tuples.some((t) => dimensionNames.every((d, i) => row.dimensions[d] === t[i]))
    ) {
      continue;
    }
    const dimensions: Record<string, string> = {};
    for (const d of [...dimensionNames, ...groupBy]) {
      const v = row.dimensions[d];
      if (v !== undefined) dimensions[d] = v;
    }
    const key = JSON.stringify([row.organizationId, row.productId, dimensionKey(dimensions)]);
    let group = groups.get(key);
    if (!group) {
      group = { organizationId: row.organizationId, productId: row.productId, dimensions, quantities: {} };
      groups.set(key, group);
    }
    for (const [ds, measures] of Object.entries(row.quantities)) {
      for (const [measure, qty] of Object.entries(measures)) addQuantity(group.quantities, ds, measure, qty);
    }
  }
  // IV answers in its own key casing (answerKey), not the one the query used.
  const answer = [...groups.values()].map((g) => ({
    ...g,
    dimensions: Object.fromEntries(Object.entries(g.dimensions).map(([k, v]) => [answerKey(k), v])),
  }));
  if (!returnNegative) {
    for (const group of answer) {
      for (const measures of Object.values(group.quantities)) {
        for (const [m, q] of Object.entries(measures)) if (q < 0) delete measures[m];
      }
    }
  }
  return reply(200, answer);
}
