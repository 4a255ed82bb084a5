import { ActionIcon, Alert, Anchor, Group, Select, Stack, Text } from '@mantine/core';
import { IconStack2 } from '@tabler/icons-react';
import { useState } from 'react';
import { FIELD_WORDS as W } from '../../../../shared/column-words';
import type { LINE_SORT_FIELDS } from '../../../../shared/queries';
import type { RpcInput } from '../../../../shared/rpc';
import { STORED_LINE_STATUSES, type StoredLineStatus } from '../../../../shared/status';
import type { DetailedLine } from '../../../../shared/views';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatNumber, formatShortDateTime, otherDimensions } from '../../components/format';
import { RefusalPreview, scmRefusal } from '../../components/Refusal';
import { AggregatedStatusBadge, LineStatusBadge } from '../../components/StatusBadge';
import { useLedgerChanged, useRpc } from '../../rpc/hooks';
import { href, navigate } from '../../state/router';
import { ColumnsMenu, type GridColumn, useVisibleColumns } from './ColumnsMenu';
import { exportCsv, exportXlsx } from './csv-export';
import { ExportButton } from './ExportButton';
import { FilterBar } from './FilterBar';
import { baseQuery } from './filters';
import { useGridState } from './grid-state';
import { LedgerTable } from './LedgerTable';

type SortField = (typeof LINE_SORT_FIELDS)[number];

// What, where and how many first: at 1024 px they are in view without scrolling sideways,
// the statuses one scroll away (test/e2e/ui-clerk.test.ts measures it).
const COLUMNS: GridColumn<DetailedLine>[] = [
  {
    accessor: 'createdAt',
    title: W.createdAt,
    sortable: true,
    noWrap: true,
    // Created and Product say which line it is: pinned, they stay in view while the grid scrolls sideways.
    pinned: 'left',
    render: (l) => formatShortDateTime(l.createdAt),
  },
  { accessor: 'productId', title: W.productId, sortable: true, pinned: 'left' },
  { accessor: 'organizationId', title: W.organizationId, sortable: true, optional: true },
  { accessor: 'siteId', title: W.siteId, sortable: true, render: (l) => l.dimensions.siteId },
  { accessor: 'locationId', title: W.locationId, sortable: true, render: (l) => l.dimensions.locationId },
  {
    accessor: 'quantity',
    title: W.quantity,
    sortable: true,
    textAlign: 'right',
    render: (l) => formatNumber(l.quantity),
  },
  {
    accessor: 'status',
    title: W.status,
    sortable: true,
    render: (l) => <LineStatusBadge status={l.status} />,
  },
  {
    accessor: 'scm',
    title: W.scmStatus,
    render: (l) => {
      if (!l.scm) return <Text size="xs">{l.status === 'Voided' ? 'voided: never sent' : 'not yet'}</Text>;
      const refusal = scmRefusal({ ...l.scm, organizationId: l.organizationId });
      return (
        <Stack gap={2}>
          <Group gap={6} wrap="nowrap">
            <AggregatedStatusBadge status={l.scm.status} />
            {l.scm.journalNumber && <Text size="xs">{l.scm.journalNumber}</Text>}
            {l.aggregatedLineId && (
              // Out of the tab order: Enter on the row opens the line, whose drawer links here too.
              <ActionIcon
                variant="subtle"
                size="sm"
                tabIndex={-1}
                aria-label="Open its aggregated line"
                title="Open its aggregated line"
                onClick={(e) => {
                  e.stopPropagation();
                  navigate('transactions', {
                    tab: 'aggregated',
                    agg: l.aggregatedLineId ?? undefined,
                    from: l.lineRecordId,
                  });
                }}
              >
                <IconStack2 size={16} />
              </ActionIcon>
            )}
          </Group>
          {refusal && <RefusalPreview refusal={refusal} />}
        </Stack>
      );
    },
  },
  {
    accessor: 'physicalMeasure',
    title: W.sourceAndMeasure,
    optional: true,
    render: (l) => `${l.quantityDataSource} / ${l.physicalMeasure}`,
  },
  {
    accessor: 'dimensions',
    title: W.dimensions,
    optional: true,
    render: (l) => otherDimensions(l.dimensions),
  },
  {
    accessor: 'externalReferenceId',
    title: W.externalReferenceId,
    sortable: true,
    render: (l) =>
      l.externalReferenceId || l.externalReferenceCategory ? (
        <Stack gap={0}>
          <Text size="sm">{l.externalReferenceId ?? ''}</Text>
          <Text size="xs" c="dimmed">
            {l.externalReferenceCategory ?? ''}
          </Text>
        </Stack>
      ) : (
        ''
      ),
  },
  { accessor: 'transDate', title: W.transDate, sortable: true, noWrap: true, optional: true },
  {
    accessor: 'reasonCode',
    title: W.reasonCode,
    optional: true,
    noWrap: true,
    render: (l) => l.reasonCode ?? '',
  },
];

/** The detailed transactions: server-side paging, sort and filters. */
export function DetailedGrid(props: { of: string | undefined; onOpen: (lineRecordId: string) => void }) {
  const grid = useGridState<DetailedLine, StoredLineStatus>('detailed', {
    columnAccessor: 'createdAt',
    direction: 'desc',
  });
  const reasons = useRpc('reasons.list', {});
  /** Lines of one reason code, or all ('' ). Kept for this visit, like the other filters. */
  const [reason, setReason] = useState('');
  const query: RpcInput<'lines.list'> = {
    ...baseQuery(grid.filters),
    reasonCode: reason || undefined,
    externalReferenceId: grid.filters.reference.trim() || undefined,
    aggregatedLineId: props.of,
    orderBy: grid.sort.columnAccessor as SortField,
    direction: grid.sort.direction,
  };
  const list = useRpc('lines.list', { ...query, ...grid.paging });
  useLedgerChanged(list.reload);
  const columns = useVisibleColumns('detailed', COLUMNS);
  return (
    <Stack>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <FilterBar
          statuses={STORED_LINE_STATUSES}
          referenceLabel="External reference ID"
          filters={grid.filters}
          onChange={grid.setFilters}
        />
        <Select
          label="Reason"
          placeholder="Any"
          clearable
          w={170}
          data={(reasons.data ?? []).map((r) => ({ value: r.code, label: r.words }))}
          value={reason || null}
          onChange={(v) => setReason(v ?? '')}
        />
        <Group gap="xs" wrap="nowrap">
          <ColumnsMenu grid="detailed" columns={COLUMNS} />
          <ExportButton label="Export Excel" run={() => exportXlsx('lines', query)} />
          <ExportButton label="Export CSV" run={() => exportCsv('lines', query)} />
        </Group>
      </Group>
      {props.of && (
        <Alert color="blue" py="xs">
          <Group justify="space-between">
            <Text size="sm">Showing only the detailed lines of one aggregated line.</Text>
            <Group gap="md">
              <Anchor size="sm" href={href('transactions', { tab: 'aggregated', agg: props.of })}>
                Back to the aggregated line
              </Anchor>
              <Anchor size="sm" href={href('transactions', { tab: 'detailed' })}>
                Show all lines
              </Anchor>
            </Group>
          </Group>
        </Alert>
      )}
      <ErrorAlert error={list.error} title="Could not load the lines" />
      <LedgerTable<DetailedLine>
        label="Detailed lines"
        idAccessor="lineRecordId"
        columns={columns}
        page={list.data}
        loading={list.loading}
        grid={grid}
        onOpen={(record) => props.onOpen(record.lineRecordId)}
        noRecordsText="No lines match"
      />
    </Stack>
  );
}
