import { DataTable, type DataTableColumn } from 'mantine-datatable';
import type { KeyboardEvent } from 'react';
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
      // Rows are reached with Tab and open with Enter, as they do with a click.
      customRowAttributes={(record) => ({
        tabIndex: 0,
        'data-row': true,
        onKeyDown: (e: KeyboardEvent<HTMLTableRowElement>) => {
          if (e.target !== e.currentTarget || (e.key !== 'Enter' && e.key !== ' ')) return;
          e.preventDefault();
          props.onOpen(record);
        },
      })}
      noRecordsText={props.noRecordsText}
      paginationText={({ from, to, totalRecords }) => `${from}–${to} of ${totalRecords.toLocaleString()}`}
      aria-label={props.label}
    />
  );
}
