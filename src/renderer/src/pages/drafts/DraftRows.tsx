import { ActionIcon, Button, Checkbox, Group, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleX, IconPencil, IconTrash } from '@tabler/icons-react';
import type { DraftRowView } from '../../../../shared/drafts';
import { rowName } from './RowEditModal';

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
export const PAGE_ROWS = 100;

/**
 * A page of a draft's rows as they will enter the ledger, each numbered as its file or pasted
 * block numbers it, its errors (red) and cautions beside it, with Edit and Delete for an open
 * draft. "Only rows with problems" finds the row to repair wherever it is in a large file.
 */
export function DraftRows(props: {
  rows: DraftRowView[];
  total: number;
  skip: number;
  problemsOnly: boolean;
  open: boolean;
  busy: boolean;
  onPage: (skip: number) => void;
  onProblemsOnly: (only: boolean) => void;
  onEdit: (row: DraftRowView) => void;
  onDelete: (row: DraftRowView) => void;
}) {
  const { rows, total, skip } = props;
  return (
    <>
      <Group justify="space-between">
        <Checkbox
          label="Only rows with problems"
          checked={props.problemsOnly}
          onChange={(e) => props.onProblemsOnly(e.currentTarget.checked)}
        />
        <Group gap="xs">
          <Text size="sm" aria-live="polite">
            {total === 0 ? 'No rows' : `Rows ${skip + 1}–${skip + rows.length} of ${total.toLocaleString()}`}
          </Text>
          <Button
            size="xs"
            variant="default"
            disabled={skip === 0}
            onClick={() => props.onPage(Math.max(0, skip - PAGE_ROWS))}
          >
            Previous
          </Button>
          <Button
            size="xs"
            variant="default"
            disabled={skip + rows.length >= total}
            onClick={() => props.onPage(skip + PAGE_ROWS)}
          >
            Next
          </Button>
        </Group>
      </Group>
      <Table aria-label="Draft rows" striped withTableBorder fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>From</Table.Th>
            <Table.Th>Row</Table.Th>
            <Table.Th>Organization</Table.Th>
            <Table.Th>Item</Table.Th>
            <Table.Th>Quantity</Table.Th>
            <Table.Th>Site</Table.Th>
            <Table.Th>Warehouse</Table.Th>
            <Table.Th>Problems</Table.Th>
            {props.open && <Table.Th aria-label="Actions" />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => {
            const dims = (r.line.dimensions ?? {}) as Record<string, unknown>;
            return (
              <Table.Tr key={`${r.block}-${r.row}`}>
                <Table.Td>{r.source}</Table.Td>
                <Table.Td>{r.row}</Table.Td>
                <Table.Td>{text(r.line.organizationId)}</Table.Td>
                <Table.Td>{text(r.line.productId)}</Table.Td>
                <Table.Td>{text(r.line.quantity)}</Table.Td>
                <Table.Td>{text(dims.siteId)}</Table.Td>
                <Table.Td>{text(dims.locationId)}</Table.Td>
                <Table.Td>
                  {/* Body-coloured, told apart by a sign and weight: red or orange words on the striped
                      rows fail 4.5:1 contrast in one theme or the other. */}
                  {r.errors.length > 0 && (
                    <Text size="xs" fw={700}>
                      <IconCircleX
                        size={12}
                        color="var(--mantine-color-error)"
                        aria-label="Error"
                        style={{ verticalAlign: 'middle' }}
                      />{' '}
                      {r.errors.map((e) => `${e.field} ${e.message}`).join('; ')}
                    </Text>
                  )}
                  {r.cautions.length > 0 && (
                    <Text size="xs">
                      <IconAlertTriangle size={12} aria-label="Caution" style={{ verticalAlign: 'middle' }} />{' '}
                      {r.cautions.map((e) => `${e.field} ${e.message}`).join('; ')}
                    </Text>
                  )}
                </Table.Td>
                {props.open && (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <ActionIcon
                        variant="subtle"
                        aria-label={`Edit ${rowName(r)}`}
                        disabled={props.busy}
                        onClick={() => props.onEdit(r)}
                      >
                        <IconPencil size={16} />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Delete ${rowName(r)}`}
                        disabled={props.busy}
                        onClick={() => props.onDelete(r)}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </>
  );
}
