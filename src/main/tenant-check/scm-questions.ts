/**
 * The questions SCM answers without a package: jobstatus for a message it never saw, the data
 * project as data management lists it, and the longest read-back URL it accepts. Each sends
 * nothing that changes SCM.
 */
import { randomUUID } from 'node:crypto';
import type { TenantAnswer, TenantEvidence } from '../../shared/tenant-check';
import { checkProfile } from '../sync/profile-check';
import { extractUpstreamMessage, getCi, tryParseJson } from '../upstream/answer-text';
import { trimTrailingSlashes } from '../upstream/config';
import { readActivityProbe } from '../upstream/scm-client';
import { odataString } from '../upstream/scm-read-back';
import { answer, type CheckContext, failed, responseEvidence, scmRaw } from './context';

const quote = (text: string | undefined, max = 500) =>
  text ? `"${text.length > max ? `${text.slice(0, max)}…` : text}"` : 'an empty body';

/** [RI] names jobstatus but not its answer for an unknown message: ask with a fresh GUID. */
export async function askJobStatusUnknown(ctx: CheckContext): Promise<TenantAnswer> {
  const probeId = randomUUID();
  const url = ctx.scm.jobStatusUrl(probeId);
  ctx.progress("Asking SCM's jobstatus about a message it never saw");
  try {
    const res = await scmRaw(ctx, 'GET', url);
    const probe = readActivityProbe(res.status, res.text, probeId, ctx.redact);
    const said = extractUpstreamMessage(res.text);
    const namesProbe = res.text.toLowerCase().includes(probeId);
    const meaning = probe.verified
      ? 'This can only come from an activity SCM found, so Initialize verifies the activity on it, with no warning.'
      : res.status === 401 || res.status === 403
        ? "SCM refused the caller: the app must be registered in SCM and on the recurring data job's authorization policy."
        : "This does not say whether SCM found the activity, so Initialize passes the activity with a warning until the first package's job status confirms it.";
    return answer(
      'jobStatusUnknownMessage',
      `SCM answered HTTP ${res.status} with ${quote(said && ctx.redact(said))}${namesProbe ? ', naming the message ID asked about' : ''}. ${meaning}`,
      {
        status: res.status,
        namesMessageId: namesProbe,
        verifiesActivity: probe.verified,
        message: said ?? null,
      },
      [responseEvidence(ctx, 'jobstatus for a random message ID', 'GET', url, res)],
    );
  } catch (error) {
    return failed(ctx, 'jobStatusUnknownMessage', error);
  }
}

/** The project as `DataManagementDefinitionGroupDetails` lists it [MD], against the import profile. */
export async function askDataProject(ctx: CheckContext): Promise<TenantAnswer> {
  const { profile } = ctx;
  ctx.progress(`Reading the data project "${profile.projectName}" from SCM's data management`);
  const mine = [profile.headers, profile.lines]
    .filter((e) => e !== null)
    .map((e) => ({ entityName: e.entityName, fileName: e.fileName, columns: e.columns.length }));
  const inUse = `The import profile in use: project "${profile.projectName}", ${profile.kind === 'package' ? 'a data package' : 'one file'} in ${profile.format}, ${mine.map((e) => `"${e.entityName}" (${e.fileName})`).join(' and ')}.`;
  const evidence: TenantEvidence[] = [];
  try {
    const check = await checkProfile(ctx.scm, profile);
    const entities =
      check.state === 'unreadable' ? [] : await ctx.scm.dataProjectEntities(profile.projectName);
    evidence.push({
      what: `DataManagementDefinitionGroupDetails for "${profile.projectName}", as the client reads it`,
      body: check.state === 'unreadable' ? check.message : JSON.stringify(entities, null, 1),
    });
    const listed =
      entities.length === 0
        ? ''
        : ` SCM lists ${entities.map((e) => `"${e.entityName}" (${e.disabled ? 'disabled' : 'enabled'}, ${e.sourceFormat || 'no source format'}, file ${e.fileName || 'not named'})`).join(', ')}.`;
    let others: string[] = [];
    if (check.state === 'mismatch') {
      others = await projectsImporting(ctx, profile.lines.entityName, evidence);
    }
    const elsewhere =
      others.length > 0
        ? ` Projects in SCM that import "${profile.lines.entityName}": ${others.map((p) => `"${p}"`).join(', ')}.`
        : '';
    return answer(
      'dataProject',
      `${inUse}${listed} ${ctx.redact(check.message)}${elsewhere}`,
      {
        state: check.state,
        entities,
        profile: {
          projectName: profile.projectName,
          kind: profile.kind,
          format: profile.format,
          entities: mine,
        },
        projectsImportingLines: others,
      },
      evidence,
    );
  } catch (error) {
    return failed(ctx, 'dataProject', error, evidence);
  }
}

async function projectsImporting(
  ctx: CheckContext,
  entityName: string,
  evidence: TenantEvidence[],
): Promise<string[]> {
  const url =
    `${trimTrailingSlashes(ctx.conn.fnoEnvironmentUrl)}/data/DataManagementDefinitionGroupDetails?cross-company=true` +
    `&$select=${encodeURIComponent('DefinitionGroupId,EntityName,SourceFormat,Disable')}` +
    `&$filter=${encodeURIComponent(`EntityName eq ${odataString(entityName)}`)}`;
  const res = await scmRaw(ctx, 'GET', url);
  evidence.push(responseEvidence(ctx, `the data projects that import "${entityName}"`, 'GET', url, res));
  const rows = getCi(tryParseJson(res.text), 'value');
  if (res.status < 200 || res.status >= 300 || !Array.isArray(rows)) return [];
  return [...new Set(rows.map((r) => String(getCi(r, 'DefinitionGroupId') ?? '')).filter((p) => p !== ''))];
}

/** Lengths tried, growing; the first refusal stops the probe. */
export const URL_LENGTHS = [2000, 4000, 6000, 8000] as const;
/** What the client splits read-back filters under, and the answers it takes for "too long" (scm-read-back.ts). */
const CLIENT_MAX_URL = 6000;
const TOO_LONG = new Set([400, 404, 414]);

/**
 * A read-back URL as the client builds them (`… eq 'a' or … eq 'b'`), as near `length` as terms
 * allow, measured as it goes on the wire: fetch's URL parser writes each `'` as `%27`.
 */
export function probeUrl(ctx: CheckContext, length: number): string {
  const base =
    `${trimTrailingSlashes(ctx.conn.fnoEnvironmentUrl)}/data/InventoryServiceAdjustmentJournalEntries?cross-company=true` +
    `&$select=${encodeURIComponent('dataAreaId,InventoryServiceTransactionId')}&$filter=`;
  const url = (terms: string[]) => new URL(base + encodeURIComponent(terms.join(' or '))).href;
  const terms: string[] = [];
  for (let n = 1; ; n++) {
    const next = [...terms, `InventoryServiceTransactionId eq ${odataString(`${ctx.tag}-url-${n}`)}`];
    if (terms.length > 0 && url(next).length > length) break;
    terms.push(next[next.length - 1]!);
  }
  return url(terms);
}

/** Read-back filters of growing length, for IDs that cannot exist: the first refusal ends it. */
export async function askUrlLimit(ctx: CheckContext): Promise<TenantAnswer> {
  ctx.progress('Trying read-back URLs of 2,000 to 8,000 characters');
  const tried: { urlLength: number; queryLength: number; status: number }[] = [];
  const evidence: TenantEvidence[] = [];
  try {
    let refused: { urlLength: number; queryLength: number; status: number; said: string | undefined } | null =
      null;
    for (const target of URL_LENGTHS) {
      const url = probeUrl(ctx, target);
      const res = await scmRaw(ctx, 'GET', url);
      const lengths = { urlLength: url.length, queryLength: new URL(url).search.length - 1 };
      tried.push({ ...lengths, status: res.status });
      evidence.push(responseEvidence(ctx, `a read-back URL of ${url.length} characters`, 'GET', url, res));
      if (res.status < 200 || res.status >= 300) {
        refused = { ...lengths, status: res.status, said: extractUpstreamMessage(res.text) };
        break;
      }
    }
    const accepted = tried.filter((t) => t.status >= 200 && t.status < 300).at(-1) ?? null;
    const took = accepted
      ? `SCM accepted read-back URLs up to ${accepted.urlLength} characters (query string ${accepted.queryLength})`
      : 'SCM accepted none of the lengths tried';
    const limit = refused
      ? `; it refused ${refused.urlLength} characters (query string ${refused.queryLength}) with HTTP ${refused.status}, ${quote(refused.said && ctx.redact(refused.said), 200)}.`
      : `, every length tried (up to ${URL_LENGTHS.at(-1)}).`;
    let client: string;
    if (refused && !TOO_LONG.has(refused.status))
      client = ` The client takes only 400, 404 and 414 for "too long": this HTTP ${refused.status} would fail a long read-back instead of halving it.`;
    else if (refused && refused.urlLength <= CLIENT_MAX_URL)
      client = ` The client splits read-back filters under ${CLIENT_MAX_URL} characters: here a query that long is refused once, halved, and the shorter length kept.`;
    else client = ` The client's read-back filters (under ${CLIENT_MAX_URL} characters) fit.`;
    return answer(
      'urlLimit',
      `${took}${limit}${client}`,
      {
        longestAccepted: accepted,
        firstRefused: refused
          ? { urlLength: refused.urlLength, queryLength: refused.queryLength, status: refused.status }
          : null,
        tried,
      },
      evidence,
    );
  } catch (error) {
    return failed(ctx, 'urlLimit', error, evidence);
  }
}
