/**
 * The tenant check's report: Markdown for people and JSON beside it, and a short summary for the
 * console. Every string goes through the redactor once more before it is written: no secret or
 * token leaves in a report, whatever an answer quoted.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TenantAnswer, TenantCheckReport } from '../../shared/tenant-check';
import { scrubCredentials } from '../upstream/redaction';

/** Every string of `value`, redacted. */
export function redactDeep<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T;
  return value;
}

const fence = (body: string) => {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}\n${body}\n${ticks}`;
};

function answerMarkdown(a: TenantAnswer, n: number): string {
  const lines = [
    `## ${n}. ${a.question}`,
    '',
    `**${a.asked ? 'Answer' : 'Not asked'}.** ${a.answer}`,
    '',
    `**Settles:** ${a.settles}.`,
  ];
  if (a.evidence.length > 0) {
    lines.push('', '**Evidence (raw answers):**', '');
    for (const e of a.evidence) {
      const status = e.status === undefined ? '' : e.status === null ? ' → 2xx' : ` → HTTP ${e.status}`;
      lines.push(`- ${e.what}${e.request ? `: \`${e.request.replace(/`/g, "'")}\`` : ''}${status}`);
      if (e.body !== undefined && e.body !== '') lines.push('', fence(e.body).replace(/^/gm, '  '), '');
    }
  }
  return lines.join('\n');
}

export function toMarkdown(report: TenantCheckReport): string {
  const t = report.target;
  const head = [
    `# Store Ledger tenant check ${report.runId}`,
    '',
    `Run ${report.startedAt} – ${report.finishedAt} by Store Ledger ${report.version}, against SCM ${t.fnoEnvironmentUrl}` +
      ` (integration activity ${t.activityId}) and Inventory Visibility ${t.ivEndpoint} (environment ${t.environmentId}).` +
      ` Organization ${t.organization}, test item ${t.item} at site ${t.site}, warehouse ${t.warehouse};` +
      ` IV data source and measure ${t.dataSource}.${t.measure}; import profile "${t.importProfile}".` +
      ' The person who ran it confirmed that this is a sandbox, not production.',
    '',
  ];
  if (report.outcome === 'unreachable') {
    head.push(`**The tenant could not be reached.** ${report.unreachable ?? ''}`, '');
    return `${head.join('\n')}\n`;
  }
  head.push(
    '## What it sent',
    '',
    ...(report.sent.length > 0 ? report.sent.map((s) => `- ${s}`) : ['- Nothing.']),
    '',
    `Every pair nets to zero, and every ID and description starts with \`tenant-check-${report.runId}\`. ` +
      (t.post
        ? "The first journal expects Posted: SCM's posting job posts it (zero-net)."
        : 'The journals expect Created: nothing was posted. Delete them in SCM (Inventory management › Journal entries) when done.'),
    '',
    '## Answers',
    '',
  );
  return `${head.join('\n')}${report.answers.map((a, i) => answerMarkdown(a, i + 1)).join('\n\n')}\n`;
}

/** One line per answer, for the console. */
export function summary(report: TenantCheckReport): string {
  if (report.outcome === 'unreachable') return `The tenant could not be reached. ${report.unreachable ?? ''}`;
  return report.answers
    .map((a) => `${a.asked ? ('error' in a.facts ? '✗' : '✓') : '–'} ${a.question}: ${a.answer}`)
    .join('\n');
}

/** `tenant-check-20250107-101500.md` in `dir`. */
export function defaultReportPath(dir: string, at = new Date()): string {
  const stamp = at.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return path.join(dir, `tenant-check-${stamp}.md`);
}

/** Writes the Markdown at `target` (`.md` added when missing) and the JSON beside it. */
export function writeReport(
  report: TenantCheckReport,
  target: string,
  redact: (text: string) => string,
): { markdownPath: string; jsonPath: string; report: TenantCheckReport } {
  const safe = redactDeep(report, (s) => scrubCredentials(redact(s)));
  const markdownPath = path.resolve(target.toLowerCase().endsWith('.md') ? target : `${target}.md`);
  const jsonPath = markdownPath.replace(/\.md$/i, '.json');
  fs.mkdirSync(path.dirname(markdownPath), { recursive: true });
  fs.writeFileSync(markdownPath, toMarkdown(safe));
  fs.writeFileSync(jsonPath, `${JSON.stringify(safe, null, 2)}\n`);
  return { markdownPath, jsonPath, report: safe };
}
