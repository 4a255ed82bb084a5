// A store's people in Chromium against `npm run serve` (no upstream needed): the first start
// makes the first manager, a badge scanned anywhere switches the person in one step, a clerk is
// refused a manager's action in words naming the role, wrong PINs lock sign-in in words, and a
// person signs in again with the keyboard alone.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  goTo,
  launchBrowser,
  openPage,
  rpcCall,
  rpcReply,
  ServerProcess,
  signInAs,
  tempDir,
  type WatchedPage,
} from './harness';

const CARL = { name: 'Carl Clerk', pin: '1357', badge: 'BADGE-CARL-01' } as const;

let server: ServerProcess;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let watched: WatchedPage;
let page: Page;
const person = () => page.getByTestId('signed-in-person');

beforeAll(async () => {
  server = new ServerProcess(tempDir('people'), undefined);
  await server.start({ signIn: false });
  browser = await launchBrowser();
  watched = await openPage(browser.context, server.uiUrl);
  page = watched.page;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a store’s people', () => {
  it('the first start asks who works here and makes the first manager, signed in with every right', async () => {
    const form = page.getByRole('form', { name: 'First start' });
    await form.getByRole('radio', { name: 'People sign in' }).waitFor();
    await form.getByRole('textbox', { name: 'Name' }).fill(ADMIN.name);
    await form.getByLabel('PIN', { exact: true }).fill(ADMIN.pin);
    await form.getByLabel('PIN again').fill(ADMIN.pin);
    await form.getByRole('button', { name: 'Add and sign in' }).click();
    await expect.poll(() => person().textContent()).toBe(`${ADMIN.name} · Administrator`);
    // The harness signs her in over RPC too, and adds a clerk with a badge as she would.
    await server.signInAdmin();
    await rpcCall(server, 'people.create', {
      name: CARL.name,
      role: 'clerk',
      pin: CARL.pin,
      badge: CARL.badge,
    });
  });

  it('a badge scanned anywhere switches the person in one step', async () => {
    await goTo(page, 'Transactions');
    await page.evaluate('document.activeElement?.blur()');
    // A scanner: the barcode at machine speed, then Enter.
    await page.keyboard.type(CARL.badge, { delay: 0 });
    await page.keyboard.press('Enter');
    await expect.poll(() => person().textContent()).toBe(`${CARL.name} · Clerk`);
    // The People page is a manager's: it left the navigation with her.
    expect(
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'People' }).count(),
    ).toBe(0);
  });

  it('a clerk is refused a manager’s action in words that name the role it needs', async () => {
    await goTo(page, 'Settings');
    await page.getByText('Changing settings needs a manager: ask one to sign in.').waitFor();
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    // Main refuses it too, whatever the window shows: the clerk's own session over HTTP.
    const clerkSession = await page.evaluate<string | null>("sessionStorage.getItem('store-ledger-session')");
    const refused = await rpcReply(server, 'settings.update', { enableFeature: false }, clerkSession);
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'Changing settings needs a manager: ask one to sign in.' },
    });
  });

  it('wrong PINs (on the PIN pad) warn first, then lock sign-in, in words', async () => {
    await page.getByRole('button', { name: 'Switch person' }).click();
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.waitFor();
    const name = page.getByRole('combobox', { name: 'Your name' });
    await name.focus();
    await page.keyboard.type(CARL.name, { delay: 60 });
    await page.keyboard.press('Enter');
    const pad = page.getByRole('group', { name: 'PIN pad' });
    const wrongPin = async () => {
      for (const digit of '9999') await pad.getByRole('button', { name: digit, exact: true }).click();
      // Each attempt answered before the next: the PIN field clears when the answer comes.
      const answered = page.waitForResponse('**/rpc/session.signIn');
      await form.getByRole('button', { name: 'Sign in' }).click();
      await answered;
    };
    for (let i = 0; i < 2; i++) {
      await wrongPin();
      await page.getByText('That PIN is not Carl Clerk’s.', { exact: true }).waitFor();
    }
    await wrongPin();
    await page
      .getByText('That PIN is not Carl Clerk’s. 2 more wrong PINs and sign-in waits 1 minute.')
      .waitFor();
    await wrongPin();
    await page
      .getByText('That PIN is not Carl Clerk’s. 1 more wrong PIN and sign-in waits 1 minute.')
      .waitFor();
    await wrongPin();
    await page
      .getByText(
        'That PIN is not Carl Clerk’s. Too many wrong PINs for Carl Clerk: sign-in waits 1 minute. A manager can set a new PIN under People.',
      )
      .waitFor();
    // Even the right PIN waits now.
    await page.getByLabel('PIN', { exact: true }).focus();
    await page.keyboard.type(CARL.pin, { delay: 120 });
    await page.keyboard.press('Enter');
    await page
      .getByText(
        /^Too many wrong PINs for Carl Clerk: sign-in waits (1 minute|\d+ seconds)\. A manager can set a new PIN to end the wait\.$/,
      )
      .waitFor();
    expect(await form.isVisible()).toBe(true);
  });

  it('the next person signs in with the keyboard alone: name, Enter, PIN, Enter', async () => {
    await signInAs(page, ADMIN);
    await expect.poll(() => person().textContent()).toBe(`${ADMIN.name} · Administrator`);
  });

  it('logged no console error', () => {
    expect(watched.errors, `server output:\n${server.output}`).toEqual([]);
  });
});
