// Drafts in Debian's chromium at 1024x700, with the keyboard where a clerk uses it: the same
// delivery file imported into two drafts enters the ledger once, and a draft's bad rows
// are repaired where they are, edited and deleted, before the batch posts.
import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryCsv } from '../helpers/big-files';
import {
  emulateColorScheme,
  goTo,
  launchBrowser,
  openPage,
  rpcCall,
  type Stack,
  screenshot,
  startStack,
  tempDir,
} from './harness';

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
const notice = () =>
  page.getByRole('status').filter({ hasText: /rows added|Posted:|Nothing was posted|deleted|saved|removed/ });

async function violations(): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await emulateColorScheme(page, scheme);
    const result = await new AxeBuilder({ page: page as never })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    for (const v of result.violations)
      for (const n of v.nodes) found.push(`${scheme} ${v.id}: ${n.target.join(' ')}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

type Lines = { count: number; value: { id: string; productId: string; quantity: number }[] };
const lines = () => rpcCall<Lines>(stack.server, 'lines.list', { top: 1000 });

/** A new draft, named and created from the keyboard. */
async function newDraft(name: string) {
  const field = page.getByLabel('New draft');
  await field.fill(name);
  await field.press('Enter');
  await poll(() => page.getByText(new RegExp(`^${name}: 0 rows`)).count()).toBe(1);
}

/** A button reached and pressed from the keyboard. */
async function press(name: string | RegExp) {
  await page.getByRole('button', { name }).focus();
  await page.keyboard.press('Enter');
}

const DELIVERY = 'Item,Qty,Site,Warehouse\nD0001,4,1,13\nD0002,-1,1,11\nT0001,2,2,21\n';
const deliveryFile = { name: 'delivery.csv', mimeType: 'text/csv', buffer: Buffer.from(DELIVERY) };

describe('drafts that can be repaired, in a browser', () => {
  it('the same file imported into two drafts: the second is flagged and posting it adds nothing', async () => {
    await goTo(page, 'Drafts and import');
    await newDraft('Delivery A');
    await page.locator('input[type=file]').setInputFiles(deliveryFile);
    await poll(() => notice().textContent()).toContain('3 rows added.');
    await press('Post batch');
    await poll(() => notice().textContent()).toContain('Posted: 3 lines entered the ledger.');
    const first = await lines();
    expect(first.count).toBe(3);

    await newDraft('Delivery B');
    await page.locator('input[type=file]').setInputFiles(deliveryFile);
    await poll(() => notice().textContent()).toMatch(
      /3 rows added\.delivery\.csv was already imported on \d{4}-\d\d-\d\d \d\d:\d\d \(draft 'Delivery A'\): Post batch will ask before posting its rows again\./,
    );
    await poll(() => page.getByRole('list', { name: 'Files and blocks' }).textContent()).toMatch(
      /delivery\.csv: 3 rows read, added .* ·\s+already imported on .* \(draft 'Delivery A'\)/,
    );
    // Each row is the same line as Delivery A's, and says so.
    const rows = page.getByRole('table', { name: 'Draft rows' }).locator('tbody tr');
    await poll(() => rows.count()).toBe(3);
    expect(await rows.first().textContent()).toMatch(/id already in the ledger since/);
    // The flag and the cautions are read in both themes (WCAG 2 A/AA, contrast included).
    expect(await violations()).toEqual([]);

    await press('Post batch');
    const dialog = page.getByRole('dialog', { name: 'Post this batch?' });
    await poll(() => dialog.getByTestId('question').textContent()).toMatch(
      /^delivery\.csv \(3 rows\) was already imported on .* \(draft 'Delivery A'\): post its rows again, as new lines\?$/,
    );
    await screenshot(page, 'draft-reimport');
    // "No" has the focus: Enter without looking posts nothing.
    await poll(() =>
      page.evaluate<string | null>('document.activeElement && document.activeElement.textContent'),
    ).toMatch(/^No, keep the draft/);
    await page.keyboard.press('Enter');
    await poll(() => notice().textContent()).toBe('Nothing was posted.');
    await poll(() => dialog.count()).toBe(0);

    const after = await lines();
    expect(after.count).toBe(3);
    expect(after.value.map((l) => l.id).sort()).toEqual(first.value.map((l) => l.id).sort());
    expect(after.value.map((l) => l.productId).sort()).toEqual(['D0001', 'D0002', 'T0001']);

    // The copy is taken out of the draft: asked first, "No" focused, so Tab to the yes.
    await press('Remove delivery.csv from the draft');
    const remove = page.getByRole('dialog', { name: 'Remove from the draft?' });
    await remove.waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await poll(() => notice().textContent()).toBe('delivery.csv removed from the draft.');
    await poll(() => page.getByText(/^Delivery B: 0 rows/).count()).toBe(1);
    expect((await lines()).count).toBe(3);
  });

  it('a bad row is edited from the keyboard and judged again, another deleted, and then the batch posts', async () => {
    await newDraft('Shelf 5');
    await page
      .getByLabel('Paste rows from a spreadsheet')
      .fill('Item\tQty\tSite\tWarehouse\nD0003\t12a\t1\t13\nD0004\t2\t1\t\nD0005\t1\t1\t13');
    await press('Add pasted rows');
    await poll(() => notice().textContent()).toContain('3 rows added; 2 problems to fix before posting.');
    const toFix = page.getByRole('table', { name: 'Rows to fix' }).locator('tbody tr');
    await poll(() => toFix.allTextContents()).toEqual([
      "Row 2pasted block 1quantitymust be a number, not '12a': was that a scan? Scan items into the item field",
      'Row 3pasted block 1dimensions.locationIdis required',
    ]);
    expect(await violations()).toEqual([]);

    await press('Edit row 2 of pasted block 1');
    const dialog = page.getByRole('dialog', { name: 'Edit row 2 of pasted block 1' });
    await dialog.waitFor();
    // The focus starts in the field to repair: Quantity.
    const quantity = dialog.getByRole('textbox', { name: 'Quantity' });
    await poll(() =>
      quantity.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement),
    ).toBe(true);
    await screenshot(page, 'draft-edit', { fullPage: false });
    expect(await violations()).toEqual([]);
    await quantity.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('12');
    await page.keyboard.press('Enter');
    await poll(() => notice().textContent()).toBe('Row 2 of pasted block 1 saved: ready to post.');
    await poll(() => dialog.count()).toBe(0);
    await poll(() => toFix.allTextContents()).toEqual([
      'Row 3pasted block 1dimensions.locationIdis required',
    ]);

    await press('Delete row 3 of pasted block 1');
    await poll(() => notice().textContent()).toBe('Row 3 of pasted block 1 deleted.');
    const rows = page.getByRole('table', { name: 'Draft rows' }).locator('tbody tr');
    // From, row, organization, item, quantity, site, warehouse: row 3 gone, row 2 as repaired.
    await poll(() => rows.allTextContents()).toEqual([
      'pasted block 12usmfD000312113',
      'pasted block 14usmfD00051113',
    ]);
    await screenshot(page, 'draft-repair');

    await press('Post batch');
    await poll(() => notice().textContent()).toBe('Posted: 2 lines entered the ledger.');
    const posted = (await lines()).value.filter((l) => l.productId === 'D0003' || l.productId === 'D0005');
    expect(posted.map((l) => [l.productId, l.quantity]).sort()).toEqual([
      ['D0003', 12],
      ['D0005', 1],
    ]);
    expect(pageErrors).toEqual([]);
  });
});

/** A file picked from disk, as a clerk picks it (Playwright then hands chromium the path). */
function onDisk(name: string, bytes: Buffer): string {
  const file = path.join(tempDir('files'), name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('files of any size from the browser', () => {
  it('imports a 15 MB CSV: the file goes as bytes, not as a string the body scanner refuses', async () => {
    await goTo(page, 'Drafts and import');
    await newDraft('Big delivery');
    const { csv, rows } = deliveryCsv(15 * 1024 * 1024);
    expect(csv.length).toBeGreaterThan(15 * 1024 * 1024);
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: csv });
    await expect.poll(() => notice().textContent(), { timeout: 60_000 }).toContain(`${rows} rows added.`);
    const draft = (
      await rpcCall<{ draftId: string; name: string; rowCount: number }[]>(stack.server, 'drafts.list')
    ).find((d) => d.name === 'Big delivery');
    expect(draft?.rowCount).toBe(rows);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('says at once that a 21 MB file is past the 20 MB limit, and sends none of it', async () => {
    await newDraft('Too big');
    const sent: number[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/rpc/drafts.import')) sent.push(r.postDataBuffer()?.length ?? 0);
    });
    await page
      .locator('input[type=file]')
      .setInputFiles(onDisk('huge.csv', deliveryCsv(21 * 1024 * 1024).csv));
    await poll(() => page.getByRole('alert').textContent()).toContain(
      'huge.csv is larger than 20 MB: split it, then import the parts.',
    );
    expect(sent).toEqual([]);
    await poll(() => page.getByText(/^Too big: 0 rows/).count()).toBe(1);
  }, 60_000);
});
