// The Reason codes page as a manager uses it, keyboard only at 1024x700 in Debian's chromium: a
// code added with a journal name is offered on Create under its key, and a line posted with it
// goes to the ledger with the code and the code's journal name.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  browserSession,
  focusedLabel,
  goTo,
  itLoggedNoConsoleError,
  rpcCall,
  type Stack,
  signInAs,
} from './harness';

const MANAGER = { name: 'Mia Manager', pin: '4321' };

let stack: Stack;
let page: Page;

interface Stored {
  quantity: number;
  reasonCode: string | null;
  fnoJournalNameId: string | null;
  createdBy: string;
}

const session = browserSession(async (s) => {
  stack = s;
  await rpcCall(s.server, 'settings.update', {
    defaultOrganizationId: 'usmf',
    transactions: { periodicSyncToIV: false, periodicSyncToFno: false },
  });
  await rpcCall(s.server, 'people.create', { name: MANAGER.name, role: 'manager', pin: MANAGER.pin });
  // The last line entered: Create opens with its site and warehouse.
  await rpcCall(s.server, 'lines.create', {
    line: {
      id: 'codes-seed',
      organizationId: 'usmf',
      productId: 'D0010',
      quantityDataSource: '@iv',
      physicalMeasure: 'adjustment',
      quantity: 1,
      dimensions: { siteId: '1', locationId: '13' },
    },
  });
});
beforeAll(async () => {
  ({ page } = session);
  await page.setViewportSize({ width: 1024, height: 700 });
  await activate(page.getByRole('button', { name: 'Switch person' }));
  await page.getByRole('form', { name: 'Sign in' }).waitFor();
  await signInAs(page, MANAGER);
  await page.getByTestId('signed-in-person').filter({ hasText: MANAGER.name }).waitFor();
});

/** Keyboard: focus a control and press Enter, as Tab and Enter would. */
async function activate(control: Locator): Promise<void> {
  await control.focus();
  await page.keyboard.press('Enter');
}

let key = '';

describe('reason codes', () => {
  it('a manager adds a code with a journal name: listed under its key, with the journal name', async () => {
    await goTo(page, 'Reason codes');
    const form = page.getByRole('form', { name: 'Reason code' });
    await form.getByRole('textbox', { name: 'Code' }).focus();
    await page.keyboard.type('recount');
    await page.keyboard.press('Tab');
    expect(await focusedLabel(page)).toBe('Words');
    await page.keyboard.type('Recounted by the shelf');
    await page.keyboard.press('Tab');
    expect(await focusedLabel(page)).toBe('Journal name');
    await page.keyboard.type('IVAdj2');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Saved RECOUNT.' }).waitFor();
    const row = page
      .getByRole('table', { name: 'Reason codes' })
      .locator('tbody tr')
      .filter({ hasText: 'RECOUNT' });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(1, 4)).toEqual(['RECOUNT', 'Recounted by the shelf', 'IVAdj2']);
    key = cells[0]!;
    expect(key).toMatch(/^[1-9]$/);
    expect(await rpcCall(stack.server, 'reasons.list')).toContainEqual(
      expect.objectContaining({ code: 'RECOUNT', fnoJournalNameId: 'IVAdj2', active: true }),
    );
  });

  it('is offered on Create under its key; the line posted with it carries the code’s journal name', async () => {
    await goTo(page, 'Create transaction');
    const picker = page.getByRole('radiogroup', { name: 'Reason' });
    await picker.getByRole('radio', { name: /Recounted by the shelf/ }).waitFor();
    await page.getByRole('textbox', { name: 'Product' }).focus();
    await page.keyboard.type('D0009');
    await page.getByRole('textbox', { name: 'Quantity' }).focus();
    await page.keyboard.type('4');
    await page.keyboard.press('Tab');
    expect(await page.evaluate("document.activeElement?.getAttribute('aria-label')")).toBe('Reason');
    await page.keyboard.press(key);
    // At a person's pace: keys closer than a scanner's are a burst the picker ignores.
    await page.waitForTimeout(150);
    expect(
      await picker.getByRole('radio', { name: /Recounted by the shelf/ }).getAttribute('aria-checked'),
    ).toBe('true');
    await page.keyboard.press('Enter');
    await page.getByTestId('posted-confirmation').filter({ hasText: 'D0009' }).waitFor();
    await expect
      .poll(
        async () =>
          (await rpcCall<{ value: Stored[] }>(stack.server, 'lines.list', { productId: 'D0009' })).value,
        { timeout: 10_000 },
      )
      .toMatchObject([
        { quantity: 4, reasonCode: 'RECOUNT', fnoJournalNameId: 'IVAdj2', createdBy: MANAGER.name },
      ]);
  });
});

itLoggedNoConsoleError(session);
