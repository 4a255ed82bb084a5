import type { SyncRunSummary } from '../../../shared/sync-status';
import { formatDateTime } from './format';

export type Service = 'iv' | 'scm';
const SYSTEM: Record<Service, string> = { iv: 'Inventory Visibility', scm: 'SCM' };

// Transport codes and words a clerk cannot act on: the network did not carry the call.
const UNREACHABLE =
  /\b(ECONNREFUSED|ECONNRESET|ECONNABORTED|EAI_AGAIN|ENOTFOUND|ENETUNREACH|EHOSTUNREACH|ENETDOWN|EHOSTDOWN|ETIMEDOUT|EPIPE|UND_ERR_[A-Z_]+)\b|fetch failed|socket hang up|network error|request aborted/i;
const NO_ANSWER = /no answer within \d+ ms/i;
// "(POST http://127.0.0.1:8080/api/…)" or "from GET https://…": the request line, for the log only.
const REQUEST_LINE =
  /\s*(\(|\bfrom\s+)?\b(GET|POST|PUT|PATCH|DELETE|HEAD)\s+https?:\/\/\S+?(\)|(?=[\s;,]|$))/g;
const BARE_URL = /\bhttps?:\/\/\S+/g;
const ISO_UTC = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g;

function serviceIn(message: string, fallback: Service | undefined): Service | undefined {
  if (fallback) return fallback;
  if (/inventory visibility|\bIV\b/i.test(message)) return 'iv';
  if (/\bSCM\b|supply chain|finance and operations|F&O/i.test(message)) return 'scm';
  return undefined;
}

/**
 * What a clerk reads instead of a transport error or a UTC timestamp: "SCM cannot be
 * reached; your lines are safe…", local date and time. The raw text stays in the attempt
 * log and the server's log for whoever troubleshoots.
 */
export function clerkWords(message: string | null | undefined, service?: Service): string | null {
  if (!message) return null;
  const who = serviceIn(message, service);
  const system = who ? SYSTEM[who] : 'The upstream service';
  if (UNREACHABLE.test(message))
    return `${system} cannot be reached; your lines are safe and will be sent when it is back.`;
  if (NO_ANSWER.test(message))
    return `${system} did not answer in time; your lines are safe and will be sent again.`;
  return message
    .replace(REQUEST_LINE, '')
    .replace(BARE_URL, (url) => {
      try {
        return new URL(url).host;
      } catch {
        return '';
      }
    })
    .replace(ISO_UTC, (iso) => formatDateTime(iso))
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** How a run went, never "ok" when it carried an error. */
export type RunVerdict = 'done' | 'nothing' | 'problem' | 'failed' | 'skipped' | 'running';

export function runVerdict(run: SyncRunSummary): RunVerdict {
  if (run.outcome === 'running' || run.outcome === 'skipped' || run.outcome === 'failed') return run.outcome;
  if (run.outcome === 'partial' || run.message) return 'problem';
  return Object.values(run.counts).some((n) => n > 0) ? 'done' : 'nothing';
}

const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** The engine's run counters (src/main/sync) in words, in the order a run does things. */
const COUNT_WORDS: Record<string, (k: number) => string> = {
  accepted: (k) => `Sent ${n(k, 'line')} to IV`,
  aggregatedDetailedLines: (k) => `Aggregated ${n(k, 'line')}`,
  aggregatedLines: (k) => `into ${n(k, 'SCM line')}`,
  doNotSync: (k) => `${n(k, 'line')} set aside (DoNotSync by mapping)`,
  journalsSent: (k) => `Sent ${n(k, 'journal')} to SCM`,
  linesSent: (k) => `with ${n(k, 'line')}`,
  created: (k) => `${n(k, 'line')} created in SCM`,
  foundOnReadBack: (k) => `${n(k, 'line')} found already in SCM`,
  posted: (k) => `${n(k, 'line')} posted in SCM`,
  createErrors: (k) => `${n(k, 'line')} refused by SCM`,
  postErrors: (k) => `${n(k, 'line')} not posted by SCM`,
};
// Bookkeeping a clerk does not need: how many calls, lines offered before the answer.
const QUIET = new Set(['calls', 'sent', 'journalsCut']);

/** "Sent 12 lines to IV", "Sent 1 journal to SCM with 3 lines": what a run did, in words. */
export function runWords(run: SyncRunSummary): string {
  const parts: string[] = [];
  for (const [key, say] of Object.entries(COUNT_WORDS)) {
    const v = run.counts[key];
    if (v && v > 0) parts.push(say(v));
  }
  const rejected = run.counts.rejected;
  if (rejected && rejected > 0)
    parts.push(`${n(rejected, 'line')} refused by ${run.job === 'iv' ? 'IV' : 'SCM'}`);
  // A counter this page does not know yet still shows, under the engine's own name.
  for (const [k, v] of Object.entries(run.counts))
    if (!(k in COUNT_WORDS) && !QUIET.has(k) && k !== 'rejected' && v > 0) parts.push(`${k}: ${v}`);
  const message = clerkWords(run.message, run.job === 'iv' ? 'iv' : 'scm');
  if (parts.length === 0) return message ?? (run.outcome === 'running' ? 'Running…' : 'Nothing to send');
  // One sentence: "Aggregated 2 lines, into 1 SCM line, sent 1 journal to SCM".
  const sentence = parts.map((p, i) => (i === 0 ? p : p.charAt(0).toLowerCase() + p.slice(1))).join(', ');
  return [sentence, message].filter(Boolean).join('. ');
}
