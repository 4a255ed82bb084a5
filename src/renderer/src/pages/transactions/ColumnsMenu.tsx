import { Button, Checkbox, Menu } from '@mantine/core';
import { useViewportSize } from '@mantine/hooks';
import { IconColumns } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import type { GridName } from '../../../../shared/preferences';
import { usePreferences } from '../../state/preferences-context';

/** Below this width the optional columns start hidden, until the clerk picks for themself. */
const NARROW = 1280;

/** A grid column; `optional` ones are left out on a narrow window unless picked. */
export type GridColumn<T> = DataTableColumn<T> & { optional?: boolean };

/** The columns shown: the clerk's pick for this grid on this PC, or the width's default. */
export function useVisibleColumns<T>(grid: GridName, columns: GridColumn<T>[]): GridColumn<T>[] {
  const { prefs } = usePreferences();
  const { width } = useViewportSize();
  const hidden = hiddenColumns(prefs.grids[grid].hiddenColumns, columns, width || window.innerWidth);
  return columns.filter((c) => !hidden.includes(String(c.accessor)));
}

function hiddenColumns<T>(picked: string[] | null, columns: GridColumn<T>[], width: number): string[] {
  if (picked) return picked;
  return width < NARROW ? columns.filter((c) => c.optional).map((c) => String(c.accessor)) : [];
}

/** "Columns": which columns the grid shows, kept on this PC. */
export function ColumnsMenu<T>({ grid, columns }: { grid: GridName; columns: GridColumn<T>[] }) {
  const { prefs, update } = usePreferences();
  const { width } = useViewportSize();
  const hidden = hiddenColumns(prefs.grids[grid].hiddenColumns, columns, width || window.innerWidth);
  const toggle = (accessor: string) => {
    const next = hidden.includes(accessor) ? hidden.filter((h) => h !== accessor) : [...hidden, accessor];
    update({ grids: { [grid]: { hiddenColumns: next } } });
  };
  return (
    <Menu closeOnItemClick={false} position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" leftSection={<IconColumns size={16} />}>
          Columns
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Show columns</Menu.Label>
        {columns
          .filter((c) => c.title)
          .map((c) => {
            const accessor = String(c.accessor);
            return (
              <Menu.Item
                key={accessor}
                onClick={() => toggle(accessor)}
                leftSection={
                  <Checkbox
                    checked={!hidden.includes(accessor)}
                    readOnly
                    tabIndex={-1}
                    size="xs"
                    aria-hidden
                  />
                }
                role="menuitemcheckbox"
                aria-checked={!hidden.includes(accessor)}
              >
                {String(c.title)}
              </Menu.Item>
            );
          })}
      </Menu.Dropdown>
    </Menu>
  );
}
