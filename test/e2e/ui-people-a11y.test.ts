// The people screens, checked as the other pages are (ui-a11y.test.ts): the first start, the
// sign-in screen with a refusal showing, and the staff list, each by axe-core for WCAG 2 A/AA in
// both themes at 1024x700, and pictured for the clerk's guide.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  emulateColorScheme,
  goTo,
  launchBrowser,
  openPage,
  rpcCall,
  ServerProcess,
  screenshot,
  signInAs,
  tempDir,
  type WatchedPage,
} from './harness';

let server: ServerProcess;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let watched: WatchedPage;
let page: Page;

beforeAll(async () => {
  server = new ServerProcess(tempDir('people-a11y'), undefined);
  await server.start({ signIn: false });
  browser = await launchBrowser();
  watched = await openPage(browser.context, server.uiUrl);
  page = watched.page;
  await page.setViewportSize({ width: 1024, height: 700 });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function violations(): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await emulateColorScheme(page, scheme);
    const result = await new AxeBuilder({ page: page as never })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    for (const v of result.violations)
      for (const n of v.nodes)
        found.push(`${scheme} ${v.id}: ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1] ?? ''}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

describe('the people screens', () => {
  it('the first start', async () => {
    await page.getByRole('form', { name: 'First start' }).waitFor();
    expect(await violations()).toEqual([]);
    await screenshot(page, 'first-start');
  });

  it('the sign-in screen, a wrong PIN said', async () => {
    // Set up as the first start does, with a clerk on the list, then this window's sign-in.
    await server.signInAdmin();
    await rpcCall(server, 'people.create', { name: 'Carl Clerk', role: 'clerk', pin: '1357' });
    await page.reload();
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.waitFor();
    await signInAsWrong('Carl Clerk', '0000');
    await form.getByText('That PIN is not Carl Clerk’s.').waitFor();
    expect(await violations()).toEqual([]);
    await screenshot(page, 'sign-in');
  });

  it('the staff list', async () => {
    await signInAs(page, ADMIN);
    await goTo(page, 'People');
    await page.getByRole('table', { name: 'Staff' }).getByText('Carl Clerk').waitFor();
    expect(await violations()).toEqual([]);
    await screenshot(page, 'people');
  });

  it('logged no console error', () => {
    expect(watched.errors, `server output:\n${server.output}`).toEqual([]);
  });
});

async function signInAsWrong(name: string, pin: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Your name' }).focus();
  await page.keyboard.type(name, { delay: 60 });
  await page.keyboard.press('Enter');
  await page.getByLabel('PIN', { exact: true }).focus();
  await page.keyboard.type(pin, { delay: 120 });
  await page.keyboard.press('Enter');
}
