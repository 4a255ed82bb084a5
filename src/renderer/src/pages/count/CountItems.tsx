import { Button, Table } from '@mantine/core';
import type { CountView } from '../../../../shared/counts';
import { formatNumber } from '../../components/format';
import { comparedWith, difference, itemName } from './count-words';

/**
 * The count's items: what is on the shelf, what it is compared with (before Apply: what IV said
 * when it was counted, a preview; once applied: the figure Apply used) and the difference.
 */
export function CountItems({ count, onRemove }: { count: CountView; onRemove: (item: number) => void }) {
  const open = count.state === 'Open';
  return (
    <Table aria-label="Counted items" striped withTableBorder>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Item</Table.Th>
          <Table.Th>On the shelf</Table.Th>
          <Table.Th>Compared with</Table.Th>
          <Table.Th>Difference</Table.Th>
          {open && <Table.Th aria-label="Actions" />}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {count.items.map((i) => (
          <Table.Tr key={i.item}>
            <Table.Td>{itemName(i)}</Table.Td>
            <Table.Td>{formatNumber(i.counted)}</Table.Td>
            <Table.Td>{comparedWith(i)}</Table.Td>
            <Table.Td>{difference(i)}</Table.Td>
            {open && (
              <Table.Td>
                <Button size="compact-xs" variant="subtle" color="red" onClick={() => onRemove(i.item)}>
                  Remove {itemName(i)}
                </Button>
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
