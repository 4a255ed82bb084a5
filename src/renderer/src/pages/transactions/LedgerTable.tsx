import { DataTable, type DataTableColumn } from 'mantine-datatable';
import type { Page } from '../../../../shared/views';
import { PAGE_SIZES, type useGridState } from './grid-state';

/** The look and server-side paging/sorting both transaction grids share. */
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
  return (
    <DataTable<T>
      withTableBorder
      borderRadius="sm"
      fz="sm"
      horizontalSpacing="xs"
      striped
      highlightOnHover
      minHeight={180}
      idAccessor={props.idAccessor}
      columns={props.columns}
      records={props.page?.value ?? []}
      fetching={props.loading && !props.page}
      totalRecords={props.page?.count ?? 0}
      recordsPerPage={grid.pageSize}
      recordsPerPageOptions={PAGE_SIZES}
      onRecordsPerPageChange={grid.setPageSize}
      page={grid.page}
      onPageChange={grid.setPage}
      sortStatus={grid.sort}
      onSortStatusChange={grid.setSort}
      onRowClick={({ record }) => props.onOpen(record)}
      noRecordsText={props.noRecordsText}
      paginationText={({ from, to, totalRecords }) => `${from}–${to} of ${totalRecords.toLocaleString()}`}
      aria-label={props.label}
    />
  );
}
