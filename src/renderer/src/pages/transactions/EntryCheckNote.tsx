import { Alert, List, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { AggregatedStatus } from '../../../../shared/status';
import { formatDateTime } from '../../components/format';
import { useRpc } from '../../rpc/hooks';

/**
 * What the store's copy of SCM's master data said when the line was entered: the item's name,
 * and the cautions shown then. When SCM later refused the line, it says whether the store's copy
 * already did not know the code ("this item was unknown to the store's copy too"), which points
 * at a typo at entry rather than at SCM.
 */
export function EntryCheckNote({
  lineRecordId,
  scmStatus,
}: {
  lineRecordId: string;
  scmStatus: AggregatedStatus | null;
}) {
  const check = useRpc('masterData.entryCheck', { lineRecordId });
  const c = check.data;
  if (!c) return null;
  const asOf = c.masterDataAsOf ? ` as of ${formatDateTime(c.masterDataAsOf)}` : '';
  if (c.warnings.length === 0)
    return c.itemName ? (
      <Text size="sm" data-testid="entry-check">
        At entry: {c.itemName} (the store's copy of SCM{asOf}).
      </Text>
    ) : null;
  const refused = scmStatus === 'FnOCreateError';
  return (
    <Alert
      color={refused ? 'orange' : 'gray'}
      icon={<IconInfoCircle size={18} />}
      title={
        refused ? "Unknown to the store's copy too, when it was entered" : 'Cautions when it was entered'
      }
      data-testid="entry-check"
    >
      <List size="sm">
        {c.warnings.map((w) => (
          <List.Item key={`${w.field}:${w.message}`}>{w.message}</List.Item>
        ))}
      </List>
      <Text size="xs" mt={4}>
        Checked {formatDateTime(c.checkedAt)} against the store's copy of SCM{asOf}.
      </Text>
    </Alert>
  );
}
