/**
 * Inventory Visibility: on-hand change events, exact query, health
 * (https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-api).
 */
import { canonicalDimensionName } from '../../shared/dimensions';
import { getCi, tryParseJson } from './answer-text';
import { joinUrl, timeoutOf, type UpstreamConnection } from './config';
import { UpstreamError } from './errors';
import { type HttpRequest, request } from './http';
import { interpretBulkAnswer, type OnHandBulkResult } from './iv-bulk-answer';
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
    if (events.length === 0) return interpretBulkAnswer([], '');
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

export { interpretBulkAnswer, type OnHandBulkRejection, type OnHandBulkResult } from './iv-bulk-answer';
