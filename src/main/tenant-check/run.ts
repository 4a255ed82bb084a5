/**
 * The tenant check, start to end: reach both services (nothing is sent unless both answer), then
 * ask each question in turn with the upstream clients, never the ledger's sync. A question that
 * fails is answered "could not be answered" in words and the others still run.
 */
import type { TenantAnswer, TenantCheckReport } from '../../shared/tenant-check';
import { type CheckContext, type ContextInit, createContext, errorWords, notAsked } from './context';
import { askIvBulk } from './iv-questions';
import { askLinesDeleted, askPackage, askPosting, askRepeat } from './package-questions';
import { redactDeep } from './report';
import { askDataProject, askJobStatusUnknown, askUrlLimit } from './scm-questions';

const PING = '__storeledger_ping__';

/** Both services, as Initialize reaches them: IV's health, token exchange and environment; SCM's token and OData. */
async function reach(ctx: CheckContext): Promise<string | null> {
  const problems: string[] = [];
  ctx.progress('Reaching Inventory Visibility and SCM');
  try {
    await ctx.iv.ping();
  } catch (error) {
    problems.push(`Inventory Visibility could not be reached: ${errorWords(ctx, error)}`);
  }
  try {
    await ctx.scm.readJournalHeaders([{ dataAreaId: PING, journalNumber: PING }]);
  } catch (error) {
    problems.push(`SCM could not be reached: ${errorWords(ctx, error)}`);
  }
  return problems.length > 0 ? `${problems.join(' ')} Nothing was sent.` : null;
}

/**
 * A single-file profile carries no header, so SCM gives the journal the data project's own
 * expected status, which may be Posted: the test journal would post. Unless --post says that is
 * fine, no package is sent.
 */
const FILE_PROFILE_REFUSAL =
  "Not asked: the import profile is a single file, which carries no expected status; SCM would give the test journal the data project's own, which may post it. Run with --post to send it anyway (it is zero-net).";

export async function runTenantCheck(
  init: ContextInit & { version: string; runId?: string },
): Promise<TenantCheckReport> {
  const ctx = createContext(init, init.runId);
  const startedAt = new Date(ctx.now()).toISOString();
  const { options, conn, profile } = ctx;
  const report: TenantCheckReport = {
    tool: 'Store Ledger tenant check',
    version: init.version,
    runId: ctx.runId,
    startedAt,
    finishedAt: startedAt,
    outcome: 'ran',
    unreachable: null,
    target: {
      fnoEnvironmentUrl: conn.fnoEnvironmentUrl,
      ivEndpoint: conn.ivEndpoint,
      environmentId: conn.environmentId,
      activityId: conn.activityId,
      organization: options.organization,
      item: options.item,
      site: options.site,
      warehouse: options.warehouse,
      dataSource: options.dataSource,
      measure: options.measure,
      post: options.post,
      importProfile: profile.projectName,
    },
    sent: ctx.sent,
    answers: [],
  };
  const unreachable = await reach(ctx);
  if (unreachable) {
    report.outcome = 'unreachable';
    report.unreachable = unreachable;
  } else {
    report.answers = await ask(ctx);
  }
  report.finishedAt = new Date(ctx.now()).toISOString();
  // The redactor knows the client secret and every token issued during the run.
  return redactDeep(report, ctx.redact);
}

async function ask(ctx: CheckContext): Promise<TenantAnswer[]> {
  const answers: TenantAnswer[] = [];
  answers.push(await askJobStatusUnknown(ctx));
  answers.push(await askDataProject(ctx));
  answers.push(await askIvBulk(ctx));
  if (ctx.profile.kind === 'file' && !ctx.options.post) {
    for (const key of [
      'package',
      'blankFields',
      'repeatedTransactionId',
      'posting',
      'linesDeletedAfterPosting',
    ] as const)
      answers.push(notAsked(key, FILE_PROFILE_REFUSAL));
    answers.push(await askUrlLimit(ctx));
    return order(answers);
  }
  const { answers: packageAnswers, first } = await askPackage(ctx);
  answers.push(...packageAnswers);
  answers.push(await askRepeat(ctx, first));
  answers.push(await askUrlLimit(ctx));
  const posting = await askPosting(ctx, first);
  answers.push(posting.answer);
  answers.push(await askLinesDeleted(ctx, first, posting.posted));
  return order(answers);
}

/** The report's order: what Microsoft leaves open (docs/dynamics-contract.md §5), then posting. */
const ORDER: TenantAnswer['key'][] = [
  'jobStatusUnknownMessage',
  'ivBulkAnswer',
  'dataProject',
  'package',
  'repeatedTransactionId',
  'blankFields',
  'urlLimit',
  'linesDeletedAfterPosting',
  'posting',
];

function order(answers: TenantAnswer[]): TenantAnswer[] {
  return [...answers].sort((a, b) => ORDER.indexOf(a.key) - ORDER.indexOf(b.key));
}
