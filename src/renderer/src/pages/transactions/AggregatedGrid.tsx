import { Group, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import { FIELD_WORDS as W } from '../../../../shared/column-words';
import type { AGGREGATED_SORT_FIELDS } from '../../../../shared/queries';
import type { RpcInput } from '../../../../shared/rpc';
import { AGGREGATED_STATUSES, type AggregatedStatus } from '../../../../shared/status';
import type { AggregatedLine } from '../../../../shared/views';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatNumber, formatShortDateTime, otherDimensions } from '../../components/format';
import { RefusalPreview, scmRefusal } from '../../components/Refusal';
import { AggregatedStatusBadge } from '../../components/StatusBadge';
import { clerkWords } from '../../components/words';
import { useLedgerChanged, useRpc } from '../../rpc/hooks';
import { ColumnsMenu, type GridColumn, useVisibleColumns } from './ColumnsMenu';
import { exportCsv, exportXlsx } from './csv-export';
import { ExportButton } from './ExportButton';
import { FilterBar } from './FilterBar';
import { baseQuery, emptyFilters } from './filters';
import { useGridState } from './grid-state';
import { LedgerTable } from './LedgerTable';

type SortField = (typeof AGGREGATED_SORT_FIELDS)[number];

const COLUMNS: GridColumn<AggregatedLine>[] = [
  {
    accessor: 'createdAt',
    title: W.createdAt,
    sortable: true,
    noWrap: true,
    // Created and Product say which line it is: pinned, they stay in view while the grid scrolls sideways.
    pinned: 'left',
    render: (a) => formatShortDateTime(a.createdAt),
  },
  { accessor: 'productId', title: W.productId, sortable: true, pinned: 'left' },
  {
    accessor: 'status',
    title: W.status,
    sortable: true,
    // Narrow enough that Quantity fits beside it at 1024 px; the preview wraps instead.
    width: 170,
    // A refusal's cause and what to do, without opening the line.
    render: (a) => {
      const refusal = scmRefusal(a);
      return (
        <Stack gap={2}>
          <AggregatedStatusBadge status={a.status} />
          {refusal ? (
            <RefusalPreview refusal={refusal} />
          ) : (
            a.lastError && (
              <Text size="xs" lineClamp={2} title={clerkWords(a.lastError, 'scm') ?? ''}>
                {clerkWords(a.lastError, 'scm')}
              </Text>
            )
          )}
        </Stack>
      );
    },
  },
  { accessor: 'organizationId', title: W.organizationId, sortable: true, optional: true },
  { accessor: 'siteId', title: W.siteId, sortable: true, render: (a) => a.dimensions.siteId },
  { accessor: 'locationId', title: W.locationId, sortable: true, render: (a) => a.dimensions.locationId },
  {
    accessor: 'quantity',
    title: W.quantity,
    sortable: true,
    textAlign: 'right',
    render: (a) => formatNumber(a.quantity),
  },
  {
    accessor: 'physicalMeasure',
    title: W.sourceAndMeasure,
    optional: true,
    render: (a) => `${a.quantityDataSource} / ${a.physicalMeasure}`,
  },
  {
    accessor: 'dimensions',
    title: W.dimensions,
    optional: true,
    render: (a) => otherDimensions(a.dimensions),
  },
  { accessor: 'detailedLineCount', title: W.detailedLineCount, textAlign: 'right' },
  {
    accessor: 'journalNumber',
    title: W.journalAndLine,
    sortable: true,
    noWrap: true,
    render: (a) => (a.journalNumber ? `${a.journalNumber} / ${a.journalLineNumber ?? '—'}` : ''),
  },
  { accessor: 'transDate', title: W.transDate, sortable: true, noWrap: true, optional: true },
  {
    accessor: 'updatedAt',
    title: W.updatedAt,
    optional: true,
    sortable: true,
    noWrap: true,
    render: (a) => formatShortDateTime(a.updatedAt),
  },
];

/** The aggregated transactions: what went (or goes) to SCM as journal lines. */
export function AggregatedGrid(props: {
  onOpen: (aggregatedLineId: string) => void;
  /** Statuses asked for by a link (the header's failure count): they replace the filters. */
  statusParam: string | undefined;
  /** A journal's lines asked for by a link (a line held by another line of its journal). */
  journalParam?: string | undefined;
}) {
  const grid = useGridState<AggregatedLine, AggregatedStatus>('aggregated', {
    columnAccessor: 'createdAt',
    direction: 'desc',
  });
  const { setFilters } = grid;
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new link replaces the filters
  useEffect(() => {
    if (!props.statusParam && !props.journalParam) return;
    const status = (props.statusParam ?? '')
      .split(',')
      .filter((s): s is AggregatedStatus => (AGGREGATED_STATUSES as readonly string[]).includes(s));
    setFilters({ ...emptyFilters<AggregatedStatus>(), status, reference: props.journalParam ?? '' });
  }, [props.statusParam, props.journalParam]);
  const query: RpcInput<'aggregated.list'> = {
    ...baseQuery(grid.filters),
    journalNumber: grid.filters.reference.trim() || undefined,
    orderBy: grid.sort.columnAccessor as SortField,
    direction: grid.sort.direction,
  };
  const list = useRpc('aggregated.list', { ...query, ...grid.paging });
  useLedgerChanged(list.reload);
  const columns = useVisibleColumns('aggregated', COLUMNS);
  return (
    <Stack>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <FilterBar
          statuses={AGGREGATED_STATUSES}
          referenceLabel="Journal number"
          filters={grid.filters}
          onChange={grid.setFilters}
        />
        <Group gap="xs" wrap="nowrap">
          <ColumnsMenu grid="aggregated" columns={COLUMNS} />
          <ExportButton label="Export Excel" run={() => exportXlsx('aggregated', query)} />
          <ExportButton label="Export CSV" run={() => exportCsv('aggregated', query)} />
        </Group>
      </Group>
      <ErrorAlert error={list.error} title="Could not load the aggregated lines" />
      <LedgerTable<AggregatedLine>
        label="Aggregated lines"
        idAccessor="aggregatedLineId"
        columns={columns}
        page={list.data}
        loading={list.loading}
        grid={grid}
        onOpen={(record) => props.onOpen(record.aggregatedLineId)}
        noRecordsText="No aggregated lines match"
      />
    </Stack>
  );
}
