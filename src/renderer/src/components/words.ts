import { type Service, clerkWords as sharedClerkWords } from '../../../shared/clerk-words';
import type { SyncRunSummary } from '../../../shared/sync-status';
import { formatDateTime } from './format';

export type { Service } from '../../../shared/clerk-words';

/** The shared words (shared/clerk-words.ts), with times as this page shows them. */
export function clerkWords(message: string | null | undefined, service?: Service): string | null {
  return sharedClerkWords(message, service, formatDateTime);
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
