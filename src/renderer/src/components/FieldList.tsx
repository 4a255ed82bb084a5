import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/** Label/value rows for a detail panel: every field, blanks shown as a dash. */
export function FieldList({ rows }: { rows: [label: string, value: ReactNode][] }) {
  return (
    <Table fz="sm" verticalSpacing={4} withRowBorders={false} layout="fixed">
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w="42%" c="dimmed" fw={500} style={{ verticalAlign: 'top' }}>
              {label}
            </Table.Th>
            <Table.Td style={{ wordBreak: 'break-word' }} data-field={label}>
              {value === null || value === undefined || value === '' ? '—' : value}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
