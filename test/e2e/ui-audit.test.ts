// The Audit trail page, as a manager opens it: who did what, on which PC and when (this PC's time,
// never raw UTC), filtered by person; a clerk's refused change is there under the clerk's name.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apiPost,
  browserSession,
  goTo,
  itLoggedNoConsoleError,
  line,
  rpcCall,
  rpcReply,
  signInIfAsked,
} from './harness';

let page: Page;

const session = browserSession(async (stack) => {
  await rpcCall(stack.server, 'people.create', { name: 'Carl Clerk', role: 'clerk', pin: '1357' });
  const carl = (await rpcCall<{ personId: string; name: string }[]>(stack.server, 'people.list')).find(
    (p) => p.name === 'Carl Clerk',
  )!;
  const signIn = await rpcReply(
    stack.server,
    'session.signIn',
    { personId: carl.personId, pin: '1357' },
    null,
  );
  expect(signIn.ok).toBe(true);
  const refused = await rpcReply(stack.server, 'settings.update', { enableFeature: false }, signIn.session);
  expect(refused.error?.code).toBe('forbidden');
  await apiPost(stack, [line('audit-1', 'D0001', 2), line('audit-2', 'D0002', 3)]);
});
beforeAll(() => {
  ({ page } = session);
});

describe('the Audit trail page', () => {
  it('opens from the navigation and filters by person', async () => {
    await signInIfAsked(page);
    await goTo(page, 'Audit trail');
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    const table = page.getByRole('table', { name: 'Audit trail' });
    await expect.poll(() => table.getByRole('row').count(), { timeout: 10_000 }).toBeGreaterThan(3);
    // The store system's bulk is one row of its key.
    await expect.poll(() => table.getByText('Till 1 (API key)').count()).toBe(1);

    await page.getByRole('textbox', { name: 'Person' }).fill('carl');
    await expect
      .poll(async () => (await table.locator('tbody tr').allInnerTexts()).length, { timeout: 10_000 })
      .toBe(2);
    const rows = await table.locator('tbody tr').allInnerTexts();
    for (const row of rows) expect(row).toContain('Carl Clerk');
    expect(rows.join('\n')).toContain('Changing settings');
    expect(rows.join('\n')).toContain('Refused (forbidden)');
    expect(rows.join('\n')).toContain('Signed in');
    // Times in this PC's words, never a raw UTC timestamp.
    expect(rows.join('\n')).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    await expect.poll(() => page.getByText('2 events').count()).toBe(1);
  });

  it('checks the trail on request and says it matches', async () => {
    await page.getByRole('button', { name: 'Check the trail' }).click();
    await page.getByText('The trail matches the ledger').waitFor({ timeout: 20_000 });
    expect(await page.getByText(/nothing was changed behind Store Ledger/).count()).toBe(1);
  });
});

itLoggedNoConsoleError(session);
