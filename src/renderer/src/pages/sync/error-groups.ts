import type { AggregatedLine } from '../../../../shared/views';

export interface ErrorGroup {
  key: string;
  /** One real message of the group, as SCM wrote it. */
  example: string;
  status: AggregatedLine['status'];
  kind: AggregatedLine['lastErrorKind'];
  lines: AggregatedLine[];
}

/**
 * "The value 'D0042' in field 'Item number'…" and "The value 'D0043' in field 'Item number'…" are
 * one cause: quoted values with a digit, GUIDs and numbers are blanked to group messages (field and
 * table names stay), and the first message is kept to show.
 */
export function causeOf(message: string): string {
  return message
    .replace(/'[^']*\d[^']*'|"[^"]*\d[^"]*"|“[^”]*\d[^”]*”/g, '…')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '…')
    .replace(/\b[A-Z]*\d[\w-]*\b/g, '…')
    .trim();
}

export function groupErrors(lines: AggregatedLine[]): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  for (const line of lines) {
    const message = line.lastError ?? 'No message from SCM';
    const key = `${line.status}|${line.lastErrorKind ?? ''}|${causeOf(message)}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, example: message, status: line.status, kind: line.lastErrorKind, lines: [] };
      groups.set(key, group);
    }
    group.lines.push(line);
  }
  return [...groups.values()].sort((a, b) => b.lines.length - a.lines.length);
}
