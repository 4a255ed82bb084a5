/**
 * Supply Chain Management, the read side: journal lines and headers read back through OData
 * (https://learn.microsoft.com/dynamics365/fin-ops-core/dev-itpro/data-entities/odata),
 * filters split under the URL limit, pages followed on the same host only;
 * and the connection, token and request shape that the job side (scm-client.ts) shares.
 */

import { getCi, tryParseJson } from './answer-text';
import { joinUrl, timeoutOf, trimTrailingSlashes, type UpstreamConnection } from './config';
import { isUpstreamError, UpstreamError } from './errors';
import { describe, type HttpRequest, request } from './http';
import { type JournalEntry, type JournalHeader, text, toEntry, toHeader } from './scm-answers';
import { TokenProvider } from './tokens';

export const SCM_ENTRIES_ENTITY = 'InventoryServiceAdjustmentJournalEntries';
export const SCM_HEADERS_ENTITY = 'InventoryServiceAdjustmentJournalHeaders';

export interface ScmClientOptions {
  /** Longest read-back URL; filters are split to stay under it (default 6,000 characters). */
  maxUrlLength?: number;
}

const DEFAULT_MAX_URL = 6000;
/**
 * F&O's URL limit is not public; IIS refuses a query string past 2,048 characters by default
 * (404.15) and some gateways answer 400 or 414. A read-back refused so is split in half and
 * asked again, and the shorter length is kept for the next queries, down to this floor.
 */
const MIN_URL = 1024;
const URL_TOO_LONG = new Set([400, 404, 414]);
const ENTRY_SELECT = 'dataAreaId,JournalNumber,LineNumber,InventoryServiceTransactionId';
/** Naming the header fields we read makes SCM refuse (400) if its entity lacks one [MD]. */
const HEADER_SELECT =
  'dataAreaId,JournalNumber,IsPosted,PostedDateTime,InventoryServiceJournalExpectedStatus,Description';
const MAX_PAGES = 10_000;

/** What SCM holds of our journals, read through OData. ScmClient adds the data job to it. */
export class ScmReadBack {
  readonly tokens: TokenProvider;
  protected readonly conn: UpstreamConnection;
  private maxUrlLength: number;
  private headersLackDeletionField = false;

  constructor(conn: UpstreamConnection, tokens?: TokenProvider, opts: ScmClientOptions = {}) {
    this.conn = conn;
    this.tokens = tokens ?? new TokenProvider(conn);
    this.maxUrlLength = opts.maxUrlLength ?? DEFAULT_MAX_URL;
  }

  /**
   * The journal lines SCM holds for these aggregated line IDs (any company): one OData
   * query per ~70 IDs (`InventoryServiceTransactionId eq … or …`, under the URL limit).
   * For a whole file, find its journal with a few IDs and use readBackJournal.
   */
  async readBackEntries(transactionIds: readonly string[]): Promise<JournalEntry[]> {
    const wanted = new Map(transactionIds.map((id) => [id.toLowerCase(), id]));
    const out: JournalEntry[] = [];
    const ids = [...wanted.values()];
    for (const row of await this.queryByValues(
      SCM_ENTRIES_ENTITY,
      'InventoryServiceTransactionId',
      ids,
      ENTRY_SELECT,
    )) {
      const entry = toEntry(row);
      if (wanted.has(entry.transactionId.toLowerCase())) out.push(entry);
    }
    return out;
  }

  /**
   * Every line of one journal, in one query (`JournalNumber eq … and dataAreaId eq …`,
   * following `@odata.nextLink`): a 10,000-line file reads back in one or two pages instead
   * of ~140 queries by ID. Rows of another journal or company (a server that ignores part of
   * the filter) are dropped; company and number are matched without regard to case.
   */
  async readBackJournal(dataAreaId: string, journalNumber: string): Promise<JournalEntry[]> {
    const filter = `JournalNumber eq ${odataString(journalNumber)} and dataAreaId eq ${odataString(dataAreaId)}`;
    const url =
      `${joinUrl(this.base(), `/data/${SCM_ENTRIES_ENTITY}`)}?cross-company=true` +
      `&$select=${queryValue(ENTRY_SELECT)}&$filter=${queryValue(filter)}`;
    const company = dataAreaId.toLowerCase();
    const number = journalNumber.toLowerCase();
    return (await this.getAllPages(url))
      .map(toEntry)
      .filter((e) => e.dataAreaId.toLowerCase() === company && e.journalNumber.toLowerCase() === number);
  }

  /**
   * Posting state of these journals (IsPosted, PostedDateTime [MD]). Filters on JournalNumber only (a plain `or` list) and
   * keeps the requested company/number pairs, so no reliance on `and`/`or` precedence.
   */
  async readJournalHeaders(
    journals: readonly { dataAreaId: string; journalNumber: string }[],
  ): Promise<JournalHeader[]> {
    const wanted = new Set(journals.map((j) => pairKey(j.dataAreaId, j.journalNumber)));
    const numbers = [...new Set(journals.map((j) => j.journalNumber))];
    const out: JournalHeader[] = [];
    const seen = new Set<string>();
    for (const row of await this.queryHeaders('JournalNumber', numbers)) {
      const dataAreaId = text(getCi(row, 'dataAreaId'));
      const journalNumber = text(getCi(row, 'JournalNumber'));
      const key = pairKey(dataAreaId, journalNumber);
      if (!wanted.has(key) || seen.has(key)) continue;
      seen.add(key);
      out.push(toHeader(row, dataAreaId, journalNumber));
    }
    return out;
  }

  /**
   * The journals of one company whose header Description is one of these (our package's journal
   * references): how a journal is found once its lines are gone, as a journal name that deletes
   * lines after posting leaves it (the headers entity's AreLinesDeletedAfterPosting).
   */
  async readJournalHeadersByDescription(
    dataAreaId: string,
    descriptions: readonly string[],
  ): Promise<JournalHeader[]> {
    const wanted = new Set(descriptions.map((d) => d.toLowerCase()));
    const company = dataAreaId.toLowerCase();
    return (
      await this.queryByValues(SCM_HEADERS_ENTITY, 'Description', [...new Set(descriptions)], HEADER_SELECT)
    )
      .map((row) => toHeader(row, text(getCi(row, 'dataAreaId')), text(getCi(row, 'JournalNumber'))))
      .filter(
        (h) => h.dataAreaId.toLowerCase() === company && wanted.has((h.description ?? '').toLowerCase()),
      );
  }

  /**
   * Header rows where `field` is one of `values`, with AreLinesDeletedAfterPosting [MD] when this
   * SCM's entity has it: one that does not refuses the $select (400), and is then asked without
   * it, now and for the rest of this client's life.
   */
  private async queryHeaders(field: string, values: readonly string[]): Promise<unknown[]> {
    if (!this.headersLackDeletionField) {
      try {
        return await this.queryByValues(
          SCM_HEADERS_ENTITY,
          field,
          values,
          `${HEADER_SELECT},AreLinesDeletedAfterPosting`,
        );
      } catch (error) {
        if (!isUpstreamError(error) || error.status !== 400) throw error;
        this.headersLackDeletionField = true;
      }
    }
    return this.queryByValues(SCM_HEADERS_ENTITY, field, values, HEADER_SELECT);
  }

  /**
   * Every row of an OData query, following `@odata.nextLink` on the same origin. Public so
   * that master-data-client.ts pages the same way.
   */
  async getAllPages(firstUrl: string): Promise<unknown[]> {
    const rows: unknown[] = [];
    const origin = new URL(this.base()).origin;
    const visited = new Set<string>();
    let url: string | undefined = firstUrl;
    while (url !== undefined) {
      if (visited.has(url) || visited.size >= MAX_PAGES) {
        throw new UpstreamError({
          kind: 'retry',
          service: 'scm',
          upstreamMessage: 'OData paging does not end',
        });
      }
      visited.add(url);
      const current: string = url;
      const res = await this.tokens.withAuth('scm', (token) => request(this.req(token, 'GET', current)));
      const json = tryParseJson(res.text);
      const value = getCi(json, 'value');
      if (!Array.isArray(value)) {
        throw new UpstreamError({
          kind: 'retry',
          service: 'scm',
          upstreamMessage: `OData answer without a value list (${describe('GET', current)})`,
        });
      }
      rows.push(...value);
      const next = getCi(json, '@odata.nextLink');
      url = undefined;
      if (typeof next === 'string' && next !== '') {
        const resolved = new URL(next, current);
        // The bearer token goes with every page: never to another host.
        if (resolved.origin !== origin) {
          throw new UpstreamError({
            kind: 'config',
            service: 'scm',
            upstreamMessage: `OData next page on another host (${resolved.origin}) refused`,
          });
        }
        url = resolved.toString();
      }
    }
    return rows;
  }

  protected base(): string {
    return trimTrailingSlashes(this.conn.fnoEnvironmentUrl);
  }

  protected authHeaders(token: string): Record<string, string> {
    return { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  }

  protected req(token: string, method: 'GET' | 'POST', url: string): HttpRequest {
    return {
      service: 'scm',
      method,
      url,
      headers: this.authHeaders(token),
      timeoutMs: timeoutOf(this.conn),
      redactor: this.tokens.redactor,
    };
  }

  /**
   * Rows where `field` is one of `values`: `$filter=<field> eq 'a' or <field> eq 'b' …`, in as
   * few queries as the URL limit allows; a query the server refuses as too long is halved.
   */
  private async queryByValues(
    entity: string,
    field: string,
    values: readonly string[],
    select: string,
  ): Promise<unknown[]> {
    const rows: unknown[] = [];
    const base = this.filterUrl(entity, field, [], select).length;
    const separator = queryValue(' or ').length;
    let chunk: string[] = [];
    let length = base;
    for (const v of values) {
      const term = queryValue(`${field} eq ${odataString(v)}`).length;
      if (chunk.length > 0 && length + separator + term > this.maxUrlLength) {
        rows.push(...(await this.queryChunk(entity, field, chunk, select)));
        chunk = [];
        length = base;
      }
      length += (chunk.length > 0 ? separator : 0) + term;
      chunk.push(v);
    }
    if (chunk.length > 0) rows.push(...(await this.queryChunk(entity, field, chunk, select)));
    return rows;
  }

  private async queryChunk(
    entity: string,
    field: string,
    values: string[],
    select: string,
  ): Promise<unknown[]> {
    const url = this.filterUrl(entity, field, values, select);
    try {
      return await this.getAllPages(url);
    } catch (error) {
      if (values.length < 2 || !isUpstreamError(error) || !URL_TOO_LONG.has(error.status ?? 0)) throw error;
      this.maxUrlLength = Math.max(MIN_URL, Math.min(this.maxUrlLength, Math.floor(url.length / 2)));
      const mid = Math.ceil(values.length / 2);
      return [
        ...(await this.queryChunk(entity, field, values.slice(0, mid), select)),
        ...(await this.queryChunk(entity, field, values.slice(mid), select)),
      ];
    }
  }

  private filterUrl(entity: string, field: string, values: readonly string[], select: string): string {
    const filter = values.map((v) => `${field} eq ${odataString(v)}`).join(' or ');
    return (
      `${joinUrl(this.base(), `/data/${entity}`)}?cross-company=true` +
      `&$select=${queryValue(select)}&$filter=${queryValue(filter)}`
    );
  }
}

/**
 * A query-string value as it goes on the wire. encodeURIComponent leaves `'` alone, but the
 * WHATWG URL parser behind fetch percent-encodes it in an http(s) query (the "special-query
 * percent-encode set", https://url.spec.whatwg.org/#special-query-percent-encode-set), so
 * every OData literal grows by four characters after we measured it. Encoding it here keeps
 * the length we measure the length IIS counts.
 */
export function queryValue(value: string): string {
  return encodeURIComponent(value).replace(/'/g, '%27');
}

/** An OData string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function pairKey(dataAreaId: string, journalNumber: string): string {
  return `${dataAreaId.toLowerCase()}\u0000${journalNumber}`;
}
