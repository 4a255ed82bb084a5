/**
 * The tenant check's SCM packages: one zero-net journal (a +q and a −q line on the test item),
 * built by the same code and import profile as the sync's (buildJournalPayload), enqueued with the
 * client, followed to a final state for a bounded time, and read back raw (every field).
 */
import { SCM_DIMENSION_COLUMNS, SCM_DIMENSIONS } from '../../shared/dimensions';
import type { TenantEvidence } from '../../shared/tenant-check';
import { getCi, tryParseJson } from '../upstream/answer-text';
import { trimTrailingSlashes } from '../upstream/config';
import { buildJournalPayload, type JournalFile } from '../upstream/data-package';
import { isUpstreamError } from '../upstream/errors';
import { parseExecutionErrors, type ScmJobStatus } from '../upstream/scm-answers';
import { odataString, type SCM_ENTRIES_ENTITY, type SCM_HEADERS_ENTITY } from '../upstream/scm-read-back';
import { type CheckContext, errorWords, poll, responseEvidence, scmRaw } from './context';

export type Row = Record<string, unknown>;

export const scmLineIds = (ctx: CheckContext): [string, string] => [`${ctx.tag}-in`, `${ctx.tag}-out`];

export interface SentPackage {
  n: number;
  /** The header's JournalNumber in the package: as long as the app's own `SL-…` references. */
  reference: string;
  description: string;
  messageId: string | null;
  /** Every job state seen, in order, repeats folded. */
  states: string[];
  status: ScmJobStatus | null;
  seconds: number;
  errors: string[];
  evidence: TenantEvidence[];
  /** Why it stopped short (enqueue refused, job status unreadable), in words. */
  failure: string | null;
}

/** Job status replies without a known state before the package is read back anyway. */
const STATELESS_POLLS = 4;

const today = () => new Date().toISOString().slice(0, 10);

/** One journal of two lines, +q and −q, with UnitCost and JournalNameId left blank on purpose. */
function pairJournal(
  ctx: CheckContext,
  reference: string,
  description: string,
  q: number,
  expected: string,
): JournalFile {
  const { organization, item, site, warehouse, dataSource, measure } = ctx.options;
  const line = (id: string, quantity: number): JournalFile['lines'][number] => {
    const row: JournalFile['lines'][number] = {
      JournalNumber: reference,
      InventoryServiceTransactionId: id,
      dataAreaId: organization,
      JournalNameId: '',
      ItemNumber: item,
      TransactionDate: today(),
      InventoryQuantity: quantity,
      UnitCost: null,
      InventoryServiceAdjustmentOffsetDatasource: dataSource,
      InventoryServiceAdjustmentOffsetPhysicalMeasure: measure,
    };
    for (const d of SCM_DIMENSIONS) row[SCM_DIMENSION_COLUMNS[d]] = '';
    row.InventorySiteId = site;
    row.InventoryWarehouseId = warehouse;
    return row;
  };
  const [plus, minus] = scmLineIds(ctx);
  return {
    header: {
      JournalNumber: reference,
      dataAreaId: organization,
      JournalNameId: '',
      Description: description,
      InventoryServiceJournalExpectedStatus: expected,
    },
    lines: [line(plus, q), line(minus, -q)],
  };
}

/** Enqueues package `n` and follows its job until a final state or `waitMinutes`. */
export async function sendPackage(
  ctx: CheckContext,
  n: number,
  quantity: number,
  expected: 'Created' | 'Posted',
): Promise<SentPackage> {
  const reference = `TC-${ctx.runId}-${n}`;
  const description = `${ctx.tag}-${n} Store Ledger tenant check, zero-net test journal`;
  const journal = pairJournal(ctx, reference, description, quantity, expected);
  const payload = buildJournalPayload(ctx.profile, [journal], description);
  const [plus, minus] = scmLineIds(ctx);
  const out: SentPackage = {
    n,
    reference,
    description,
    messageId: null,
    states: [],
    status: null,
    seconds: 0,
    errors: [],
    evidence: [],
    failure: null,
  };
  const started = ctx.now();
  ctx.progress(
    `Sending SCM package ${n} and waiting for its import (at most ${ctx.options.waitMinutes} min)`,
  );
  ctx.sent.push(
    `SCM package ${n} (${ctx.tag}-${n}): journal reference ${reference}, description "${description}", expected status ${expected}, lines ${plus} (${quantity}) and ${minus} (${-quantity}), UnitCost and JournalNameId blank.`,
  );
  try {
    out.messageId = await ctx.scm.enqueue(ctx.options.organization, `${ctx.tag}-${n}`, payload);
    out.evidence.push({ what: `enqueue of package ${n}: the message ID`, body: out.messageId });
    const messageId = out.messageId;
    let stateless = 0;
    out.status = await poll(ctx, async () => {
      try {
        const status = await ctx.scm.jobStatus(messageId);
        const state = status.state ?? `no known state (${JSON.stringify(status.rawState ?? null)})`;
        if (out.states.at(-1) !== state) out.states.push(state);
        // As the sync does: a reply without a known state is polled a bounded number of times, then read back.
        if (status.state === null && ++stateless >= STATELESS_POLLS) return status;
        return status.final ? status : null;
      } catch (error) {
        // A 404 once SCM took the message: not visible yet, whether or not it names the message.
        if (isUpstreamError(error) && error.status === 404) {
          if (out.states.at(-1) !== 'not found yet') out.states.push('not found yet');
          return null;
        }
        throw error;
      }
    });
    out.seconds = Math.round((ctx.now() - started) / 100) / 10;
    const url = ctx.scm.jobStatusUrl(messageId);
    const last = await scmRaw(ctx, 'GET', url);
    out.evidence.push(
      responseEvidence(
        ctx,
        `jobstatus of package ${n}, as it ${out.status?.final ? 'ended' : 'stood when the poll stopped'}`,
        'GET',
        url,
        last,
      ),
    );
    const executionId = out.status?.executionId;
    const troubled =
      out.status &&
      (out.status.state !== 'Processed' ||
        out.status.details.some((d) => (d.targetErrors ?? 0) + (d.stagingErrors ?? 0) > 0));
    if (executionId && troubled) await executionErrors(ctx, out, executionId);
  } catch (error) {
    out.failure = errorWords(ctx, error);
    out.evidence.push({ what: `package ${n}: the error`, body: out.failure });
  }
  return out;
}

/** GetExecutionErrors [DM], raw, then read as the client reads it. */
async function executionErrors(ctx: CheckContext, out: SentPackage, executionId: string): Promise<void> {
  const url = `${trimTrailingSlashes(ctx.conn.fnoEnvironmentUrl)}/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.GetExecutionErrors`;
  const res = await scmRaw(ctx, 'POST', url, JSON.stringify({ executionId }));
  out.evidence.push(responseEvidence(ctx, `GetExecutionErrors of package ${out.n}`, 'POST', url, res));
  if (res.status >= 200 && res.status < 300)
    out.errors = parseExecutionErrors(res.text).map((m) => ctx.redact(m));
}

/** The state a package reached, in words. */
export function packageWords(p: SentPackage): string {
  if (p.failure && !p.messageId) return `SCM did not take package ${p.n}: ${p.failure}`;
  const path = p.states.length > 0 ? ` (${p.states.join(' → ')})` : '';
  const reached = p.status
    ? p.status.state === null
      ? `SCM's job status of package ${p.n} (message ${p.messageId}) carried no known state after ${p.seconds} s${path}: read back instead`
      : `SCM's job took package ${p.n} (message ${p.messageId}) to ${p.status.state} in ${p.seconds} s${path}`
    : p.failure
      ? `SCM's job status of package ${p.n} (message ${p.messageId}) could not be read: ${p.failure}`
      : `Package ${p.n} (message ${p.messageId}) was not final after ${p.seconds} s${path}: SCM's recurring data job may be slow or stopped`;
  const errors =
    p.errors.length > 0
      ? ` GetExecutionErrors: ${p.errors.map((e) => `"${e.length > 600 ? `${e.slice(0, 600)}…` : e}"`).join('; ')}.`
      : '';
  return `${reached}.${errors}`;
}

/** Rows of an entity set whose `field` is one of `values`, every field (no $select), raw as evidence. */
export async function readRows(
  ctx: CheckContext,
  entity: typeof SCM_ENTRIES_ENTITY | typeof SCM_HEADERS_ENTITY,
  field: string,
  values: readonly string[],
  evidence: TenantEvidence[],
  what: string,
): Promise<Row[]> {
  const filter = values.map((v) => `${field} eq ${odataString(v)}`).join(' or ');
  const url = `${trimTrailingSlashes(ctx.conn.fnoEnvironmentUrl)}/data/${entity}?cross-company=true&$filter=${encodeURIComponent(filter)}`;
  const res = await scmRaw(ctx, 'GET', url);
  evidence.push(responseEvidence(ctx, what, 'GET', url, res));
  const rows = getCi(tryParseJson(res.text), 'value');
  if (res.status < 200 || res.status >= 300 || !Array.isArray(rows))
    throw new Error(`SCM answered the read-back of ${entity} with HTTP ${res.status}`);
  const company = ctx.options.organization.toLowerCase();
  return (rows as Row[]).filter((r) => String(getCi(r, 'dataAreaId') ?? company).toLowerCase() === company);
}

export const field = (row: Row | undefined, name: string): unknown => (row ? getCi(row, name) : undefined);
export const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
