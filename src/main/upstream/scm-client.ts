/**
 * Supply Chain Management: enqueue a data package to the recurring data job, follow the
 * message and its errors, read back the journal lines and headers through OData (upstream.md §C;
 * what the answers look like: scm-answers.ts).
 */
import { randomUUID } from 'node:crypto';
import { joinUrl, timeoutOf, trimTrailingSlashes, type UpstreamConnection } from './config';
import { extractUpstreamMessage, getCi, tryParseJson, UpstreamError } from './errors';
import { describe, ensureOk, type HttpRequest, request, send } from './http';
import {
  type EnqueuePayload,
  type JournalEntry,
  type JournalHeader,
  parseExecutionErrors,
  parseJobStatus,
  parseMessageId,
  type ScmJobStatus,
  text,
  toEntry,
  toHeader,
} from './scm-answers';
import { TokenProvider } from './tokens';

export const SCM_ENTRIES_ENTITY = 'InventoryServiceAdjustmentJournalEntries';
export const SCM_HEADERS_ENTITY = 'InventoryServiceAdjustmentJournalHeaders';
/** The data management action that lists an execution's errors [DM]. */
const EXECUTION_ERRORS_PATH =
  '/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.GetExecutionErrors';

export interface ScmClientOptions {
  /** Longest read-back URL; filters are split to stay under it (default 6,000 characters). */
  maxUrlLength?: number;
}

const DEFAULT_MAX_URL = 6000;
const PING_VALUE = '__storeledger_ping__';
const ENTRY_SELECT = 'dataAreaId,JournalNumber,LineNumber,InventoryServiceTransactionId';
/** Naming the header fields we read makes SCM refuse (400) if its entity lacks one [MD]. */
const HEADER_SELECT =
  'dataAreaId,JournalNumber,IsPosted,PostedDateTime,InventoryServiceJournalExpectedStatus';
const MAX_PAGES = 10_000;

export class ScmClient {
  readonly tokens: TokenProvider;
  private readonly conn: UpstreamConnection;
  private readonly maxUrlLength: number;

  constructor(conn: UpstreamConnection, tokens?: TokenProvider, opts: ScmClientOptions = {}) {
    this.conn = conn;
    this.tokens = tokens ?? new TokenProvider(conn);
    this.maxUrlLength = opts.maxUrlLength ?? DEFAULT_MAX_URL;
  }

  /**
   * Queues one data package or journal file to the recurring data job [RI]; answers the
   * message ID (quotes stripped). A 200 only means "queued". On an error with
   * `outcomeUnknown`, read back before sending again.
   */
  async enqueue(company: string, externalId: string, payload: EnqueuePayload): Promise<string> {
    const entity = payload.entity === null ? '' : `entity=${encodeURIComponent(payload.entity)}&`;
    const url =
      `${this.base()}/api/connector/enqueue/${encodeURIComponent(this.conn.activityId.trim())}` +
      `?${entity}company=${encodeURIComponent(company)}`;
    const res = await this.tokens.withAuth('scm', (token) =>
      request({
        ...this.req(token, 'POST', url),
        headers: {
          ...this.authHeaders(token),
          'Content-Type': payload.contentType,
          'x-ms-dyn-externalidentifier': externalId,
        },
        body: payload.body,
        mutating: true,
      }),
    );
    const messageId = parseMessageId(res.text);
    if (!messageId) {
      throw new UpstreamError({
        kind: 'retry',
        service: 'scm',
        status: res.status,
        upstreamMessage: 'enqueue answered without a message ID',
        outcomeUnknown: true,
      });
    }
    return messageId;
  }

  /**
   * Where the data job is with one message. A 404 that names the message (the activity
   * was found, the message was not, e.g. not visible yet or purged) is `retry` with
   * status 404, not `config`: the caller bounds its polling and then reads the lines back.
   */
  async jobStatus(messageId: string): Promise<ScmJobStatus> {
    const res = await this.tokens.withAuth('scm', async (token) => {
      const req = this.req(token, 'GET', this.jobStatusUrl(messageId));
      const r = await send(req);
      if (r.status === 404 && messageId !== '' && r.text.toLowerCase().includes(messageId.toLowerCase())) {
        throw new UpstreamError({
          kind: 'retry',
          service: 'scm',
          status: 404,
          upstreamMessage: this.tokens.redactor.redact(
            extractUpstreamMessage(r.text) ?? `message ${messageId} not found`,
          ),
        });
      }
      return ensureOk(req, r);
    });
    return parseJobStatus(res.text);
  }

  /**
   * The messages of one DMF execution [DM]: "a set of error messages in a JSON list". The
   * exact answer is not public: an OData action value that is a JSON list, or a string
   * holding one; items as strings or objects with a message. Never used to decide status.
   */
  async executionErrors(executionId: string): Promise<string[]> {
    const res = await this.tokens.withAuth('scm', (token) =>
      request({
        ...this.req(token, 'POST', joinUrl(this.base(), EXECUTION_ERRORS_PATH)),
        headers: { ...this.authHeaders(token), 'Content-Type': 'application/json' },
        body: JSON.stringify({ executionId }),
      }),
    );
    return parseExecutionErrors(res.text);
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
    for (const url of this.filteredUrls(
      SCM_ENTRIES_ENTITY,
      'InventoryServiceTransactionId',
      ids,
      ENTRY_SELECT,
    )) {
      for (const row of await this.getAllPages(url)) {
        const entry = toEntry(row);
        if (wanted.has(entry.transactionId.toLowerCase())) out.push(entry);
      }
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
      `&$select=${encodeURIComponent(ENTRY_SELECT)}&$filter=${encodeURIComponent(filter)}`;
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
    for (const url of this.filteredUrls(SCM_HEADERS_ENTITY, 'JournalNumber', numbers, HEADER_SELECT)) {
      for (const row of await this.getAllPages(url)) {
        const dataAreaId = text(getCi(row, 'dataAreaId'));
        const journalNumber = text(getCi(row, 'JournalNumber'));
        const key = pairKey(dataAreaId, journalNumber);
        if (!wanted.has(key) || seen.has(key)) continue;
        seen.add(key);
        out.push(toHeader(row, dataAreaId, journalNumber));
      }
    }
    return out;
  }

  /**
   * Checks credentials, OData and the integration activity:
   * 1. a headers query for a journal that cannot exist (token, OData, entity present);
   * 2. jobstatus for a random message ID on the configured activity. SCM can only say
   *    "this message is unknown" after it found the activity, so a 2xx, or a 404 whose
   *    message names our random ID, means "reachable"; any other 404 (the emulator's
   *    "No recurring data job with activity ID …") or 4xx is a configuration error.
   */
  async ping(): Promise<void> {
    await this.readJournalHeaders([{ dataAreaId: PING_VALUE, journalNumber: PING_VALUE }]);
    const probeId = randomUUID();
    const { req, res } = await this.tokens.withAuth('scm', async (token) => {
      const req = this.req(token, 'GET', this.jobStatusUrl(probeId));
      const res = await send(req);
      // A 401 goes through ensureOk so that withAuth refreshes the token once.
      if (res.status === 401) ensureOk(req, res);
      return { req, res };
    });
    if (res.status >= 200 && res.status < 300) return;
    if (res.status === 404 && res.text.toLowerCase().includes(probeId)) return;
    ensureOk(req, res, { clientErrorKind: 'config' });
  }

  private base(): string {
    return trimTrailingSlashes(this.conn.fnoEnvironmentUrl);
  }

  private jobStatusUrl(messageId: string): string {
    return (
      `${this.base()}/api/connector/jobstatus/${encodeURIComponent(this.conn.activityId.trim())}` +
      `?jobId=${encodeURIComponent(messageId)}`
    );
  }

  private authHeaders(token: string): Record<string, string> {
    return { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  }

  private req(token: string, method: 'GET' | 'POST', url: string): HttpRequest {
    return {
      service: 'scm',
      method,
      url,
      headers: this.authHeaders(token),
      timeoutMs: timeoutOf(this.conn),
      redactor: this.tokens.redactor,
    };
  }

  /** `$filter=<field> eq 'a' or <field> eq 'b' …`, split so each URL stays under the limit. */
  private filteredUrls(entity: string, field: string, values: readonly string[], select?: string): string[] {
    const selectPart = select ? `&$select=${encodeURIComponent(select)}` : '';
    const prefix = `${joinUrl(this.base(), `/data/${entity}`)}?cross-company=true${selectPart}&$filter=`;
    const urls: string[] = [];
    let terms: string[] = [];
    let length = prefix.length;
    const sep = encodeURIComponent(' or ').length;
    for (const v of values) {
      const term = encodeURIComponent(`${field} eq ${odataString(v)}`);
      if (terms.length > 0 && length + sep + term.length > this.maxUrlLength) {
        urls.push(prefix + terms.join(encodeURIComponent(' or ')));
        terms = [];
        length = prefix.length;
      }
      length += (terms.length > 0 ? sep : 0) + term.length;
      terms.push(term);
    }
    if (terms.length > 0) urls.push(prefix + terms.join(encodeURIComponent(' or ')));
    return urls;
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
}

/** An OData string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function pairKey(dataAreaId: string, journalNumber: string): string {
  return `${dataAreaId.toLowerCase()}\u0000${journalNumber}`;
}
