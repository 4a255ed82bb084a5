import { Table, Text } from '@mantine/core';
import type { DraftRowView } from '../../../../shared/drafts';

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** The first rows of a draft as they will enter the ledger, bad cells named beside them. */
export function DraftRows({ rows }: { rows: DraftRowView[] }) {
  return (
    <Table aria-label="Draft rows" striped withTableBorder>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>#</Table.Th>
          <Table.Th>Organization</Table.Th>
          <Table.Th>Product</Table.Th>
          <Table.Th>Quantity</Table.Th>
          <Table.Th>Site</Table.Th>
          <Table.Th>Warehouse</Table.Th>
          <Table.Th>Problems</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => {
          const dims = (r.line.dimensions ?? {}) as Record<string, unknown>;
          return (
            <Table.Tr key={r.row}>
              <Table.Td>{r.row}</Table.Td>
              <Table.Td>{text(r.line.organizationId)}</Table.Td>
              <Table.Td>{text(r.line.productId)}</Table.Td>
              <Table.Td>{text(r.line.quantity)}</Table.Td>
              <Table.Td>{text(dims.siteId)}</Table.Td>
              <Table.Td>{text(dims.locationId)}</Table.Td>
              <Table.Td>
                {r.errors.length > 0 && (
                  <Text size="sm" c="red">
                    {r.errors.map((e) => `${e.field} ${e.message}`).join('; ')}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
