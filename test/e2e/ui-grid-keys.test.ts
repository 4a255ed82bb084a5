// The transaction grids driven from the keyboard alone, as a store clerk does, at 1024x700 and
// 1280x800, light and dark: one Tab stop into a grid, arrows between rows and cells, Home/End,
// PageUp/PageDown through the server's pages, Enter opens and Escape comes back to the cell, and
// the focused line stays identifiable: its Created and Product cells are always in the window.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apiPost,
  browserSession,
  emulateColorScheme,
  goTo,
  itLoggedNoConsoleError,
  line,
  rpcCall,
  until,
} from './harness';

let page: Page;

const PRODUCTS = Array.from({ length: 10 }, (_, i) => `D${String(i + 1).padStart(4, '0')}`);
const WAREHOUSES = ['11', '12', '13'];

const session = browserSession(async (stack) => {
  // 60 detailed lines, 30 aggregated (10 items × 3 warehouses): more than a page of 25 in each grid.
  await apiPost(
    stack,
    Array.from({ length: 60 }, (_, i) =>
      line(`keys-${i}`, PRODUCTS[i % 10]!, 1 + (i % 4), {
        externalReferenceId: `KEYS-${i}`,
        dimensions: { siteId: '1', locationId: WAREHOUSES[Math.floor(i / 10) % 3]! },
      }),
    ),
  );
  await until(
    async () => {
      await rpcCall(stack.server, 'sync.run', { job: 'all' });
      const s = await rpcCall<{ lineCounts: Record<string, number> }>(stack.server, 'sync.status');
      return s.lineCounts.Aggregated === 60;
    },
    45_000,
    'lines aggregated',
  );
  await rpcCall(stack.server, 'preferences.update', {
    grids: { detailed: { pageSize: 25 }, aggregated: { pageSize: 25 } },
  });
});
beforeAll(() => {
  ({ page } = session);
});

interface Focus {
  tag: string;
  row: number;
  col: number;
  text: string;
  /** The focused row's Created and Product cells lie inside the window (below the app header). */
  identifiable: boolean;
  inGrid: boolean;
}

/** The little of the DOM this file reads (it has no DOM types). */
interface Node {
  tagName: string;
  textContent: string | null;
  parentElement: Node | null;
  cells: Node[];
  closest(selector: string): Node | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { left: number; right: number; top: number; bottom: number };
  contains(other: Node | null): boolean;
  ownerDocument: { activeElement: Node | null; defaultView: { innerWidth: number; innerHeight: number } };
}

const focus = (grid: Locator): Promise<Focus> =>
  grid.evaluate((t) => {
    const table = t as unknown as Node;
    const view = table.ownerDocument.defaultView;
    const el = table.ownerDocument.activeElement;
    const cell = el?.closest('td, th') ?? null;
    const row = cell?.parentElement ?? null;
    const inside = (c: Node | undefined) => {
      if (!c) return false;
      const r = c.getBoundingClientRect();
      return r.left >= 0 && r.right <= view.innerWidth && r.top >= 56 && r.bottom <= view.innerHeight;
    };
    const cells = row ? [...row.cells] : [];
    return {
      tag: el?.tagName ?? '',
      row: Number(row?.getAttribute('aria-rowindex') ?? -1),
      col: cell ? cells.indexOf(cell) : -1,
      text: cell?.textContent ?? '',
      identifiable: inside(cells[0]) && inside(cells[1]),
      inGrid: !!el && table.contains(el),
    };
  });

/** Tab from the grid's tab until the focus is in the grid; answers the presses it took. */
async function tabInto(grid: Locator, tabName: string): Promise<number> {
  await page.getByRole('tab', { name: tabName }).focus();
  for (let presses = 1; presses <= 40; presses++) {
    await page.keyboard.press('Tab');
    if ((await focus(grid)).inGrid) return presses;
  }
  throw new Error('Tab never reached the grid');
}

async function press(key: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
}

/** One clerk's walk through a grid, asserting after every key that the line is identifiable. */
async function walk(grid: Locator, tabName: string, drawerName: string): Promise<void> {
  await grid.locator('tbody tr').nth(24).waitFor();
  // One Tab stop: the grid's cells and headers are reached with the arrows, not with Tab.
  const presses = await tabInto(grid, tabName);
  expect(presses).toBeLessThanOrEqual(12);
  expect(await grid.locator('[tabindex="0"]').count()).toBe(1);
  expect(await grid.getAttribute('role')).toBe('grid');
  expect(await focus(grid)).toMatchObject({
    tag: 'TH',
    row: 1,
    col: 0,
    text: expect.stringContaining('Created'),
  });

  // Down the page, a row at a time.
  for (let row = 2; row <= 26; row++) {
    await press('ArrowDown');
    expect(await focus(grid)).toMatchObject({ tag: 'TD', row, col: 0, identifiable: true });
  }
  await press('ArrowDown');
  expect((await focus(grid)).row).toBe(26);
  // Across a row to its last cell: the grid scrolls sideways, Created and Product stay in view.
  const columns = await grid.locator('thead th').count();
  for (let col = 1; col < columns; col++) {
    await press('ArrowRight');
    expect(await focus(grid)).toMatchObject({ col, identifiable: true });
  }
  await press('Home');
  expect(await focus(grid)).toMatchObject({ col: 0, identifiable: true });
  await press('End');
  expect(await focus(grid)).toMatchObject({ col: columns - 1, identifiable: true });
  await press('Control+Home');
  expect(await focus(grid)).toMatchObject({ row: 2, col: 0, identifiable: true });
  await press('Control+End');
  expect(await focus(grid)).toMatchObject({ row: 26, col: columns - 1, identifiable: true });

  // PageDown: the next page of the server's paging, the focus on the same place in it.
  await press('PageDown');
  await expect.poll(async () => (await focus(grid)).row).toBeGreaterThan(26);
  expect(await focus(grid)).toMatchObject({ tag: 'TD', identifiable: true });
  await press('PageUp');
  await expect.poll(async () => (await focus(grid)).row).toBe(26);
  await press('ArrowUp', 3);
  await press('Home');
  const at = await focus(grid);
  expect(at).toMatchObject({ row: 23, col: 0, identifiable: true });

  // Enter opens the line; Escape closes it and the focus is back on the same cell.
  await press('Enter');
  const drawer = page.getByRole('dialog', { name: drawerName });
  await drawer.waitFor();
  await press('Escape');
  await drawer.waitFor({ state: 'hidden' });
  await expect.poll(async () => focus(grid)).toMatchObject({ row: at.row, col: 0, text: at.text });

  // Up to the column headers: Enter sorts (oldest first now), and the grid stays one Tab stop.
  const firstRow = () => grid.locator('tbody tr').first().textContent();
  const newest = await firstRow();
  await press('Control+Home');
  await press('ArrowUp');
  expect(await focus(grid)).toMatchObject({ tag: 'TH', row: 1, col: 0 });
  expect(await grid.locator('thead th').first().getAttribute('aria-sort')).toBe('descending');
  await press('Enter');
  await expect.poll(firstRow).not.toBe(newest);
  expect(await grid.locator('thead th').first().getAttribute('aria-sort')).toBe('ascending');
  await press('Enter');
  await expect.poll(firstRow).toBe(newest);
  await press('Tab');
  expect((await focus(grid)).inGrid).toBe(false);
  await press('Shift+Tab');
  expect(await focus(grid)).toMatchObject({ tag: 'TH', row: 1, col: 0 });
}

describe('the transaction grids, from the keyboard', () => {
  it('detailed lines at 1024x700, light', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await emulateColorScheme(page, 'light');
    await goTo(page, 'Inventory transactions');
    const grid = page
      .getByRole('tabpanel', { name: 'Detailed' })
      .getByRole('grid', { name: 'Detailed lines' });
    await walk(grid, 'Detailed', 'Detailed line');
  }, 90_000);

  it('aggregated lines at 1024x700, dark', async () => {
    await emulateColorScheme(page, 'dark');
    await page.getByRole('tab', { name: 'Aggregated' }).focus();
    await press('Enter');
    const grid = page
      .getByRole('tabpanel', { name: 'Aggregated' })
      .getByRole('grid', { name: 'Aggregated lines' });
    await walk(grid, 'Aggregated', 'Aggregated line');
  }, 90_000);

  it('both at 1280x800, dark and light', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await walk(
      page.getByRole('tabpanel', { name: 'Aggregated' }).getByRole('grid', { name: 'Aggregated lines' }),
      'Aggregated',
      'Aggregated line',
    );
    await emulateColorScheme(page, 'light');
    await page.getByRole('tab', { name: 'Detailed' }).focus();
    await press('Enter');
    await walk(
      page.getByRole('tabpanel', { name: 'Detailed' }).getByRole('grid', { name: 'Detailed lines' }),
      'Detailed',
      'Detailed line',
    );
  }, 120_000);

  itLoggedNoConsoleError(session);
});
