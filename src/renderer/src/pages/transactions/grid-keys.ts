/**
 * The transaction grids as one keyboard widget, after the WAI-ARIA grid pattern
 * (https://www.w3.org/WAI/ARIA/apg/patterns/grid/): one Tab stop (roving tabindex on the cells,
 * the column headers included), arrow keys between cells and rows, Home/End to a row's first and
 * last cell, Ctrl+Home/Ctrl+End to the first and last line, PageUp/PageDown to the previous and
 * next page of the server-side paging, Enter (or Space) opening the line, and on a header Enter
 * or Space sorting. Focus moves without the browser's own scrolling: the page scrolls only as far
 * as the cell needs, and the grid sideways only past the pinned Created and Product columns, so
 * the focused line stays identifiable.
 *
 * mantine-datatable renders the table; this works on its DOM (tabindex, roles, row indexes),
 * re-applied after every render, since the library sets its own tabindex on sortable headers.
 */
import { type RefObject, useEffect, useLayoutEffect, useRef } from 'react';

interface Cell {
  row: number;
  col: number;
}

export interface GridKeysOptions<T> {
  tableRef: RefObject<HTMLTableElement | null>;
  records: readonly T[];
  /** 1-based page and how many pages the server has. */
  page: number;
  pageCount: number;
  /** Records before this page, for aria-rowindex. */
  skip: number;
  totalRecords: number;
  /** The column sorted by, for aria-sort on its header. */
  sort: { columnAccessor: string; direction: 'asc' | 'desc' };
  setPage: (page: number) => void;
  onOpen: (record: T) => void;
}

/** The app's fixed header covers the top of the page: a cell is in view below it. */
const HEADER_HEIGHT = 56;
const MARGIN = 8;

/** Rows of cells: the header row first, then the page's rows (not the empty-state row). */
function matrix(table: HTMLTableElement): HTMLTableCellElement[][] {
  const rows: HTMLTableRowElement[] = [];
  const head = table.tHead?.rows[0];
  if (head) rows.push(head);
  for (const body of table.tBodies)
    for (const r of body.rows) if (!r.classList.contains('mantine-datatable-empty-row')) rows.push(r);
  return rows.map((r) => [...r.cells]);
}

function position(table: HTMLTableElement, el: Element | null): Cell | null {
  const cell = el?.closest('td, th');
  if (!cell || !table.contains(cell)) return null;
  const rows = matrix(table);
  for (let row = 0; row < rows.length; row++) {
    const col = rows[row]!.indexOf(cell as HTMLTableCellElement);
    if (col >= 0) return { row, col };
  }
  return null;
}

/** Scrolls as little as the cell needs: the page vertically, the grid past its pinned columns. */
export function revealCell(cell: HTMLElement): void {
  const viewport = cell.closest<HTMLElement>('.mantine-ScrollArea-viewport');
  if (viewport && !cell.hasAttribute('data-pinned')) {
    const box = cell.getBoundingClientRect();
    const port = viewport.getBoundingClientRect();
    const pinned = [...(cell.parentElement?.children ?? [])].filter((c) => c.hasAttribute('data-pinned'));
    const left =
      pinned.length > 0 ? Math.max(...pinned.map((c) => c.getBoundingClientRect().right)) : port.left;
    if (box.left < left) viewport.scrollLeft -= left - box.left;
    else if (box.right > port.right) viewport.scrollLeft += Math.min(box.right - port.right, box.left - left);
  }
  const box = cell.getBoundingClientRect();
  if (box.top < HEADER_HEIGHT + MARGIN) window.scrollBy(0, box.top - HEADER_HEIGHT - MARGIN);
  else if (box.bottom > window.innerHeight - MARGIN)
    window.scrollBy(0, box.bottom - window.innerHeight + MARGIN);
}

export function useGridKeys<T>(opts: GridKeysOptions<T>): void {
  const active = useRef<Cell>({ row: 1, col: 0 });
  /**
   * Whether the focus is in the grid. A new page (PageDown) or a reload that replaces the rows
   * removes the focused cell; the focus then goes back to the same place, not to the page's top.
   */
  const inGrid = useRef(false);
  const focused = useRef<Element | null>(null);
  /** The row PageUp/PageDown aim at: a shorter last page clamps it, the next page gets it back. */
  const pageRow = useRef<number | null>(null);
  const latest = useRef(opts);
  latest.current = opts;

  // After every render: the roles, row indexes and the one tab stop (the library resets none of
  // them, but sets tabindex 0 on sortable headers when it renders them).
  useLayoutEffect(() => {
    const table = opts.tableRef.current;
    if (!table) return;
    const rows = matrix(table);
    table.setAttribute('role', 'grid');
    table.setAttribute('aria-rowcount', String(opts.totalRecords + 1));
    table.setAttribute('aria-colcount', String(rows[0]?.length ?? 0));
    rows.forEach((cells, i) => {
      cells[0]?.parentElement?.setAttribute('aria-rowindex', String(i === 0 ? 1 : opts.skip + i + 1));
      cells[0]?.parentElement?.removeAttribute('tabindex');
      for (const c of cells) c.tabIndex = -1;
    });
    // A header is a column header that sorts, not a button (a row holds cells and headers only).
    for (const th of rows[0] ?? []) {
      th.setAttribute('role', 'columnheader');
      const sorted = th.dataset.accessor === opts.sort.columnAccessor;
      if (sorted) th.setAttribute('aria-sort', opts.sort.direction === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    const row = Math.min(pageRow.current ?? active.current.row, rows.length - 1);
    const cells = rows[row];
    if (!cells || cells.length === 0) return;
    const col = Math.min(active.current.col, cells.length - 1);
    active.current = { row, col };
    cells[col]!.tabIndex = 0;
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (inGrid.current && lost && focused.current !== null && !focused.current.isConnected) {
      const cell = cells[col]!;
      cell.focus({ preventScroll: true });
      // After the library has measured the pinned columns of the new rows.
      requestAnimationFrame(() => revealCell(cell));
    }
  });

  useEffect(() => {
    const table = opts.tableRef.current;
    if (!table) return;
    const focusCell = (target: Cell) => {
      const rows = matrix(table);
      const row = Math.max(0, Math.min(target.row, rows.length - 1));
      const cells = rows[row];
      if (!cells?.length) return;
      const col = Math.max(0, Math.min(target.col, cells.length - 1));
      for (const c of rows[active.current.row] ?? []) c.tabIndex = -1;
      active.current = { row, col };
      const cell = cells[col]!;
      cell.tabIndex = 0;
      cell.focus({ preventScroll: true });
      revealCell(cell);
    };
    const onFocusIn = (e: FocusEvent) => {
      inGrid.current = true;
      focused.current = e.target as Element;
      const at = position(table, e.target as Element);
      if (!at) return;
      const rows = matrix(table);
      for (const c of rows[active.current.row] ?? []) c.tabIndex = -1;
      active.current = at;
      rows[at.row]![at.col]!.tabIndex = 0;
    };
    const onKeyDown = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      // Keys typed into something inside a cell belong to it.
      if (!target.matches('td, th')) return;
      const at = position(table, target);
      if (!at) return;
      const o = latest.current;
      const rows = matrix(table);
      const lastRow = rows.length - 1;
      const lastCol = (rows[at.row]?.length ?? 1) - 1;
      const ctrl = e.ctrlKey || e.metaKey;
      let to: Cell | null = null;
      if (e.key !== 'PageDown' && e.key !== 'PageUp') pageRow.current = null;
      switch (e.key) {
        case 'ArrowDown':
          to = { row: Math.min(at.row + 1, lastRow), col: at.col };
          break;
        case 'ArrowUp':
          to = { row: Math.max(at.row - 1, 0), col: at.col };
          break;
        case 'ArrowRight':
          to = { row: at.row, col: Math.min(at.col + 1, lastCol) };
          break;
        case 'ArrowLeft':
          to = { row: at.row, col: Math.max(at.col - 1, 0) };
          break;
        case 'Home':
          to = ctrl ? { row: Math.min(1, lastRow), col: 0 } : { row: at.row, col: 0 };
          break;
        case 'End':
          to = ctrl ? { row: lastRow, col: lastCol } : { row: at.row, col: lastCol };
          break;
        case 'PageDown':
        case 'PageUp': {
          const next = o.page + (e.key === 'PageDown' ? 1 : -1);
          if (next >= 1 && next <= o.pageCount) {
            // The same place on the next page, once it has loaded (the render puts the focus there).
            pageRow.current = Math.max(pageRow.current ?? at.row, 1);
            active.current = { row: pageRow.current, col: at.col };
            o.setPage(next);
          } else to = { row: e.key === 'PageDown' ? lastRow : Math.min(1, lastRow), col: at.col };
          break;
        }
        case 'Enter':
        case ' ':
          if (at.row === 0) {
            // A sortable header sorts (the library sorts on Enter itself).
            if (e.key === ' ') target.click();
            else return;
          } else {
            const record = o.records[at.row - 1];
            if (record !== undefined) o.onOpen(record);
          }
          break;
        default:
          return;
      }
      e.preventDefault();
      if (to) focusCell(to);
    };
    // Leaving for another element (a drawer, the pager) ends it; a cell removed with the focus
    // in it (a new page, a reload) does not: the next render puts the focus back.
    const onFocusOut = (e: FocusEvent) => {
      const to = e.relatedTarget as Node | null;
      if (to !== null && !table.contains(to)) inGrid.current = false;
    };
    table.addEventListener('focusin', onFocusIn);
    table.addEventListener('focusout', onFocusOut);
    table.addEventListener('keydown', onKeyDown);
    return () => {
      table.removeEventListener('focusin', onFocusIn);
      table.removeEventListener('focusout', onFocusOut);
      table.removeEventListener('keydown', onKeyDown);
    };
  }, [opts.tableRef]);
}
