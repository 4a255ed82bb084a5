// Entry: a clerk with a scanner and a keyboard on Scan and Create, in Debian's chromium at
// 1024x700, en-US and de-DE. Each item that put wrong stock into the ledger has its test here, and
// each asserts what reached the ledger. A scanner is keyboard.type at full speed and Enter, typed
// while the previous lookup or record is still in flight: the page's RPC answers are held back
// 400 ms (page.route), so the race the clerk met is certain, not a matter of luck.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  focusedLabel,
  goTo,
  launchBrowser,
  openPage,
  rpcCall,
  type Stack,
  screenshot,
  startStack,
} from './harness';

type Browser = Awaited<ReturnType<typeof launchBrowser>>;
interface Stored {
  productId: string;
  quantity: number;
  dimensions: Record<string, string>;
}

let stack: Stack;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  stack = await startStack();
  await rpcCall(stack.server, 'settings.update', { defaultOrganizationId: 'usmf' });
  await rpcCall(stack.server, 'masterData.refresh', {});
  // The last line entered: Scan opens with its site and warehouse.
  await rpcCall(stack.server, 'lines.create', {
    line: {
      id: 'entry-seed',
      organizationId: 'usmf',
      productId: 'D0010',
      quantityDataSource: '@iv',
      physicalMeasure: 'adjustment',
      quantity: 1,
      dimensions: { siteId: '1', locationId: '13' },
    },
  });
  browser = await launchBrowser({ locale: 'en-US' });
  ({ page, errors: pageErrors } = await openPage(browser.context, stack.server.uiUrl));
  await page.setViewportSize({ width: 1024, height: 700 });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

// The machine is shared: a poll waits up to 10 s, as the harness's locators do.
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000 });

/** A scanner (or a clerk's quick fingers): the text at full speed, then Enter. */
async function typeEnter(p: Page, text: string): Promise<void> {
  await p.keyboard.type(text);
  await p.keyboard.press('Enter');
}

/** Holds back the answers of one RPC, as a busy ledger or a slow disk would. */
async function holdBack(p: Page, name: string, ms = 400): Promise<void> {
  await p.route(`**/rpc/${name}`, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await route.continue();
  });
}

const stored = async (productId: string) =>
  (await rpcCall<{ value: Stored[] }>(stack.server, 'lines.list', { productId, top: 50 })).value;
const quantities = async (productId: string) =>
  (await stored(productId)).map((l) => l.quantity).sort((a, b) => a - b);
const focusedText = (p: Page) => p.evaluate<string>("document.activeElement?.textContent ?? ''");

const codeField = () => page.getByRole('textbox', { name: 'Barcode or item number' });
const recordedRows = () => page.getByRole('table', { name: 'Recorded scans' }).locator('tbody tr');
const cells = (row: number) => recordedRows().nth(row).locator('td').allTextContents();

describe('Scan, keyboard and scanner only', () => {
  it('6: shows the site and warehouse kept from the last line, selects them on a click, clears them with Esc, and cautions an unknown place before recording', async () => {
    await goTo(page, 'Scan');
    const site = page.getByRole('textbox', { name: 'Site' });
    const warehouse = page.getByRole('textbox', { name: 'Warehouse' });
    await page.getByTestId('kept-place').getByText('Kept from the last line: site 1, warehouse 13').waitFor();
    expect(await site.inputValue()).toBe('1');
    expect(await warehouse.inputValue()).toBe('13');

    // The clerk clicks into the kept site and types: it is replaced, not "12".
    await site.click();
    await page.keyboard.type('2');
    expect(await site.inputValue()).toBe('2');
    // Cautioned now, before any scan is recorded there.
    await page
      .getByRole('status')
      .filter({ hasText: 'Warehouse 13 belongs to site 1 in usmf, not site 2' })
      .waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type('99');
    await page
      .getByRole('status')
      .filter({ hasText: /^Warehouse 99 is not a warehouse of usmf as of \d\d:\d\d today\. Scans can still/ })
      .waitFor();
    expect((await rpcCall<{ count: number }>(stack.server, 'lines.list', { siteId: '2' })).count).toBe(0);

    // One key clears both, and the site takes the next keys.
    await page.keyboard.press('Escape');
    expect(await site.inputValue()).toBe('');
    expect(await warehouse.inputValue()).toBe('');
    expect(await focusedLabel(page)).toBe('Site');
    await page.keyboard.type('1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('12');
    await poll(() =>
      page
        .getByRole('status')
        .filter({ hasText: /^Warehouse|^Site/ })
        .count(),
    ).toBe(0);
    await page.keyboard.press('Tab');
    expect(await focusedLabel(page)).toBe('Barcode or item number');
    await typeEnter(page, 'D0009');
    await typeEnter(page, '3');

    // The recorded list says where each scan went.
    await poll(() => cells(0)).toEqual(['1', 'D0009', 'D0009Speaker cable 9', '1', '12', '3', 'Recorded']);
    expect(await stored('D0009')).toMatchObject([
      { quantity: 3, dimensions: { siteId: '1', locationId: '12' } },
    ]);
  });

  it('2: refuses a scan that lands in Quantity in words, and asks before a large quantity', async () => {
    const quantity = page.getByRole('textbox', { name: /^Quantity/ });
    await codeField().focus();
    await typeEnter(page, '0123456789012');
    expect(await focusedLabel(page)).toMatch(/^Quantity/);
    // The next item's UPC lands in Quantity: not 36,000,291,452 units.
    await typeEnter(page, '036000291452');
    await page
      .getByText('36000291452 looks like a scanned barcode, not a quantity: was that a scan?')
      .waitFor();
    expect(await quantity.inputValue()).toBe('036000291452');
    // An item number lands there: not 7. What is typed next replaces the refused text.
    await typeEnter(page, 'D0007');
    await page.getByText("must be a number, not 'D0007': was that a scan?", { exact: false }).waitFor();
    expect(await quantity.inputValue()).toBe('D0007');
    expect(await stored('D0001')).toEqual([]);
    expect(await stored('D0007')).toEqual([]);
    await typeEnter(page, '2');
    // The barcode was recorded as its item and variant, and the list says so.
    await poll(() => cells(0)).toEqual([
      '2',
      '0123456789012',
      'D0001 (colour red, size S, style women)Speaker cable 1',
      '1',
      '12',
      '2',
      'Recorded',
    ]);
    expect(await stored('D0001')).toMatchObject([
      {
        quantity: 2,
        dimensions: { siteId: '1', locationId: '12', colorId: 'red', sizeId: 'S', styleId: 'women' },
      },
    ]);

    // A large quantity waits for a yes; Escape goes back to Quantity and records nothing.
    await typeEnter(page, 'D0002');
    await typeEnter(page, '500');
    const dialog = page.getByRole('dialog', { name: 'Record a large quantity?' });
    await dialog
      .getByText("that is 100 or more, the store's limit under Settings → Entry", { exact: false })
      .waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await poll(() => focusedLabel(page)).toMatch(/^Quantity/);
    expect(await stored('D0002')).toEqual([]);
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Enter');
    // The next scan follows the yes at once, while the dialog is still closing, and the clerk
    // glances at its name before typing the quantity: the dialog's close must not take the focus.
    await typeEnter(page, 'T0002');
    await page.waitForTimeout(400);
    await typeEnter(page, '1');
    await poll(() => quantities('D0002')).toEqual([500]);
    await poll(() => quantities('T0002')).toEqual([1]);

    // The store lowered its limit after this page read it: the pipeline asks, and the page shows
    // its question with the safe answer focused, as the clerk may be scanning on.
    await rpcCall(stack.server, 'settings.update', { entry: { largeQuantityThreshold: 40 } });
    try {
      await typeEnter(page, 'D0003');
      await typeEnter(page, '50');
      await dialog
        .getByText("D0003: 50 is at or beyond the store's large-quantity threshold of 40", { exact: false })
        .waitFor();
      await poll(() => focusedText(page)).toContain("Don't record");
      expect(await stored('D0003')).toEqual([]);
      await page.keyboard.press('Tab');
      expect(await focusedText(page)).toContain('Record 50');
      await page.keyboard.press('Enter');
      await typeEnter(page, 'T0003');
      await page.waitForTimeout(400);
      await typeEnter(page, '2');
      // The same line id sent again, confirmed: one line; and the scan after it kept whole.
      await poll(() => quantities('D0003')).toEqual([50]);
      await poll(() => quantities('T0003')).toEqual([2]);
    } finally {
      await rpcCall(stack.server, 'settings.update', { entry: { largeQuantityThreshold: 100 } });
    }
  });

  it('4: keeps every key typed while a lookup or a record is in flight in the scan it belongs to', async () => {
    await codeField().focus();
    await holdBack(page, 'masterData.lookup');
    await holdBack(page, 'lines.create');
    try {
      // Four scans and their quantities in one go: a minus sign, a leading letter and the next
      // scan each arrive while the answers for the one before are still held back.
      for (const [code, qty] of [
        ['D0004', '-2'],
        ['P0002', '3'],
        ['T0001', '1'],
        ['M0001', '4'],
      ] as const) {
        await typeEnter(page, code);
        await typeEnter(page, qty);
      }
      await poll(() => quantities('M0001')).toEqual([4]);
    } finally {
      await page.unroute('**/rpc/masterData.lookup');
      await page.unroute('**/rpc/lines.create');
    }
    expect(await quantities('D0004')).toEqual([-2]);
    expect(await quantities('P0002')).toEqual([3]);
    expect(await quantities('T0001')).toEqual([1]);
    expect(await stored('0002')).toEqual([]);
    expect(await stored('T0001M0001')).toEqual([]);
    // Recorded in the order scanned, each with its own name.
    await poll(async () => (await recordedRows().allTextContents()).slice(0, 4)).toEqual([
      expect.stringMatching(/^\d+M0001M0001Mid-range speaker1124Recorded$/),
      expect.stringMatching(/^\d+T0001T0001Television 11121Recorded$/),
      expect.stringMatching(/^\d+P0002P00021123Recorded; P0002 is not a released product in usmf/),
      expect.stringMatching(/^\d+D0004D0004Speaker cable 4112-2Recorded$/),
    ]);
  });

  it('says which scan failed, in words, and the next one is recorded', async () => {
    await codeField().focus();
    await rpcCall(stack.server, 'settings.update', { enableFeature: false });
    try {
      await typeEnter(page, 'D0008');
      await typeEnter(page, '1');
      await page
        .getByRole('alert')
        .filter({ hasText: /^Scan \d+ was not recorded/ })
        .getByText('D0008, quantity 1 at site 1, warehouse 12:', { exact: false })
        .waitFor();
    } finally {
      await rpcCall(stack.server, 'settings.update', { enableFeature: true });
    }
    await typeEnter(page, 'D0008');
    await typeEnter(page, '1');
    await poll(() => quantities('D0008')).toEqual([1]);
    await screenshot(page, 'scan-recorded');
  });
});

describe('Create, keyboard and scanner only', () => {
  it('3: shows what a scanned barcode will post and what it posted: the item and its variant', async () => {
    await goTo(page, 'Create transaction');
    const product = page.getByRole('textbox', { name: 'Product' });
    await product.focus();
    await page.keyboard.type('0123456789012');
    await page
      .getByTestId('item-hint')
      .getByText('Speaker cable 1: posts as D0001 (colour red, size S, style women)')
      .waitFor();
    await page.keyboard.press('Enter');
    await typeEnter(page, '6');
    await page
      .getByTestId('posted-confirmation')
      .getByText('D0001 (colour red, size S, style women) from barcode 0123456789012, quantity 6', {
        exact: false,
      })
      .waitFor();
    expect((await stored('D0001')).filter((l) => l.quantity === 6)).toMatchObject([
      { dimensions: { colorId: 'red', sizeId: 'S', styleId: 'women' } },
    ]);
    expect(await stored('0123456789012')).toEqual([]);
  });

  it("asks at the store's threshold, set under Settings → Entry (no longer a PC preference)", async () => {
    await goTo(page, 'Settings');
    const threshold = page.getByRole('textbox', { name: 'Ask before recording a quantity of' });
    expect(await page.getByRole('group', { name: 'This PC' }).getByRole('textbox').count()).toBe(0);
    await threshold.focus();
    await page.keyboard.press('ControlOrMeta+a');
    await typeEnter(page, '25x');
    await page.getByText('must be a number', { exact: false }).waitFor();
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    await page.getByText('Settings saved').waitFor();
    const saved = await rpcCall<{ entry: { largeQuantityThreshold: number } }>(stack.server, 'settings.get');
    expect(saved.entry.largeQuantityThreshold).toBe(25);
    try {
      await goTo(page, 'Create transaction');
      await page.getByRole('textbox', { name: 'Product' }).focus();
      await typeEnter(page, 'D0006');
      await typeEnter(page, '30');
      const dialog = page.getByRole('dialog', { name: 'Post a large quantity?' });
      await dialog.getByText('that is 25 or more', { exact: false }).waitFor();
      await page.keyboard.press('Enter');
      await poll(() => quantities('D0006')).toEqual([30]);
    } finally {
      await rpcCall(stack.server, 'settings.update', { entry: { largeQuantityThreshold: 100 } });
    }
  });

  it('logged no console error', () => {
    expect(pageErrors, `server output:\n${stack.server.output}`).toEqual([]);
  });
});

describe('Create in German (de-DE)', () => {
  let german: Browser;
  let dePage: Page;
  let deErrors: string[];
  beforeAll(async () => {
    german = await launchBrowser({ locale: 'de-DE' });
    ({ page: dePage, errors: deErrors } = await openPage(german.context, stack.server.uiUrl));
    await dePage.setViewportSize({ width: 1024, height: 700 });
  }, 60_000);
  afterAll(async () => {
    await german?.close();
  });

  it('8: reads 1.000 as one thousand and 1,5 as one and a half, and shows it back before posting', async () => {
    await goTo(dePage, 'Create transaction');
    await dePage.getByRole('textbox', { name: 'Product' }).focus();
    await typeEnter(dePage, 'D0005');
    await dePage.keyboard.type('1.000');
    await dePage.getByTestId('quantity-read-back').getByText('reads as 1000').waitFor();
    await dePage.keyboard.press('Enter');
    // One thousand is at the store's threshold of 100: asked, in German numbers.
    const dialog = dePage.getByRole('dialog', { name: 'Post a large quantity?' });
    await dialog.getByText('quantity 1.000', { exact: false }).waitFor();
    await dePage.keyboard.press('Enter');
    await poll(() => quantities('D0005')).toEqual([1000]);

    await poll(() => focusedLabel(dePage)).toBe('Product');
    await typeEnter(dePage, 'D0007');
    await dePage.keyboard.type('1,5');
    await dePage.getByTestId('quantity-read-back').getByText('reads as 1,5').waitFor();
    await dePage.keyboard.press('Enter');
    await poll(() => quantities('D0007')).toEqual([1.5]);
    expect(deErrors).toEqual([]);
  });
});
