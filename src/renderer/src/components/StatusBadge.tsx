import { Badge, Group, type MantineColor, Text } from '@mantine/core';
import type { AggregatedStatus, StoredLineStatus } from '../../../shared/status';
import { AGGREGATED_STATUS_WORDS, LINE_STATUS_WORDS } from '../../../shared/status-words';

// Filled badges in shades that hold 4.5:1 with their text in both themes (axe checks it):
// Mantine's default filled shade 6 under white is 2.4–3.3:1. Yellow takes dark text.
const LINE_COLORS: Record<StoredLineStatus, MantineColor> = {
  Created: 'gray.7',
  IVPosted: 'blue.8',
  // Not green: an aggregated line may still fail in SCM; the SCM column says how it went.
  Aggregated: 'violet.8',
  Voided: 'dark.7',
};

const AGGREGATED_COLORS: Record<AggregatedStatus, MantineColor> = {
  Created: 'gray.7',
  DoNotSync: 'dark.5',
  FnOSent: 'blue.8',
  FnOCreateError: 'red.8',
  FnOCreated: 'cyan.9',
  FnOPostError: 'yellow.5',
  FnOPosted: 'teal.9',
};

/**
 * What each status means, in the words of Microsoft's business-layer article (Step 2,
 * https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-sync-changes),
 * for the badge's tooltip (one table with the XLSX export).
 */
export const STATUS_HELP: Record<string, string> = {
  ...Object.fromEntries(Object.entries(LINE_STATUS_WORDS).map(([k, v]) => [`line:${k}`, v])),
  ...Object.fromEntries(Object.entries(AGGREGATED_STATUS_WORDS).map(([k, v]) => [`agg:${k}`, v])),
};

export function LineStatusBadge({ status }: { status: StoredLineStatus }) {
  return (
    <Badge color={LINE_COLORS[status]} autoContrast title={STATUS_HELP[`line:${status}`]}>
      {status}
    </Badge>
  );
}

export function AggregatedStatusBadge({ status }: { status: AggregatedStatus }) {
  return (
    <Badge color={AGGREGATED_COLORS[status]} autoContrast title={STATUS_HELP[`agg:${status}`]}>
      {status}
    </Badge>
  );
}

/** A badge with its one-line meaning beside it, where there is room (drawers, status lists). */
export function StatusExplained(props: {
  kind: 'line' | 'agg';
  status: StoredLineStatus | AggregatedStatus;
}) {
  return (
    <Group gap="xs" wrap="nowrap">
      {props.kind === 'line' ? (
        <LineStatusBadge status={props.status as StoredLineStatus} />
      ) : (
        <AggregatedStatusBadge status={props.status as AggregatedStatus} />
      )}
      <Text component="span" size="sm" data-testid="status-explanation">
        {STATUS_HELP[`${props.kind}:${props.status}`]}
      </Text>
    </Group>
  );
}
