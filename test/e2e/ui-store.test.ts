// The store offline in Debian's chromium at 1024x700: a scan with the item's name from the store's copy of
// SCM's master data, a pasted block of 50 rows with 2 bad ones, a CSV and an XLSX import, and the
// diagnostics bundle. Screenshots for the README and docs/clerk-guide.md.
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goTo, launchBrowser, openPage, rpcCall, type Stack, screenshot, startStack } from './harness';

let stack: Stack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  stack = await startStack();
  await rpcCall(stack.server, 'settings.update', { defaultOrganizationId: 'usmf' });
  browser = await launchBrowser();
  const watched = await openPage(browser.context, stack.server.uiUrl);
  page = watched.page;
  pageErrors = watched.errors;
  await page.setViewportSize({ width: 1024, height: 700 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

// The machine is shared: a poll waits up to 10 s, as the harness's locators do.
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 10_000 });

const notice = (p: Page) => p.getByRole('status').filter({ hasText: /rows added|Posted:/ });

describe('knowing the store offline, in a browser', () => {
  it('loads the item list, then a scan shows the name and records the line; an unknown code is a warning', async () => {
    await goTo(page, 'Scan');
    await page.getByRole('button', { name: 'Refresh item list' }).click();
    await poll(() => page.getByTestId('md-usmf').textContent()).toMatch(/usmf: 14 items, 2 barcodes/);
    await page.getByLabel('Site').fill('1');
    await page.getByLabel('Warehouse').fill('13');
    const code = page.getByLabel('Barcode or item number');
    await code.fill('0123456789012');
    await code.press('Enter');
    const item = page.getByLabel('Scanned item');
    await poll(() => item.textContent()).toContain('Speaker cable 1');
    expect(await item.textContent()).toContain(
      'Barcode 0123456789012: recorded as D0001 (colour red, size S, style women)',
    );
    // Enter moved the focus to the quantity: the scanner's next keys are the count.
    await page.keyboard.type('3');
    await page.keyboard.press('Enter');
    const recorded = page.getByRole('table', { name: 'Recorded scans' });
    // The barcode was recorded as its item and variant, at the site and warehouse typed.
    await poll(() => recorded.locator('tbody tr').first().locator('td').allTextContents()).toEqual([
      '1',
      '0123456789012',
      'D0001 (colour red, size S, style women)Speaker cable 1',
      '1',
      '13',
      '3',
      'Recorded',
    ]);

    await code.fill('X9999');
    await code.press('Enter');
    await poll(() => page.getByRole('status').filter({ hasText: 'X9999' }).textContent()).toMatch(
      /X9999 is neither a barcode nor a released product in usmf as of \d\d:\d\d today\. You can still record it\./,
    );
    await page.keyboard.type('1');
    await page.keyboard.press('Enter');
    await poll(() => recorded.locator('tbody tr').first().textContent()).toMatch(
      /X9999.*X9999 is not a released product in usmf as of \d\d:\d\d today/,
    );
    await screenshot(page, 'scan');
  });

  it('the Create transaction form posts an unknown item and shows the caution in words', async () => {
    await goTo(page, 'Create transaction');
    await page.getByRole('button', { name: 'Post' }).waitFor();
    // Organization, site and warehouse are kept from the last entry (the scans above).
    await page.getByRole('textbox', { name: 'Product' }).fill('Z9999');
    await page.getByRole('textbox', { name: 'Product' }).press('Enter');
    await page.keyboard.type('2');
    await page.keyboard.press('Enter');
    await page.getByTestId('posted-confirmation').getByText('Z9999, quantity 2').waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /^Z9999 is not a released product in usmf as of \d\d:\d\d today$/ })
      .waitFor();
  });

  it('a pasted block of 50 rows with 2 bad ones names each by row and field, and Post batch posts nothing', async () => {
    await goTo(page, 'Drafts and import');
    await page.getByLabel('New draft').fill('Shelf 4');
    await page.getByLabel('New draft').press('Enter');
    const rows = ['Item\tQty\tSite\tWarehouse'];
    for (let i = 1; i <= 50; i++)
      rows.push(
        `D${String((i % 10) + 1).padStart(4, '0')}\t${i + 1 === 4 ? '12a' : i}\t1\t${i + 1 === 31 ? '' : '13'}`,
      );
    await page.getByLabel('Paste rows from a spreadsheet').fill(rows.join('\n'));
    await page.getByRole('button', { name: 'Add pasted rows' }).click();
    await poll(() => notice(page).textContent()).toContain('50 rows added; 2 problems to fix before posting');
    const toFix = page.getByRole('table', { name: 'Rows to fix' });
    // Numbered as the pasted block numbers them (header = row 1), with the block they came from.
    await poll(() => toFix.locator('tbody tr').allTextContents()).toEqual([
      "Row 4pasted block 1quantitymust be a number, not '12a': was that a scan? Scan items into the item field",
      'Row 31pasted block 1dimensions.locationIdis required',
    ]);
    await page.getByRole('button', { name: 'Post batch' }).click();
    await poll(() => page.getByRole('alert').textContent()).toMatch(
      /Nothing was posted: 2 rows of 'Shelf 4' need fixing first/,
    );
    await screenshot(page, 'draft-paste');
  });

  it('imports a CSV and an XLSX file and posts the batch', async () => {
    const before = await rpcCall<{ count: number }>(stack.server, 'lines.list', {});
    await page.getByLabel('New draft').fill('Delivery');
    await page.getByLabel('New draft').press('Enter');
    await poll(() => page.getByText(/^Delivery: 0 rows/).count()).toBe(1);
    const csv = 'productId,quantity,siteId,locationId\nD0001,4,1,13\nD0002,-1,1,11\nT0001,2,2,21\n';
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'delivery.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await poll(() => notice(page).textContent()).toContain('3 rows added.');

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Delivery');
    sheet.addRow(['Item number', 'Quantity', 'Site', 'Warehouse']);
    sheet.addRow(['D0003', 6, '1', '12']);
    sheet.addRow(['D0004', 1, '1', '12']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    await page.locator('input[type=file]').setInputFiles({
      name: 'delivery.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: xlsx,
    });
    await poll(() => notice(page).textContent()).toContain('2 rows added.');
    await poll(() => page.getByRole('table', { name: 'Draft rows' }).locator('tbody tr').count()).toBe(5);
    await screenshot(page, 'draft-import');
    await page.getByRole('button', { name: 'Post batch' }).click();
    await poll(() => notice(page).textContent()).toContain('Posted: 5 lines entered the ledger');
    const after = await rpcCall<{ count: number }>(stack.server, 'lines.list', {});
    expect(after.count - before.count).toBe(5);
  });

  it('a count shows counted beside what IV said, a recount replaces, and Apply posts the right deltas', async () => {
    await goTo(page, 'Count');
    await page.getByLabel('Count reference').fill('CNT-7');
    await page.getByLabel('Site').fill('1');
    await page.getByLabel('Warehouse').fill('13');
    await page.getByRole('button', { name: 'Start count' }).click();
    const count = async (code: string, onShelf: string) => {
      const field = page.getByLabel('Barcode or item number');
      await field.fill(code);
      await field.press('Enter');
      await page.getByLabel('Item being counted', { exact: true }).filter({ hasText: code }).waitFor();
      await page.keyboard.type(onShelf);
      await page.keyboard.press('Enter');
      await poll(() => field.inputValue()).toBe('');
    };
    // D0001 at site 1, warehouse 13 without variant: 100 in SCM's on-hand, +4 from the CSV above.
    await count('D0001', '90');
    await count('T0001', '2');
    // The recount comes pasted from a spreadsheet: a bad block says which row and records nothing.
    const pasteBox = page.getByLabel('Paste counted items');
    await pasteBox.fill('D0001\tninety-five');
    await page.getByRole('button', { name: 'Record pasted counts' }).click();
    await page.getByText("row 1: counted must be a number of 0 or more, not 'ninety-five'").waitFor();
    await pasteBox.fill('Item\tCounted\nD0001\t95');
    await page.getByRole('button', { name: 'Record pasted counts' }).click();
    await poll(() => pasteBox.inputValue()).toBe('');
    const items = page.getByRole('table', { name: 'Counted items' }).locator('tbody tr');
    await poll(() => items.count()).toBe(2);
    // Before Apply: what IV said when each was counted (104 in all with the CSV's +4), as a preview.
    await poll(() => items.nth(0).textContent()).toMatch(
      /^D000195IV \d+ when counted \(\d\d:\d\d today\)(, pending here \+\d+)?; Apply asks IV again-9 expectedRemove D0001$/,
    );
    expect(await items.nth(1).textContent()).toMatch(
      /^T00012IV 0 when counted \(\d\d:\d\d today\); Apply asks IV again\+2 expectedRemove T0001$/,
    );
    await screenshot(page, 'count');
    await page.getByRole('button', { name: 'Apply count' }).click();
    await page.getByRole('status').filter({ hasText: 'Applied: 2 adjustment lines' }).waitFor();
    // Once applied, the table says what Apply compared with: IV answered then.
    expect(await items.nth(0).textContent()).toMatch(
      /^D000195IV \d+ at Apply \(\d\d:\d\d today\).*-9 posted$/,
    );
    const lines = await rpcCall<{
      value: { productId: string; quantity: number; externalReferenceCategory: string }[];
    }>(stack.server, 'lines.list', { externalReferenceId: 'CNT-7' });
    expect(lines.value.map((l) => [l.productId, l.quantity, l.externalReferenceCategory]).sort()).toEqual([
      ['D0001', -9, 'Inventory counting delta'],
      ['T0001', 2, 'Inventory counting delta'],
    ]);
  });

  it('shows on-hand as IV said plus what is pending here', async () => {
    await goTo(page, 'On-hand');
    await page.getByLabel('Item or barcode').fill('D0001');
    await page.getByLabel('Item or barcode').press('Enter');
    const rows = page.getByRole('table', { name: 'On-hand' }).locator('tbody tr');
    // After the count's -9: 95 at site 1, warehouse 13 without variant.
    await poll(async () => (await rows.allTextContents()).find((t) => t.startsWith('113—')) ?? '').toMatch(
      /95$/,
    );
    await screenshot(page, 'onhand');
  });

  it('writes a diagnostics bundle and offers it as a download', async () => {
    await goTo(page, 'Diagnostics');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Create diagnostics bundle' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^store-ledger-diagnostics-.*\.zip$/);
    const files = unzipSync(new Uint8Array(fs.readFileSync((await download.path())!)));
    expect(Object.keys(files)).toContain('integrity-check.json');
    expect(strFromU8(files['settings.json']!)).not.toContain(stack.emulator.credentials.clientSecret);
    await page.getByRole('status').filter({ hasText: 'Diagnostics bundle written' }).waitFor();
    await screenshot(page, 'diagnostics');
    expect(pageErrors).toEqual([]);
  });
});
