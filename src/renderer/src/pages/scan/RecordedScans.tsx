import { Alert, Badge, Group, Table, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import type { LookupResult } from '../../../../shared/master-data';
import { formatNumber } from '../../components/format';
import { itemAndVariant, variantWords } from '../../components/variant';
import type { ScanRow } from './use-scan-entry';

/** The scan in the fields: what the store's copy says it is, and what it will be recorded as. */
export function ScannedItem({ code, lookup }: { code: string; lookup: LookupResult | null }) {
  return (
    <section aria-label="Scanned item">
      <ScannedItemText code={code} lookup={lookup} />
    </section>
  );
}

function ScannedItemText({ code, lookup }: { code: string; lookup: LookupResult | null }) {
  if (!lookup)
    return (
      <Text size="sm" c="dimmed">
        {code}: looking it up… type the quantity meanwhile
      </Text>
    );
  const found = lookup.found;
  if (!found)
    return (
      <Alert color="yellow" role="status" py={6}>
        {lookup.warnings[0]?.message ?? `${code} is not in the store's item list`}. You can still record it.
      </Alert>
    );
  const variant = variantWords(found.dimensions);
  return (
    <>
      <Group gap="xs">
        <Text fw={600}>{found.itemNumber}</Text>
        <Text>{found.name ?? '(no name in SCM)'}</Text>
        {variant !== '' &&
          variant.split(', ').map((v) => (
            <Badge key={v} variant="light" tt="none">
              {v}
            </Badge>
          ))}
      </Group>
      {found.matchedBy === 'barcode' && (
        <Text size="sm">
          Barcode {code}: recorded as {itemAndVariant(found.itemNumber, found.dimensions)}
        </Text>
      )}
    </>
  );
}

const RESULT: Record<ScanRow['state'], string> = {
  sending: 'Recording…',
  asking: 'Waiting for your answer',
  recorded: 'Recorded',
  failed: 'Not recorded',
  held: 'Waiting for approval',
  approval: 'Waiting for a manager',
};

function result(row: ScanRow): string {
  if (row.state === 'failed') return `Not recorded: ${row.failure}`;
  if (row.state === 'held') return `Not recorded yet, ${row.failure}`;
  const cautions = row.entered?.warnings.map((w) => w.message) ?? [];
  return cautions.length > 0 ? `${RESULT[row.state]}; ${cautions.join('; ')}` : RESULT[row.state];
}

/** The last scan that failed, in words and by its number, until the clerk closes it or another fails. */
function LastFailure({ rows }: { rows: ScanRow[] }) {
  const [closed, setClosed] = useState<number | null>(null);
  const failed = rows.find((r) => r.state === 'failed');
  if (!failed || failed.key === closed) return null;
  return (
    <Alert
      color="red"
      role="alert"
      icon={<IconAlertTriangle size={18} />}
      title={`Scan ${failed.key} was not recorded`}
      withCloseButton
      closeButtonLabel="Close"
      onClose={() => setClosed(failed.key)}
    >
      {failed.code}, quantity {formatNumber(failed.quantity)} at site {failed.siteId}, warehouse{' '}
      {failed.locationId}: {failed.failure?.replace(/\.$/, '')}. Scan it again to record it.
    </Alert>
  );
}

/** This page's scans, newest first: where each went, what it was stored as, and whether it was recorded. */
export function RecordedScans({ rows, lookups }: { rows: ScanRow[]; lookups: Record<number, LookupResult> }) {
  if (rows.length === 0) return null;
  return (
    <>
      <LastFailure rows={rows} />
      <Table aria-label="Recorded scans" striped fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Scan</Table.Th>
            <Table.Th>Scanned</Table.Th>
            <Table.Th>Recorded as</Table.Th>
            <Table.Th>Site</Table.Th>
            <Table.Th>Warehouse</Table.Th>
            <Table.Th ta="right">Quantity</Table.Th>
            <Table.Th>Result</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.key} data-state={row.state}>
              <Table.Td>{row.key}</Table.Td>
              <Table.Td>{row.code}</Table.Td>
              <Table.Td>
                {row.entered ? itemAndVariant(row.entered.productId, row.entered.dimensions) : '—'}
                {lookups[row.key]?.found?.name && (
                  <Text size="xs" c="dimmed">
                    {lookups[row.key]?.found?.name}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{row.entered?.dimensions.siteId ?? row.siteId}</Table.Td>
              <Table.Td>{row.entered?.dimensions.locationId ?? row.locationId}</Table.Td>
              <Table.Td ta="right">{formatNumber(row.quantity)}</Table.Td>
              <Table.Td c={row.state === 'failed' ? 'var(--mantine-color-error)' : undefined}>
                {result(row)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
