/**
 * Supply Chain Management, the job side: enqueue a data package to the recurring data job,
 * follow the message and its errors
 * (https://learn.microsoft.com/dynamics365/fin-ops-core/dev-itpro/data-entities/recurring-integrations,
 * https://learn.microsoft.com/dynamics365/fin-ops-core/dev-itpro/data-entities/data-management-api;
 * what the answers look like:
 * scm-answers.ts), and check the connection. Reading journals back is scm-read-back.ts,
 * which ScmClient extends.
 */
import { randomUUID } from 'node:crypto';
import { extractUpstreamMessage, getCi } from './answer-text';
import { joinUrl } from './config';
import { UpstreamError } from './errors';
import { ensureOk, request, send } from './http';
import {
  type EnqueuePayload,
  parseExecutionErrors,
  parseJobStatus,
  parseMessageId,
  type ScmJobStatus,
  text,
} from './scm-answers';
import { odataString, queryValue, ScmReadBack } from './scm-read-back';

export { odataString, type ScmClientOptions } from './scm-read-back';

/**
 * What the activity check learned. What jobstatus answers for a message SCM never saw is not
 * public, so only an answer that can come from nothing but a found activity verifies it; any
 * other non-auth answer leaves it unverified (a warning, never a blocked Initialize), and the
 * first package's job status confirms it.
 */
/** One entity of a data project, as data management lists it. */
export interface DataProjectEntity {
  projectName: string;
  entityName: string;
  sourceFormat: string;
  disabled: boolean;
  runBusinessLogic: boolean;
  fileName: string;
}

export type ActivityProbe = { verified: true } | { verified: false; answer: string };

/** The data management action that lists an execution's errors [DM]. */
const EXECUTION_ERRORS_PATH =
  '/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.GetExecutionErrors';
const PING_VALUE = '__storeledger_ping__';

export class ScmClient extends ScmReadBack {
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
   * Checks credentials, OData and the integration activity:
   * 1. a headers query for a journal that cannot exist (token, OData, entity present);
   * 2. jobstatus for a random message ID on the configured activity. A 2xx with a job state, or
   *    a 404 whose message names our random ID, can only come from SCM having found the
   *    activity: verified. A 401/403 is a configuration error (thrown, after one token refresh).
   *    Anything else (400, 500, a generic 404, a 200 without a state) says nothing certain:
   *    unverified, in words.
   */
  async ping(): Promise<ActivityProbe> {
    await this.readJournalHeaders([{ dataAreaId: PING_VALUE, journalNumber: PING_VALUE }]);
    const probeId = randomUUID();
    const { req, res } = await this.tokens.withAuth('scm', async (token) => {
      const req = this.req(token, 'GET', this.jobStatusUrl(probeId));
      const res = await send(req);
      // A 401 goes through ensureOk so that withAuth refreshes the token once.
      if (res.status === 401) ensureOk(req, res);
      return { req, res };
    });
    if (res.status === 403) ensureOk(req, res, { clientErrorKind: 'config' });
    return readActivityProbe(res.status, res.text, probeId, (t) => this.tokens.redactor.redact(t));
  }

  /**
   * The entities of a data project as SCM's data management lists them
   * (`DataManagementDefinitionGroupDetails`, field names from a client generated from a live F&O
   * $metadata). Needs read access to data management; without it SCM answers 403.
   */
  async dataProjectEntities(projectName: string): Promise<DataProjectEntity[]> {
    const select = 'DefinitionGroupId,EntityName,SourceFormat,Disable,RunBusinessLogic,InputFilePath';
    const url =
      `${joinUrl(this.base(), '/data/DataManagementDefinitionGroupDetails')}?cross-company=true` +
      `&$select=${queryValue(select)}&$filter=${queryValue(`DefinitionGroupId eq ${odataString(projectName)}`)}`;
    const wanted = projectName.toLowerCase();
    return (await this.getAllPages(url))
      .map((row) => ({
        projectName: text(getCi(row, 'DefinitionGroupId')),
        entityName: text(getCi(row, 'EntityName')),
        sourceFormat: text(getCi(row, 'SourceFormat')),
        disabled: /^(yes|true|1)$/i.test(text(getCi(row, 'Disable'))),
        runBusinessLogic: /^(yes|true|1)$/i.test(text(getCi(row, 'RunBusinessLogic'))),
        fileName: text(getCi(row, 'InputFilePath')),
      }))
      .filter((e) => e.projectName.toLowerCase() === wanted);
  }

  /** The job status URL of one message on the configured activity [RI]. */
  jobStatusUrl(messageId: string): string {
    return (
      `${this.base()}/api/connector/jobstatus/${encodeURIComponent(this.conn.activityId.trim())}` +
      `?jobId=${encodeURIComponent(messageId)}`
    );
  }
}

/**
 * What jobstatus's answer for a message SCM never saw says of the activity (ScmClient.ping, and
 * the tenant check that asks a tenant): a job state, or a 404 naming the probe, can only come
 * from a found activity; anything else leaves it unverified, in words.
 */
export function readActivityProbe(
  status: number,
  body: string,
  probeId: string,
  redact: (text: string) => string,
): ActivityProbe {
  if (status >= 200 && status < 300) {
    if (parseJobStatus(body).state !== null) return { verified: true };
    return { verified: false, answer: `HTTP ${status} without a job state` };
  }
  if (status === 404 && body.toLowerCase().includes(probeId.toLowerCase())) return { verified: true };
  const said = extractUpstreamMessage(body);
  return { verified: false, answer: `HTTP ${status}${said ? `: ${redact(said).slice(0, 300)}` : ''}` };
}
