// Settings › Initialize › "Check this tenant…": the dialog never runs without the sandbox tick and
// a test item, and shows the report's answers. Chromium against `npm run serve` and the emulator.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSession, goTo, itLoggedNoConsoleError, type Stack } from './harness';

let stack: Stack;
let page: Page;

const session = browserSession();
beforeAll(async () => {
  ({ stack, page } = session);
});

describe('Check this tenant', () => {
  it('runs only with the sandbox tick and a test item, then shows each answer with what it settles', async () => {
    await goTo(page, 'Settings');
    await page.getByRole('button', { name: 'Check this tenant…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Check this tenant' });
    const runButton = dialog.getByRole('button', { name: 'Run the check' });
    await expect.poll(() => runButton.isDisabled()).toBe(true);

    await dialog.getByRole('textbox', { name: 'Site' }).fill('1');
    await dialog.getByRole('textbox', { name: 'Warehouse' }).fill('13');
    await dialog.getByRole('textbox', { name: 'Organization' }).fill('usmf');
    await dialog.getByRole('checkbox', { name: 'This is a sandbox, not production' }).check();
    // No test item yet: still refused.
    await expect.poll(() => runButton.isDisabled()).toBe(true);
    await dialog.getByRole('textbox', { name: 'Test item' }).fill('D0001');
    await dialog.getByRole('checkbox', { name: 'This is a sandbox, not production' }).uncheck();
    await expect.poll(() => runButton.isDisabled()).toBe(true);
    expect(stack.emulator.admin.events().some((e) => e.id.startsWith('tenant-check-'))).toBe(false);

    await dialog.getByRole('checkbox', { name: 'This is a sandbox, not production' }).check();
    await runButton.click();
    const answers = dialog.getByTestId('tenant-check-answers');
    await answers.waitFor({ timeout: 30_000 });
    await expect.poll(() => answers.textContent()).toMatch(/SCM answered HTTP 404/);
    const text = (await answers.textContent()) ?? '';
    expect(text).toContain('The record already exists');
    expect(text).toContain('Settles: docs/dynamics-contract.md §5, "jobstatus for a message SCM never saw"');
    expect(text).toMatch(/tenant-checks\/tenant-check-\d{8}-\d{6}\.md/);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  itLoggedNoConsoleError(session);
});
