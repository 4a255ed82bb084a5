import type { DataTableSortStatus } from 'mantine-datatable';
import { useState } from 'react';
import { emptyFilters, type GridFilters } from './filters';

export const PAGE_SIZES = [25, 50, 100];

/** Page, page size, sort and filters of one grid; any filter or sort change goes back to page 1. */
export function useGridState<T, S extends string>(defaultSort: DataTableSortStatus<T>) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSizeRaw] = useState(50);
  const [sort, setSortRaw] = useState<DataTableSortStatus<T>>(defaultSort);
  const [filters, setFiltersRaw] = useState<GridFilters<S>>(emptyFilters<S>());
  return {
    page,
    setPage,
    pageSize,
    setPageSize: (n: number) => {
      setPageSizeRaw(n);
      setPage(1);
    },
    sort,
    setSort: (s: DataTableSortStatus<T>) => {
      setSortRaw(s);
      setPage(1);
    },
    filters,
    setFilters: (f: GridFilters<S>) => {
      setFiltersRaw(f);
      setPage(1);
    },
    paging: { top: pageSize, skip: (page - 1) * pageSize },
  };
}
