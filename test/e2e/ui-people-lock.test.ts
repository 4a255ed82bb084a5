// The first start's other choice, and the auto-lock, in Chromium against `npm run serve`:
// "single clerk, no sign-in" says what it gives up and keeps today's behaviour; a window left
// alone for the setting's minutes goes back to the sign-in screen, saying why, and its session
// ends on the server too. The page's clock is Playwright's (https://playwright.dev/docs/clock):
// a minute passes without a minute's wait.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SINGLE_CLERK_GIVES_UP } from '../../src/shared/people';
import {
  ADMIN,
  launchBrowser,
  openPage,
  rpcCall,
  rpcReply,
  ServerProcess,
  signInAs,
  tempDir,
  type WatchedPage,
} from './harness';

let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
const servers: ServerProcess[] = [];
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});
afterAll(async () => {
  for (const s of servers) await s.stop();
});

async function freshServer(signIn: boolean): Promise<ServerProcess> {
  const server = new ServerProcess(tempDir('people-lock'), undefined);
  servers.push(server);
  await server.start({ signIn });
  return server;
}

describe('the first start and the auto-lock', () => {
  it('single clerk, no sign-in, says what it gives up, and then nobody signs in', async () => {
    const server = await freshServer(false);
    browser = await launchBrowser();
    const watched: WatchedPage = await openPage(browser.context, server.uiUrl);
    const { page } = watched;
    const form = page.getByRole('form', { name: 'First start' });
    const single = form.getByRole('radio', { name: 'Single clerk, no sign-in' });
    await single.waitFor();
    // What it gives up is said where it is chosen.
    await form.getByText(SINGLE_CLERK_GIVES_UP).waitFor();
    await single.check();
    await form.getByRole('button', { name: 'Use single clerk' }).click();
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    await page.getByText(/ · single clerk$/).waitFor();
    // A reload (or the next start) goes straight to the pages.
    await page.reload();
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    expect(await page.getByRole('form', { name: 'Sign in' }).count()).toBe(0);
    expect((await rpcCall<{ mode: string }>(server, 'session.get')).mode).toBe('single-clerk');
    expect(watched.errors).toEqual([]);
  });

  it('after the setting’s minutes without use the window locks, says why, and its session ends', async () => {
    const server = await freshServer(true);
    await rpcCall(server, 'settings.update', { signIn: { autoLockMinutes: 1 } });
    browser = await launchBrowser();
    // The page's timers run on a clock the test moves.
    await browser.context.clock.install();
    const watched = await openPage(browser.context, server.uiUrl);
    const { page } = watched;
    await page.getByTestId('signed-in-person').getByText(`${ADMIN.name} · Administrator`).waitFor();
    const session = await page.evaluate<string | null>("sessionStorage.getItem('store-ledger-session')");
    expect((await rpcReply(server, 'lines.list', {}, session)).ok).toBe(true);

    // Use resets the wait: 50 s, a key press, 50 s more, and still signed in.
    await page.clock.fastForward(50_000);
    await page.keyboard.press('Shift');
    await page.clock.fastForward(50_000);
    expect(await page.getByTestId('signed-in-person').isVisible()).toBe(true);

    await page.clock.fastForward(15_000);
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.waitFor();
    await form.getByRole('status').getByText('Locked after 1 minute without use.').waitFor();
    expect(await rpcReply(server, 'lines.list', {}, session)).toMatchObject({
      ok: false,
      error: { code: 'signed_out' },
    });
    await signInAs(page, ADMIN);
    await page.getByTestId('signed-in-person').waitFor();
    expect(watched.errors).toEqual([]);
  });
});
