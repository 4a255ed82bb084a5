import { Table } from '@mantine/core';
import type { OnHandRow } from '../../../../shared/onhand';
import { formatDateTime, formatNumber } from '../../components/format';

/** IV's figure, when it said it, what is pending here, and the sum. */
export function OnHandTable({ rows }: { rows: OnHandRow[] }) {
  return (
    <Table aria-label="On-hand" striped withTableBorder>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Site</Table.Th>
          <Table.Th>Warehouse</Table.Th>
          <Table.Th>Variant</Table.Th>
          <Table.Th>IV said</Table.Th>
          <Table.Th>Pending here</Table.Th>
          <Table.Th>IV + pending</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={`${r.siteId}|${r.locationId}|${JSON.stringify(r.dimensions)}`}>
            <Table.Td>{r.siteId}</Table.Td>
            <Table.Td>{r.locationId}</Table.Td>
            <Table.Td>{Object.values(r.dimensions).join(' / ') || '—'}</Table.Td>
            <Table.Td>
              {r.iv === null ? 'not known' : `${formatNumber(r.iv)} (${formatDateTime(r.ivAt)})`}
            </Table.Td>
            <Table.Td>{formatNumber(r.pending)}</Table.Td>
            <Table.Td>{formatNumber(r.total)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
