// The clerk's day (issue 9): scanner and keyboard on the entry form, in Chromium against
// `npm run serve` and the upstream emulator. Each defect of the issue has its test here.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goTo, launchBrowser, openPage, rpcCall, type Stack, startStack, type WatchedPage } from './harness';

let stack: Stack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let watched: WatchedPage;
let page: Page;

const quantity = () => page.getByRole('textbox', { name: 'Quantity' });
const product = () => page.getByRole('textbox', { name: 'Product' });
const focusedLabel = () =>
  page.evaluate<string | null>(
    "document.activeElement?.labels?.[0]?.textContent?.replace(/\\s*\\*$/, '') ?? null",
  );
const linesOf = async (productId: string) =>
  (
    await rpcCall<{ value: { quantity: number }[] }>(stack.server, 'lines.list', { productId, top: 10 })
  ).value.map((l) => l.quantity);

beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  watched = await openPage(browser.context, stack.server.uiUrl);
  page = watched.page;
  await goTo(page, 'Create transaction');
  await page.locator('input').and(page.getByLabel('Organization')).fill('usmf');
  await page.getByRole('textbox', { name: 'Site' }).fill('1');
  await page.getByRole('textbox', { name: 'Warehouse' }).fill('13');
  await product().focus();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe("the clerk's entry form", () => {
  it('refuses a scan that lands in Quantity with words, and clears a typed quantity after Post', async () => {
    await page.keyboard.type('D0003');
    await page.keyboard.press('Enter');
    expect(await focusedLabel()).toBe('Quantity');
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
    expect(await focusedLabel()).toBe('Quantity');
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
    expect(await focusedLabel()).toBe('Product');
  });

  it('logged no console error on any page', () => {
    expect(watched.errors, `server output:\n${stack.server.output}`).toEqual([]);
  });
});
