import type { DataTableSortStatus } from 'mantine-datatable';
import { useEffect, useState } from 'react';
import { type GridName, PAGE_SIZES as SIZES } from '../../../../shared/preferences';
import { usePreferences } from '../../state/preferences-context';
import { emptyFilters, type GridFilters } from './filters';

export const PAGE_SIZES = [...SIZES];

interface Kept {
  page: number;
  pageSize: number;
  sort: DataTableSortStatus<unknown>;
  filters: GridFilters<string>;
}

/**
 * Each grid's place for the rest of the session: leaving the page and coming back finds
 * the same filters, sort, page and page size, so a clerk who checks a line elsewhere is not
 * sent back to page 1.
 */
const kept = new Map<string, Kept>();

/** Page, page size, sort and filters of one grid; any filter or sort change goes back to page 1. */
export function useGridState<T, S extends string>(grid: GridName, defaultSort: DataTableSortStatus<T>) {
  const { prefs, loaded, update } = usePreferences();
  // What this grid was left with earlier in the session (read once, when it mounts).
  const [start] = useState(() => kept.get(grid));
  const [page, setPage] = useState(start?.page ?? 1);
  // The page size is kept on this PC too (preferences), the rest for the session.
  const [pageSize, setPageSizeRaw] = useState(start?.pageSize ?? prefs.grids[grid].pageSize);
  // The grids are the first page a window shows, often before this PC's preferences have come:
  // their page size applies when they do, unless the clerk picked one meanwhile.
  const stored = prefs.grids[grid].pageSize;
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the preferences' arrival counts
  useEffect(() => {
    if (loaded && !start) setPageSizeRaw(stored);
  }, [loaded]);
  const [sort, setSortRaw] = useState<DataTableSortStatus<T>>(
    (start?.sort as DataTableSortStatus<T> | undefined) ?? defaultSort,
  );
  const [filters, setFiltersRaw] = useState<GridFilters<S>>(
    (start?.filters as GridFilters<S> | undefined) ?? emptyFilters<S>(),
  );
  useEffect(() => {
    kept.set(grid, { page, pageSize, sort: sort as DataTableSortStatus<unknown>, filters });
  }, [grid, page, pageSize, sort, filters]);
  return {
    page,
    setPage,
    pageSize,
    setPageSize: (n: number) => {
      setPageSizeRaw(n);
      setPage(1);
      update({ grids: { [grid]: { pageSize: n } } });
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
