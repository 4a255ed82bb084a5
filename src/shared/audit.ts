import { z } from 'zod';
import { pageWindow } from './queries';

/**
 * The audit trail as the UI and the API see it: one row per action (src/main/audit), a page of
 * them filtered by person, action and time, and the verification's answer in words.
 */

/** Who acted: a person, a store system's key, the computer's user, nobody signed in, or the app itself. */
export type AuditActorKind = 'person' | 'system' | 'os-user' | 'nobody' | 'app';

export interface AuditEventView {
  seq: number;
  /** ISO 8601, UTC: the UI shows it in the PC's local time. */
  at: string;
  actor: { kind: AuditActorKind; id: string | null; name: string };
  pc: string;
  action: string;
  /** The action in words: "Voiding a line", "Failed sign-in". */
  actionWords: string;
  target: unknown;
  oldValue: unknown;
  newValue: unknown;
  outcome: 'done' | 'refused';
  errorCode: string | null;
  /** A line event: the lines it entered. */
  lines: { first: number; last: number; count: number } | null;
}

const text = z.string({ error: 'must be a string' }).trim().min(1).max(256).optional();
const instant = z
  .string({ error: 'must be a time' })
  .trim()
  .refine((s) => /^\d{4}-\d{2}-\d{2}(T|$)/.test(s) && !Number.isNaN(Date.parse(s)), {
    error: 'must be an ISO 8601 date or time',
  })
  .optional();

export const auditQuerySchema = z.strictObject({
  /** A person's (or key's) name, whole or part, any case. */
  actor: text,
  /** An action's name, e.g. `lines.void`, or its start (`sign-in`). */
  action: text,
  outcome: z.enum(['done', 'refused'], { error: "must be 'done' or 'refused'" }).optional(),
  /** From this instant (inclusive) to that one (exclusive): the UI sends the PC's local day bounds. */
  from: instant,
  to: instant,
  ...pageWindow,
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

/** One thing the verification found, in words. */
export interface AuditFinding {
  kind: 'line-changed' | 'line-missing' | 'lines-unrecorded' | 'event-changed' | 'events-missing';
  message: string;
  /** The audit event it concerns (the one that no longer matches). */
  eventSeq: number | null;
  lineSeq: number | null;
  fields: string[];
}

export interface AuditVerifyReport {
  ok: boolean;
  /** "The audit trail and the 100,000 lines it covers match." or what was found, in words. */
  summary: string;
  findings: AuditFinding[];
  /** The last event that still matched: what came before it is as recorded. */
  lastGood: { seq: number; at: string } | null;
  events: number;
  lines: number;
  checkedAt: string;
  durationMs: number;
  /** The longest the verification held the event loop at once. */
  longestBlockMs: number;
}
