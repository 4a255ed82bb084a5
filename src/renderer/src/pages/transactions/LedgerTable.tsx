import { DataTable, type DataTableColumn } from 'mantine-datatable';
import { useRef } from 'react';
import type { Page } from '../../../../shared/views';
import { useGridKeys } from './grid-keys';
import { PAGE_SIZES, type useGridState } from './grid-state';

/**
 * The look, server-side paging/sorting and keyboard both transaction grids share: one Tab stop,
 * arrows, Home/End, PageUp/PageDown, Enter opens (grid-keys.ts).
 */
export function LedgerTable<T>(props: {
  label: string;
  idAccessor: keyof T & string;
  columns: DataTableColumn<T>[];
  page: Page<T> | null | undefined;
  loading: boolean;
  grid: Pick<
    ReturnType<typeof useGridState<T, string>>,
    'page' | 'setPage' | 'pageSize' | 'setPageSize' | 'sort' | 'setSort'
  >;
  onOpen: (record: T) => void;
  noRecordsText: string;
}) {
  const { grid } = props;
  const tableRef = useRef<HTMLTableElement>(null);
  const records = props.page?.value ?? [];
  const total = props.page?.count ?? 0;
  useGridKeys({
    tableRef,
    records,
    page: grid.page,
    pageCount: Math.max(1, Math.ceil(total / grid.pageSize)),
    skip: (grid.page - 1) * grid.pageSize,
    totalRecords: total,
    sort: { columnAccessor: String(grid.sort.columnAccessor), direction: grid.sort.direction },
    setPage: grid.setPage,
    onOpen: props.onOpen,
  });
  return (
    <DataTable<T>
      tableRef={(el) => {
        tableRef.current = el;
      }}
      withTableBorder
      borderRadius="sm"
      fz="sm"
      horizontalSpacing="xs"
      striped
      highlightOnHover
      minHeight={180}
      idAccessor={props.idAccessor}
      columns={props.columns}
      records={records}
      fetching={props.loading && !props.page}
      totalRecords={total}
      recordsPerPage={grid.pageSize}
      recordsPerPageOptions={PAGE_SIZES}
      onRecordsPerPageChange={grid.setPageSize}
      page={grid.page}
      onPageChange={grid.setPage}
      sortStatus={grid.sort}
      onSortStatusChange={grid.setSort}
      onRowClick={({ record }) => props.onOpen(record)}
      customRowAttributes={() => ({ 'data-row': true })}
      noRecordsText={props.noRecordsText}
      paginationText={({ from, to, totalRecords }) => `${from}–${to} of ${totalRecords.toLocaleString()}`}
      aria-label={props.label}
    />
  );
}
