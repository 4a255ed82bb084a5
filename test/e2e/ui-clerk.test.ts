// The clerk's day: scanner and keyboard on the entry form, in Chromium against
// `npm run serve` and the upstream emulator. Each defect a clerk met there has its test here.
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apiPost,
  browserSession,
  focusedLabel,
  goTo,
  itLoggedNoConsoleError,
  line,
  rpcCall,
  type Stack,
  screenshot,
  until,
} from './harness';

let stack: Stack;
let page: Page;

const quantity = () => page.getByRole('textbox', { name: 'Quantity' });
const product = () => page.getByRole('textbox', { name: 'Product' });
const linesOf = async (productId: string) =>
  (
    await rpcCall<{ value: { quantity: number }[] }>(stack.server, 'lines.list', { productId, top: 10 })
  ).value.map((l) => l.quantity);

const session = browserSession();
beforeAll(async () => {
  ({ stack, page } = session);
  await goTo(page, 'Create transaction');
  await page.locator('input').and(page.getByLabel('Organization')).fill('usmf');
  await page.getByRole('textbox', { name: 'Site' }).fill('1');
  await page.getByRole('textbox', { name: 'Warehouse' }).fill('13');
  await product().focus();
});

describe("the clerk's entry form", () => {
  it('refuses a scan that lands in Quantity with words, and clears a typed quantity after Post', async () => {
    await page.keyboard.type('D0003');
    await page.keyboard.press('Enter');
    expect(await focusedLabel(page)).toBe('Quantity');
    // The next item's scan lands in Quantity: it is not a quantity of 9.
    await page.keyboard.type('D0009');
    await page.keyboard.press('Enter');
    await page.getByText("must be a number, not 'D0009': was that a scan?").waitFor();
    expect(await quantity().inputValue()).toBe('D0009');
    expect(await linesOf('D0003')).toEqual([]);

    await quantity().fill('');
    await page.keyboard.type('007');
    await page.keyboard.press('Enter');
    await page.getByTestId('posted-confirmation').getByText('D0003, quantity 7').waitFor();
    expect(await quantity().inputValue()).toBe('');
    // Scan + Enter for the next item goes to Quantity, not straight to a post of 7 again.
    await page.keyboard.type('D0005');
    await page.keyboard.press('Enter');
    expect(await focusedLabel(page)).toBe('Quantity');
    expect(await linesOf('D0005')).toEqual([]);
    await page.keyboard.type('1');
    await page.keyboard.press('Enter');
    await page.getByTestId('posted-confirmation').getByText('D0005, quantity 1').waitFor();
    expect(await linesOf('D0003')).toEqual([7]);
  });

  it('keeps what the scanner types while a post is in flight for the next line', async () => {
    // A slow answer, as from a busy ledger: every keystroke arrives before it.
    await page.route('**/rpc/lines.create', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 600));
      await route.continue();
    });
    try {
      await page.keyboard.type('D0006');
      await page.keyboard.press('Enter');
      await page.keyboard.type('2');
      await page.keyboard.press('Enter');
      await page.keyboard.type('D0004');
      await page.keyboard.press('Enter');
      await page.keyboard.type('3');
      await page.keyboard.press('Enter');
      await page.getByTestId('posted-confirmation').getByText('D0004, quantity 3').waitFor();
    } finally {
      await page.unroute('**/rpc/lines.create');
    }
    expect(await linesOf('D0006')).toEqual([2]);
    expect(await linesOf('D0004')).toEqual([3]);
    expect(await product().inputValue()).toBe('');
    expect(await focusedLabel(page)).toBe('Product');
  });

  it("asks before a large quantity at the store's threshold, and Escape goes back to Quantity", async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.keyboard.type('D0007');
    await page.keyboard.press('Enter');
    await page.keyboard.type('500');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Post a large quantity?' });
    await dialog.getByText('quantity 500').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // Focus comes back as the dialog finishes closing: on a busy PC a moment after it is hidden.
    await expect.poll(() => focusedLabel(page)).toBe('Quantity');
    expect(await linesOf('D0007')).toEqual([]);
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('posted-confirmation').getByText('D0007, quantity 500').waitFor();
    expect(await linesOf('D0007')).toEqual([500]);
    // At 1024x700 the confirmation is in view, and so is the field the next scan goes to.
    expect(await page.getByTestId('posted-confirmation').isVisible()).toBe(true);
    const inView = (selector: string) =>
      page.evaluate<boolean>(
        `(() => { const r = document.querySelector('${selector}').getBoundingClientRect(); return r.top >= 56 && r.bottom <= window.innerHeight; })()`,
      );
    expect(await inView('[data-testid=posted-confirmation]')).toBe(true);
    expect(await focusedLabel(page)).toBe('Product');
    await screenshot(page, 'create-transaction-1024', { fullPage: false });

    // The threshold is the store's (Settings → Entry), and the pipeline decides. The store lowered
    // it after this page read it: the pipeline asks, the line comes back to the form with its
    // question, and the safe answer has the focus, as the clerk may already be scanning on.
    await rpcCall(stack.server, 'settings.update', { entry: { largeQuantityThreshold: 50 } });
    try {
      await page.keyboard.type('D0009');
      await page.keyboard.press('Enter');
      await page.keyboard.type('60');
      await page.keyboard.press('Enter');
      await dialog
        .getByText("D0009: 60 is at or beyond the store's large-quantity threshold of 50", { exact: false })
        .waitFor();
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(() => focusedLabel(page)).toBe('Quantity');
      expect(await quantity().inputValue()).toBe('60');
      expect(await linesOf('D0009')).toEqual([]);
      // The page read the store's threshold again: it asks before sending now, and a yes posts once.
      await page.keyboard.press('Enter');
      await dialog.getByText("that is 50 or more, the store's limit", { exact: false }).waitFor();
      await page.keyboard.press('Enter');
      await page.getByTestId('posted-confirmation').getByText('D0009, quantity 60').waitFor();
      expect(await linesOf('D0009')).toEqual([60]);
    } finally {
      await rpcCall(stack.server, 'settings.update', { entry: { largeQuantityThreshold: 100 } });
    }
  });

  it('asks before an issue bigger than the last known on-hand, and posts a smaller one at once', async () => {
    // D0006 has 2 (the scanner test's line); the On-hand page asked IV once, so it is known.
    await rpcCall(stack.server, 'onhand.get', {
      organizationId: 'usmf',
      productId: 'D0006',
      siteId: '1',
      locationId: '13',
      live: true,
    });
    await page.keyboard.type('D0006');
    await page.keyboard.press('Enter');
    await page.keyboard.type('-5');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Issue more than the store has?' });
    await dialog
      .getByTestId('onhand-caution')
      .getByText('the last known on-hand is 2', { exact: false })
      .waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // Focus comes back as the dialog finishes closing: on a busy PC a moment after it is hidden.
    await expect.poll(() => focusedLabel(page)).toBe('Quantity');
    expect(await linesOf('D0006')).toEqual([2]);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('-1');
    await page.keyboard.press('Enter');
    await page.getByTestId('posted-confirmation').getByText('D0006, quantity -1').waitFor();
    expect(await linesOf('D0006')).toEqual([2, -1]);
  });

  it("shows the item's name beside the number from the store's copy, and a caution for a code it does not know", async () => {
    await rpcCall(stack.server, 'masterData.refresh', {});
    await product().fill('M0001');
    await page.getByTestId('item-hint').getByText('Mid-range speaker').waitFor();
    await product().fill('X9999');
    await page
      .getByTestId('item-hint')
      .getByText('X9999 is neither a barcode nor a released product in usmf', { exact: false })
      .waitFor();
    await product().fill('');
    await product().focus();
  });

  it('shows what it keeps for the next line beside Post, clears it with Escape, and remembers the last values', async () => {
    await page.getByRole('textbox', { name: 'External reference ID' }).fill('SHELF-4');
    await product().focus();
    const kept = page.getByTestId('kept-values');
    await kept.getByText('Site 1 · Warehouse 13 · Reference SHELF-4', { exact: false }).waitFor();
    await page.keyboard.type('D0008');
    await page.keyboard.press('Enter');
    await page.keyboard.type('2');
    await page.keyboard.press('Enter');
    await page.getByTestId('posted-confirmation').getByText('D0008, quantity 2').waitFor();
    expect(await kept.textContent()).toContain('Reference SHELF-4');

    // A new window of the same PC opens with the last values (preferences, not the ledger).
    await page.reload();
    await goTo(page, 'Create transaction');
    await expect
      .poll(() => page.getByRole('textbox', { name: 'External reference ID' }).inputValue())
      .toBe('SHELF-4');
    await product().focus();
    await page.keyboard.press('Escape');
    await kept.waitFor({ state: 'detached' });
    expect(await page.getByRole('textbox', { name: 'Site' }).inputValue()).toBe('');
    expect(await page.getByRole('textbox', { name: 'External reference ID' }).inputValue()).toBe('');
    expect(await focusedLabel(page)).toBe('Product');
  });

  it('opens grid rows with Enter, offers columns at 1024 px, and keeps filters and page size', async () => {
    await goTo(page, 'Inventory transactions');
    const grid = page.getByRole('grid', { name: 'Detailed lines' });
    await grid.getByRole('gridcell', { name: 'D0008' }).waitFor();
    // The narrow window starts without the optional columns; the Columns menu brings one back.
    const headers = () => grid.locator('thead').textContent();
    expect(await headers()).not.toContain('Other dimensions');
    expect(await headers()).not.toContain('Trans date');
    const fits = () => page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
    expect(await fits()).toBe(true);
    // What, where and how many are in view at 1024 px without scrolling the grid sideways.
    const rightEdge = (title: string) =>
      grid
        .locator('thead th')
        .filter({ hasText: new RegExp(`^${title}`) })
        .evaluate((e) => e.getBoundingClientRect().right);
    for (const title of ['Created', 'Product', 'Site', 'Warehouse', 'Quantity'])
      expect(await rightEdge(title), title).toBeLessThanOrEqual(1024);
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('menu').getByText('Trans date').click();
    await page.keyboard.press('Escape');
    await expect.poll(headers).toContain('Trans date');
    await screenshot(page, 'transactions-1024', { fullPage: false });

    // Keyboard: the grid is one Tab stop (its cells take the arrow keys: ui-grid-keys.test.ts),
    // Enter opens a line.
    await grid.locator('tbody td').first().focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate<string | undefined>('document.activeElement?.tagName')).toBe('TD');
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog', { name: 'Detailed line' });
    await drawer.waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    const panel = page.getByRole('tabpanel', { name: 'Detailed' });
    await panel.getByRole('textbox', { name: 'Product' }).fill('D0008');
    await expect.poll(() => grid.locator('tbody tr').count()).toBe(1);
    await page
      .getByRole('textbox', { name: /records per page|Records per page/ })
      .or(page.getByRole('button', { name: '50' }))
      .first()
      .click();
    await page
      .getByRole('option', { name: '25' })
      .or(page.getByRole('menuitem', { name: '25' }))
      .first()
      .click();
    await goTo(page, 'Sync status');
    await goTo(page, 'Inventory transactions');
    expect(await panel.getByRole('textbox', { name: 'Product' }).inputValue()).toBe('D0008');
    await expect.poll(() => grid.locator('tbody tr').count()).toBe(1);
    const prefs = await rpcCall<{ grids: { detailed: { pageSize: number; hiddenColumns: string[] } } }>(
      stack.server,
      'preferences.get',
    );
    expect(prefs.grids.detailed.pageSize).toBe(25);
    expect(prefs.grids.detailed.hiddenColumns).not.toContain('transDate');
  });

  it('exports an Excel workbook for people: words, typed cells, a column per dimension and the SCM outcome', async () => {
    await apiPost(stack, [
      line('xlsx-1', 'D0010', 4, {
        externalReferenceId: '=1+2',
        dimensions: { siteId: '1', locationId: '13', colorId: 'red' },
      }),
    ]);
    const panel = page.getByRole('tabpanel', { name: 'Detailed' });
    await panel.getByRole('button', { name: 'Clear filters' }).click();
    await panel.getByRole('textbox', { name: 'Product' }).fill('D0010');
    // The one row shown must be the filtered line: an empty or loading grid also has one row,
    // and exporting before the filter applies would export every line.
    await expect
      .poll(() => page.getByRole('grid', { name: 'Detailed lines' }).locator('tbody tr').allInnerTexts())
      .toEqual([expect.stringContaining('D0010')]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Export Excel' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('adjustment-lines.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const sheet = workbook.worksheets[0]!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    // For people: the grid's words, a column per dimension, the SCM outcome in words.
    expect(headers).toEqual(
      expect.arrayContaining([
        'Product',
        'Item name',
        'Site',
        'Warehouse',
        'Colour (colorId)',
        'In SCM',
        'SCM journal',
      ]),
    );
    expect(headers).not.toContain('dimensions');
    expect(headers).not.toContain('productId');
    const row = sheet.getRow(2);
    const cell = (name: string) => row.getCell(headers.indexOf(name) + 1);
    expect(cell('Product').value).toBe('D0010');
    expect(cell('Quantity').value).toBe(4);
    expect(cell('Colour (colorId)').value).toBe('red');
    expect(cell('Status').value).toMatch(/^Recorded in the ledger|^Inventory Visibility has|^Summed into/);
    // Text stays text: no formula, and no apostrophe added to keep it from becoming one.
    expect(cell('External reference').value).toBe('=1+2');
    expect(cell('External reference').formula).toBeUndefined();
    // Local wall-clock time, as the clerk's PC shows it.
    const created = cell('Created').value as Date;
    expect(created).toBeInstanceOf(Date);
    const line10 = (
      await rpcCall<{ value: { createdAt: string }[] }>(stack.server, 'lines.list', { productId: 'D0010' })
    ).value[0]!;
    const local = new Date(line10.createdAt);
    expect(created.getTime()).toBe(local.getTime() - local.getTimezoneOffset() * 60_000);
    expect(cell('Trans date').value).toBeInstanceOf(Date);
  });

  it('switches the theme in the app and keeps it on this PC', async () => {
    await page.getByTestId('theme').click();
    await page.getByRole('menuitem', { name: 'Dark' }).click();
    await expect.poll(() => page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    await page.reload();
    await page.getByRole('heading', { name: 'Store Ledger' }).waitFor();
    await expect.poll(() => page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    expect((await rpcCall<{ theme: string }>(stack.server, 'preferences.get')).theme).toBe('dark');
    await page.getByTestId('theme').click();
    await page.getByRole('menuitem', { name: 'Follow the system' }).click();
    await expect.poll(() => page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('light');
  });

  it('voids a line that never left, with a reason; corrects one that did, by a linked reversing line', async () => {
    // Periodic IV sync off for the moment, so the line to void stays Created until the clerk acts.
    await rpcCall(stack.server, 'settings.update', { transactions: { periodicSyncToIV: false } });
    await apiPost(stack, [line('void-me', 'D0011', 9), line('fix-me', 'D0012', 6)]);
    await goTo(page, 'Inventory transactions');
    await page.getByRole('tab', { name: 'Detailed' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Detailed' });
    const grid = panel.getByRole('grid', { name: 'Detailed lines' });
    await panel.getByRole('button', { name: 'Clear filters' }).click();
    await panel.getByRole('textbox', { name: 'Product' }).fill('D0011');
    await grid.getByRole('gridcell', { name: 'D0011' }).waitFor();
    await expect.poll(() => grid.locator('tbody tr').count()).toBe(1);
    await grid.locator('tbody td').first().focus();
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog', { name: 'Detailed line' });
    await drawer.getByRole('button', { name: 'Void…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Void this line' });
    await dialog.waitFor();
    await page.keyboard.type('Scanned twice');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await drawer.getByTestId('line-actions').getByText('Scanned twice').waitFor();
    await drawer.getByText('Voided before it left the ledger: kept for audit, never sent').waitFor();
    await page.keyboard.press('Escape');

    await rpcCall(stack.server, 'settings.update', { transactions: { periodicSyncToIV: true } });
    await until(
      async () => {
        await rpcCall(stack.server, 'sync.run', { job: 'iv' });
        const lines = await rpcCall<{ value: { status: string }[] }>(stack.server, 'lines.list', {
          productId: 'D0012',
        });
        return lines.value[0]?.status === 'IVPosted';
      },
      20_000,
      'D0012 in IV',
    );
    const voided = await rpcCall<{ value: { status: string }[] }>(stack.server, 'lines.list', {
      productId: 'D0011',
    });
    expect(voided.value.map((l) => l.status)).toEqual(['Voided']);

    await panel.getByRole('textbox', { name: 'Product' }).fill('D0012');
    await grid.getByRole('gridcell', { name: 'D0012' }).click();
    await drawer.getByRole('button', { name: 'Correct…' }).click();
    await page.getByRole('dialog', { name: 'Correct this line' }).getByText('quantity -6').waitFor();
    await page.keyboard.press('Enter');
    await drawer.getByText('D0012 · -6').waitFor();
    await drawer.getByRole('link', { name: 'the line it reverses' }).waitFor();
    const both = await rpcCall<{
      value: { quantity: number; corrects?: string | null; correctedBy?: string | null }[];
    }>(stack.server, 'lines.list', { productId: 'D0012' });
    expect(both.value.map((l) => l.quantity).sort()).toEqual([-6, 6]);
    await page.keyboard.press('Escape');
  });

  it('turns the IV indicator amber when a call fails, though IV answered, and green again after', async () => {
    const iv = page.getByTestId('upstream-iv');
    await expect.poll(() => iv.getAttribute('data-state')).toBe('online');
    stack.emulator.admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['500'] });
    try {
      await apiPost(stack, [line('amber-1', 'D0013', 1)]);
      await rpcCall(stack.server, 'sync.run', { job: 'iv' });
      await expect.poll(() => iv.getAttribute('data-state')).toBe('troubled');
      expect(await iv.textContent()).toBe('IV online, last call failed');
    } finally {
      stack.emulator.admin.clearFaults();
    }
    await until(
      async () => {
        await rpcCall(stack.server, 'sync.run', { job: 'iv' });
        return (await iv.getAttribute('data-state')) === 'online';
      },
      20_000,
      'IV green again',
    );
  });

  itLoggedNoConsoleError(session);
});
