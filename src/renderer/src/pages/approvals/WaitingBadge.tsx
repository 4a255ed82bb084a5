import { Badge } from '@mantine/core';
import { useLedgerChanged, useRpc } from '../../rpc/hooks';

/** The nav's count of lines waiting for a manager; nothing when none waits. */
export function WaitingBadge() {
  const count = useRpc('approvals.count', {});
  useLedgerChanged(() => count.reload());
  const n = count.data?.waiting ?? 0;
  if (n === 0) return null;
  return (
    <Badge
      size="sm"
      color="yellow"
      circle
      aria-label={`${n} waiting for approval`}
      data-testid="waiting-badge"
    >
      {n}
    </Badge>
  );
}
