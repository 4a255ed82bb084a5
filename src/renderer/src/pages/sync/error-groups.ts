import { explainScmRefusal, type Refusal } from '../../../../shared/scm-refusal';
import type { AggregatedLine } from '../../../../shared/views';

export interface ErrorGroup {
  key: string;
  /** The cause the group's lines share, and what to do about it. */
  refusal: Refusal;
  /** One real message of the group, as SCM wrote it. */
  example: string;
  status: AggregatedLine['status'];
  kind: AggregatedLine['lastErrorKind'];
  organizationId: string;
  /** The journal of the group's lines when they share one (a posting error is about a journal). */
  journalNumber: string | null;
  lines: AggregatedLine[];
}

/**
 * "The value 'D0042' in field 'Item number'…" and "The value 'D0043' in field 'Item number'…" are
 * one shape but two causes: grouping keeps values, GUIDs and numbers that are not the cause out of
 * the key (a message it does not recognise is grouped by its shape, values blanked).
 */
export function causeOf(message: string): string {
  return message
    .replace(/'[^']*\d[^']*'|"[^"]*\d[^"]*"|“[^”]*\d[^”]*”/g, '…')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '…')
    .replace(/\b[A-Z]*\d[\w-]*\b/g, '…')
    .trim();
}

/**
 * One group per cause: the same kind of refusal for the same value in the same company (an
 * unknown item ZZ9999 is one fix, ZZ9998 another), so Retry and DoNotSync act on lines that need
 * the same fix, and no further.
 */
export function groupErrors(lines: AggregatedLine[]): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  for (const line of lines) {
    const message = line.lastError ?? 'No message from SCM';
    const refusal = explainScmRefusal(message, { company: line.organizationId, status: line.status });
    const what =
      refusal.kind === 'other' || refusal.kind === 'noReason' || refusal.kind === 'wholePackage'
        ? causeOf(refusal.statement)
        : `${refusal.field ?? ''}=${refusal.value ?? ''}`;
    const key = [
      line.status,
      line.lastErrorKind ?? '',
      line.organizationId.toLowerCase(),
      refusal.kind,
      what,
    ].join('|');
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        refusal,
        example: message,
        status: line.status,
        kind: line.lastErrorKind,
        organizationId: line.organizationId,
        journalNumber: line.journalNumber,
        lines: [],
      };
      groups.set(key, group);
    }
    if (group.journalNumber !== line.journalNumber) group.journalNumber = null;
    group.lines.push(line);
  }
  return [...groups.values()].sort(
    (a, b) => b.lines.length - a.lines.length || a.refusal.cause.localeCompare(b.refusal.cause),
  );
}
