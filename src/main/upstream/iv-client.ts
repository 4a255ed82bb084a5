/** Inventory Visibility: on-hand change events, exact query, health (upstream.md §B). */
import { canonicalDimensionName } from '../../shared/dimensions';
import { getCi, tryParseJson } from './answer-text';
import { joinUrl, timeoutOf, type UpstreamConnection } from './config';
import { UpstreamError } from './errors';
import { type HttpRequest, request } from './http';
import { TokenProvider } from './tokens';

/** IV's documented cap on events per `onhand/bulk` call. */
export const IV_BULK_MAX_EVENTS = 512;

export interface OnHandEvent {
  /** The ledger's lineRecordId: IV counts an `id` once however often it arrives. */
  id: string;
  organizationId: string;
  productId: string;
  dimensions: Record<string, string>;
  /** The data source whose dimensions these are; needed for any non-base dimension. */
  dimensionDataSource?: string;
  /** data source → measure → delta */
  quantities: Record<string, Record<string, number>>;
}

export interface OnHandBulkRejection {
  id: string;
  statusCode: number;
  message: string;
}

export interface OnHandBulkResult {
  accepted: string[];
  rejected: OnHandBulkRejection[];
  /** Events the answer said nothing certain about: sent again later (IV counts an id once). */
  held: string[];
  /** Why they are held, in words, when some are. */
  heldReason: string | null;
  /** The answer as it came, for the attempt log. */
  raw: string;
}

export interface IvExactQuery {
  filters: {
    organizationId: string[];
    productId: string[];
    dimensions: string[];
    values: string[][];
  };
  groupByValues?: string[];
  returnNegative?: boolean;
}

export interface OnHandRow {
  organizationId?: string;
  productId: string;
  dimensions: Record<string, string>;
  quantities: Record<string, Record<string, number>>;
}

export class IvClient {
  readonly tokens: TokenProvider;
  private readonly conn: UpstreamConnection;

  constructor(conn: UpstreamConnection, tokens?: TokenProvider) {
    this.conn = conn;
    this.tokens = tokens ?? new TokenProvider(conn);
  }

  /**
   * Sends at most 512 on-hand change events; see interpretBulkAnswer for what counts as
   * accepted. A whole-request failure throws an UpstreamError.
   */
  async postOnHandBulk(events: OnHandEvent[]): Promise<OnHandBulkResult> {
    if (events.length > IV_BULK_MAX_EVENTS) {
      throw new RangeError(`IV accepts at most ${IV_BULK_MAX_EVENTS} events per call, got ${events.length}`);
    }
    if (events.length === 0) return { accepted: [], rejected: [], held: [], heldReason: null, raw: '' };
    const res = await this.tokens.withAuth('iv', (token) =>
      request(this.req(token, 'POST', '/onhand/bulk', JSON.stringify(events), true)),
    );
    return interpretBulkAnswer(
      events.map((e) => e.id),
      res.text,
    );
  }

  /** On-hand per distinct combination of the listed dimensions (summed over the rest). */
  async exactQuery(query: IvExactQuery): Promise<OnHandRow[]> {
    const body = JSON.stringify({ groupByValues: [], returnNegative: true, ...query });
    const res = await this.tokens.withAuth('iv', (token) =>
      request(this.req(token, 'POST', '/onhand/exactquery', body, false)),
    );
    const json = tryParseJson(res.text);
    const rows = Array.isArray(json) ? json : getCi(json, 'value');
    if (!Array.isArray(rows)) {
      throw new UpstreamError({
        kind: 'retry',
        service: 'iv',
        upstreamMessage: 'exact query answer is not a list',
      });
    }
    return rows.map(toOnHandRow);
  }

  /**
   * Health, credentials and environment in one go: `GET /health/ping` (no auth), then the
   * token exchange and an exact query for a product that cannot exist (proves the token
   * and the environment ID are accepted). Throws the classified UpstreamError.
   */
  async ping(): Promise<void> {
    await request({
      service: 'iv',
      method: 'GET',
      url: joinUrl(this.conn.ivEndpoint, '/health/ping'),
      timeoutMs: timeoutOf(this.conn),
      redactor: this.tokens.redactor,
    });
    await this.exactQuery({
      filters: {
        organizationId: ['__storeledger_ping__'],
        productId: ['__storeledger_ping__'],
        dimensions: ['siteId', 'locationId'],
        values: [['__ping__', '__ping__']],
      },
    });
  }

  private req(
    token: string,
    method: 'GET' | 'POST',
    path: string,
    body: string,
    mutating: boolean,
  ): HttpRequest {
    const env = encodeURIComponent(this.conn.environmentId.trim());
    return {
      service: 'iv',
      method,
      url: joinUrl(this.conn.ivEndpoint, `/api/environment/${env}${path}`),
      headers: {
        Authorization: `Bearer ${token}`,
        'Api-Version': '1.0',
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body,
      timeoutMs: timeoutOf(this.conn),
      mutating,
      redactor: this.tokens.redactor,
    };
  }
}

/**
 * Exported for tests: maps a 2xx bulk answer onto the ids sent. IV does not document this
 * answer (upstream.md §B, "IV additions"), so an event counts as accepted only when the answer
 * lists it under `success`, or when the answer is a bare 2xx with no body. A `failure` entry
 * naming the event rejects it. Anything else — a failure without a matching id, a per-item
 * array, a body `statusCode` >= 400, an unknown shape, an event listed nowhere — holds the
 * event for a later resend, which IV's `id` dedup makes safe. Never a silent loss.
 */
export function interpretBulkAnswer(ids: string[], text: string): OnHandBulkResult {
  const unique = [...new Set(ids)];
  const byLower = new Map(unique.map((id) => [id.toLowerCase(), id]));
  const raw = text;
  if (text.trim() === '') return { accepted: unique, rejected: [], held: [], heldReason: null, raw };
  const holdAll = (why: string): OnHandBulkResult => ({
    accepted: [],
    rejected: [],
    held: unique,
    heldReason: why,
    raw,
  });
  const json = tryParseJson(text);
  if (json === undefined) return holdAll('Inventory Visibility answered with a body that is not JSON');
  if (Array.isArray(json))
    return holdAll('Inventory Visibility answered with a list whose meaning is not documented');
  if (json === null || typeof json !== 'object')
    return holdAll('Inventory Visibility answered with an unknown shape');
  const bodyStatus = Number(getCi(json, 'statusCode') ?? getCi(json, 'status'));
  if (Number.isFinite(bodyStatus) && bodyStatus >= 400) {
    const message = getCi(json, 'message') ?? getCi(json, 'error');
    return holdAll(
      `Inventory Visibility answered 200 with status ${bodyStatus} in the body${typeof message === 'string' ? `: ${message}` : ''}`,
    );
  }
  const success = getCi(json, 'success');
  const failures = getCi(json, 'failure');
  if (!Array.isArray(success) && !Array.isArray(failures))
    return holdAll('Inventory Visibility answered without success or failure lists');
  const accepted = new Set<string>();
  for (const s of Array.isArray(success) ? success : []) {
    const value = typeof s === 'string' ? s : getCi(s, 'id');
    const id = typeof value === 'string' ? byLower.get(value.toLowerCase()) : undefined;
    if (id !== undefined) accepted.add(id);
  }
  const rejected: OnHandBulkRejection[] = [];
  const rejectedIds = new Set<string>();
  let unmatchedFailure = false;
  for (const f of Array.isArray(failures) ? failures : []) {
    const value = typeof f === 'string' ? f : getCi(f, 'id');
    const id = typeof value === 'string' ? byLower.get(value.toLowerCase()) : undefined;
    if (id === undefined) {
      unmatchedFailure = true;
      continue;
    }
    if (rejectedIds.has(id) || accepted.has(id)) continue;
    const status = Number(getCi(f, 'statusCode') ?? getCi(f, 'status'));
    const message = getCi(f, 'message') ?? getCi(f, 'error');
    rejectedIds.add(id);
    rejected.push({
      id,
      statusCode: Number.isFinite(status) && status > 0 ? status : 400,
      message: typeof message === 'string' && message !== '' ? message : 'rejected by Inventory Visibility',
    });
  }
  const held = unique.filter((id) => !accepted.has(id) && !rejectedIds.has(id));
  const heldReason =
    held.length === 0
      ? null
      : unmatchedFailure
        ? 'Inventory Visibility reported a failure without saying for which event'
        : 'Inventory Visibility did not list this event as taken or refused';
  return { accepted: unique.filter((id) => accepted.has(id)), rejected, held, heldReason, raw };
}

function toOnHandRow(raw: unknown): OnHandRow {
  const row: OnHandRow = {
    productId: String(getCi(raw, 'productId') ?? ''),
    dimensions: stringRecord(getCi(raw, 'dimensions')),
    quantities: {},
  };
  const org = getCi(raw, 'organizationId');
  if (typeof org === 'string') row.organizationId = org;
  const q = getCi(raw, 'quantities');
  if (q !== null && typeof q === 'object') {
    for (const [ds, measures] of Object.entries(q as Record<string, unknown>)) {
      const m: Record<string, number> = {};
      if (measures !== null && typeof measures === 'object') {
        for (const [name, v] of Object.entries(measures as Record<string, unknown>)) {
          const n = typeof v === 'number' ? v : Number(v);
          if (Number.isFinite(n)) m[name] = n;
        }
      }
      row.quantities[ds] = m;
    }
  }
  return row;
}

/** IV answers in its own key casing (`siteid`): base dimensions get their canonical names back. */
function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>))
      if (x != null) out[canonicalDimensionName(k)] = String(x);
  }
  return out;
}
