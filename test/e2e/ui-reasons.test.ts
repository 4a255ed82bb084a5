// Reasons and approvals as a clerk meets them, keyboard only, in Debian's chromium: the reason
// chosen in one key on Create and on Scan (and what reached the ledger), a line over the store's
// threshold let in by a manager's PIN typed right there, and a line parked for approval that a
// manager approves from the one list.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, focusedLabel, goTo, launchBrowser, rpcCall, type Stack, startStack } from './harness';

type Browser = Awaited<ReturnType<typeof launchBrowser>>;
interface Stored {
  id: string;
  lineRecordId: string;
  status: string;
  productId: string;
  quantity: number;
  reasonCode: string | null;
  createdBy: string;
  approvedBy: string | null;
}

const CLERK = { name: 'Carl Clerk', pin: '1357' };
const MANAGER = { name: 'Mia Manager', pin: '4321' };

let stack: Stack;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  stack = await startStack();
  await rpcCall(stack.server, 'settings.update', {
    defaultOrganizationId: 'usmf',
    approvals: { unitsThreshold: 50 },
    // Lines stay in the ledger (voidable) while this file runs.
    transactions: { periodicSyncToIV: false },
  });
  await rpcCall(stack.server, 'people.create', { name: CLERK.name, role: 'clerk', pin: CLERK.pin });
  await rpcCall(stack.server, 'people.create', { name: MANAGER.name, role: 'manager', pin: MANAGER.pin });
  // The last line entered: Create and Scan open with its site and warehouse.
  await rpcCall(stack.server, 'lines.create', {
    line: {
      id: 'reasons-seed',
      organizationId: 'usmf',
      productId: 'D0010',
      quantityDataSource: '@iv',
      physicalMeasure: 'adjustment',
      quantity: 1,
      dimensions: { siteId: '1', locationId: '13' },
    },
  });
  browser = await launchBrowser({ locale: 'en-US' });
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  pageErrors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (error) => pageErrors.push(`uncaught: ${error.message}`));
  page.setDefaultTimeout(10_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(stack.server.uiUrl);
  await signIn(ADMIN);
  await switchTo(CLERK);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000 });

/** The sign-in screen as a person uses it: the name's first letters and Enter, the PIN, Enter. */
async function signIn(who: { name: string; pin: string }): Promise<void> {
  await page.getByRole('form', { name: 'Sign in' }).waitFor();
  await page.getByRole('combobox', { name: 'Your name' }).focus();
  await page.keyboard.type(who.name, { delay: 40 });
  await page.keyboard.press('Enter');
  await page.getByLabel('PIN', { exact: true }).focus();
  await page.keyboard.type(who.pin, { delay: 120 });
  await page.keyboard.press('Enter');
  await page.getByTestId('signed-in-person').filter({ hasText: who.name }).waitFor();
}

async function switchTo(who: { name: string; pin: string }): Promise<void> {
  await page.getByRole('button', { name: 'Switch person' }).focus();
  await page.keyboard.press('Enter');
  await signIn(who);
}

const stored = async (productId: string) =>
  (await rpcCall<{ value: Stored[] }>(stack.server, 'lines.list', { productId, top: 50 })).value;

async function typeEnter(text: string): Promise<void> {
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Product and quantity on Create, typed; the reason then one key away (Tab from Quantity). */
async function createLine(productId: string, quantity: string, reasonKey: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Product' }).focus();
  await page.keyboard.type(productId);
  await page.getByRole('textbox', { name: 'Quantity' }).focus();
  await page.keyboard.type(quantity);
  await page.keyboard.press('Tab');
  expect(await page.evaluate("document.activeElement?.getAttribute('aria-label')")).toBe('Reason');
  // At a person's pace: keys closer than a scanner's are a burst the picker ignores.
  await page.keyboard.press(reasonKey);
  await page.waitForTimeout(150);
  await page.keyboard.press('Enter');
}

describe('reason codes, in one key', () => {
  it('Create: Tab from Quantity, a digit chooses the reason, Enter posts; the form keeps it for the next line', async () => {
    await goTo(page, 'Create transaction');
    await createLine('D0009', '3', '2');
    await page.getByTestId('posted-confirmation').filter({ hasText: 'D0009' }).waitFor();
    await poll(() => stored('D0009')).toMatchObject([
      { quantity: 3, reasonCode: 'EXPIRED', createdBy: CLERK.name },
    ]);
    // Kept for the next line, and shown as kept; 0 clears it.
    const picker = page.getByRole('radiogroup', { name: 'Reason' });
    expect(await picker.getByRole('radio', { name: /Expired/ }).getAttribute('aria-checked')).toBe('true');
    await picker.focus();
    await page.keyboard.press('0');
    expect(await picker.getByRole('radio', { name: /None/ }).getAttribute('aria-checked')).toBe('true');
  });

  it('Scan: a digit on the reason, Enter on to the scan; every scan is recorded with it, and a scan never lands in it', async () => {
    await goTo(page, 'Scan');
    const picker = page.getByRole('radiogroup', { name: 'Reason' });
    await picker.focus();
    await page.keyboard.press('4');
    await page.waitForTimeout(150);
    expect(await picker.getByRole('radio', { name: /Found/ }).getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press('Enter');
    expect(await focusedLabel(page)).toBe('Barcode or item number');
    await typeEnter('D0008');
    await typeEnter('2');
    await poll(() => stored('D0008')).toMatchObject([{ quantity: 2, reasonCode: 'FOUND' }]);
    // A scanner's burst into the picker changes nothing.
    await picker.focus();
    await page.keyboard.type('T0001');
    expect(await picker.getByRole('radio', { name: /Found/ }).getAttribute('aria-checked')).toBe('true');
  });
});

describe('a manager’s approval', () => {
  it('Create: a line over the threshold asks for a manager’s PIN right there, and posts approved by them', async () => {
    await goTo(page, 'Create transaction');
    await createLine('D0007', '60', '1');
    const dialog = page.getByRole('dialog', { name: 'A manager must approve' });
    await dialog
      .getByText("60 units is at or beyond the store's approval threshold of 50", { exact: false })
      .waitFor();
    expect(await stored('D0007')).toEqual([]);
    // The manager's name chosen by its first letter, then the PIN, then Enter.
    await dialog.getByRole('combobox', { name: 'Manager' }).focus();
    await page.keyboard.press('M');
    await page.keyboard.press('Tab');
    await page.keyboard.type(MANAGER.pin, { delay: 60 });
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await poll(() => stored('D0007')).toMatchObject([
      { quantity: 60, reasonCode: 'DAMAGED', createdBy: CLERK.name, approvedBy: MANAGER.name },
    ]);
  });

  it('the approval list: a parked line waits (nothing stored), and a manager approves it there', async () => {
    await createLine('D0006', '70', '3');
    const dialog = page.getByRole('dialog', { name: 'A manager must approve' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Send for approval' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('held-notice').filter({ hasText: 'waiting for a manager’s approval' }).waitFor();
    expect(await stored('D0006')).toEqual([]);
    await page.getByTestId('waiting-badge').filter({ hasText: '1' }).waitFor();

    await switchTo(MANAGER);
    await goTo(page, 'Waiting for approval');
    const table = page.getByRole('table', { name: 'Lines waiting for approval' });
    await table.getByText(CLERK.name).waitFor();
    await page.getByRole('button', { name: 'Approve D0006 70' }).focus();
    await page.keyboard.press('Enter');
    await table.locator('tr[data-state="approved"]').waitFor();
    await poll(() => stored('D0006')).toMatchObject([
      { quantity: 70, reasonCode: 'THEFT', createdBy: CLERK.name, approvedBy: MANAGER.name },
    ]);
    await page.getByTestId('waiting-badge').waitFor({ state: 'detached' });
  });

  it('voids another person’s line with a manager’s PIN typed in the void dialog', async () => {
    await rpcCall(stack.server, 'lines.create', {
      line: {
        id: 'admins-line',
        organizationId: 'usmf',
        productId: 'D0005',
        quantityDataSource: '@iv',
        physicalMeasure: 'adjustment',
        quantity: 2,
        dimensions: { siteId: '1', locationId: '13' },
      },
    });
    await switchTo(CLERK);
    const [line] = await stored('D0005');
    await page.goto(
      `${stack.server.uiUrl.split('#')[0]}#/transactions?tab=detailed&line=${line!.lineRecordId}`,
    );
    const drawer = page.getByRole('dialog', { name: 'Detailed line' });
    await drawer.getByTestId('role-needed').waitFor();
    await drawer.getByRole('button', { name: 'Void with a manager’s approval…' }).focus();
    await page.keyboard.press('Enter');
    const voiding = page.getByRole('dialog', { name: 'Void this line' });
    await voiding.getByRole('textbox', { name: 'Reason' }).waitFor();
    await page.keyboard.type('Counted twice', { delay: 20 });
    await page.keyboard.press('Enter');
    const approval = page.getByRole('dialog', { name: 'A manager must approve' });
    await approval.getByText('Voiding another person’s line needs a manager.').waitFor();
    await approval.getByRole('combobox', { name: 'Manager' }).focus();
    await page.keyboard.press('M');
    await page.keyboard.press('Tab');
    await page.keyboard.type(MANAGER.pin, { delay: 60 });
    await page.keyboard.press('Enter');
    await approval.waitFor({ state: 'hidden' });
    await poll(async () => (await stored('D0005'))[0]).toMatchObject({ status: 'Voided' });
  });

  it('logged no console error', () => {
    expect(pageErrors, `server output:\n${stack.server.output}`).toEqual([]);
  });
});
