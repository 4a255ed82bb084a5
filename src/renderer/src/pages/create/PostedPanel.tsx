import { Alert, Anchor, Button, Group, Table, Text } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import type { LineStatus } from '../../../../shared/status';
import { formatNumber } from '../../components/format';
import { LineStatusBadge } from '../../components/StatusBadge';
import { itemAndVariant } from '../../components/variant';
import { href, navigate } from '../../state/router';

export interface PostedLine {
  lineRecordId: string;
  id: string;
  /** The item and dimensions stored: a scanned barcode's item and variant, not the barcode. */
  productId: string;
  dimensions: Record<string, string>;
  /** The barcode the clerk scanned, when the line was stored as its item and variant. */
  scannedCode: string | null;
  quantity: number;
  where: string;
  status: LineStatus;
  created: boolean;
  at: Date;
}

/** "D0001 (colour red, size S) from barcode 0123456789012": what was stored, and what was scanned. */
function stored(p: PostedLine): string {
  const item = itemAndVariant(p.productId, p.dimensions);
  return p.scannedCode ? `${item} from barcode ${p.scannedCode}` : item;
}

function openLine(lineRecordId: string) {
  navigate('transactions', { tab: 'detailed', line: lineRecordId });
}

/** The confirmation with *Check record*: the last line posted from this window. */
export function PostedConfirmation({ posted }: { posted: PostedLine[] }) {
  const last = posted[0];
  if (!last) return null;
  return (
    <Alert
      color="green"
      icon={<IconCircleCheck size={18} />}
      title={last.created ? 'Posted' : 'Already recorded'}
      role="status"
      data-testid="posted-confirmation"
    >
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">
          {stored(last)}, quantity {formatNumber(last.quantity)} at {last.where}:{' '}
          {last.created ? 'recorded in the ledger' : 'this id was already in the ledger, nothing added'} (
          {last.status}).
        </Text>
        {/* Never squeezed by a long line (an item, its variant and the barcode scanned). */}
        <Button
          size="xs"
          variant="light"
          style={{ flexShrink: 0 }}
          onClick={() => openLine(last.lineRecordId)}
        >
          Check record
        </Button>
      </Group>
    </Alert>
  );
}

/** The lines posted from this window, newest first; below the form, so it never pushes the form down. */
export function PostedHistory({ posted }: { posted: PostedLine[] }) {
  return (
    <>
      {posted.length > 1 && (
        <Table striped withTableBorder fz="sm" aria-label="Lines posted from this window">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>Product</Table.Th>
              <Table.Th ta="right">Quantity</Table.Th>
              <Table.Th>Site / warehouse</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {posted.map((p) => (
              <Table.Tr key={p.lineRecordId}>
                <Table.Td>{p.at.toLocaleTimeString()}</Table.Td>
                <Table.Td>
                  <Anchor href={href('transactions', { tab: 'detailed', line: p.lineRecordId })}>
                    {stored(p)}
                  </Anchor>
                </Table.Td>
                <Table.Td ta="right">{formatNumber(p.quantity)}</Table.Td>
                <Table.Td>{p.where}</Table.Td>
                <Table.Td>
                  <LineStatusBadge status={p.status} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
