// A manager's approval where the clerk stands, keyboard only at 1024x700 in Debian's chromium:
// DoNotSync on a line SCM refused, a count's Apply and Enable feature turned off on Settings are
// each tried by the clerk, refused for want of a manager, and let through by a manager's PIN typed
// in the dialog that opens (cancelled, nothing changes); the audit trail names both people.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEventView } from '../../src/shared/audit';
import {
  apiPost,
  browserSession,
  focusedLabel,
  goTo,
  itLoggedNoConsoleError,
  line,
  rpcCall,
  type Stack,
  signInAs,
  until,
} from './harness';

const CLERK = { name: 'Carl Clerk', pin: '1357' };
const MANAGER = { name: 'Mia Manager', pin: '4321' };
const MANAGER_APPROVES = 'A manager approves this with their PIN or badge.';

let stack: Stack;
let page: Page;

interface Agg {
  aggregatedLineId: string;
  status: string;
  statusReason: string | null;
}
const refused = async (): Promise<Agg | undefined> =>
  (await rpcCall<{ value: Agg[] }>(stack.server, 'aggregated.list', { productId: 'ZZ9999' })).value[0];

const session = browserSession(async (s) => {
  stack = s;
  await rpcCall(s.server, 'settings.update', { defaultOrganizationId: 'usmf' });
  await rpcCall(s.server, 'masterData.refresh', {});
  await rpcCall(s.server, 'people.create', { name: CLERK.name, role: 'clerk', pin: CLERK.pin });
  await rpcCall(s.server, 'people.create', { name: MANAGER.name, role: 'manager', pin: MANAGER.pin });
  // A line SCM refuses: an item it does not know.
  await apiPost(s, [line('zz-1', 'ZZ9999', 3, { externalReferenceId: 'ZZ-1' })]);
  await until(
    async () => {
      await rpcCall(s.server, 'sync.run', { job: 'all' });
      return (await refused())?.status === 'FnOCreateError';
    },
    30_000,
    'the line refused by SCM',
  );
  // From here the clerk acts: no timer sends anything meanwhile.
  await rpcCall(s.server, 'settings.update', {
    transactions: { periodicSyncToIV: false, periodicSyncToFno: false },
  });
});
beforeAll(async () => {
  ({ page } = session);
  await page.setViewportSize({ width: 1024, height: 700 });
  await activate(page.getByRole('button', { name: 'Switch person' }));
  await page.getByRole('form', { name: 'Sign in' }).waitFor();
  await signInAs(page, CLERK);
  await page.getByTestId('signed-in-person').filter({ hasText: CLERK.name }).waitFor();
});

const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 10_000 });

/** Keyboard: focus a control and press Enter, as Tab and Enter would. */
async function activate(control: Locator): Promise<void> {
  await control.focus();
  await page.keyboard.press('Enter');
}

const approval = () => page.getByRole('dialog', { name: 'A manager must approve' });

/** In the approval dialog: the manager's name by its first letter, Tab, the PIN, Enter. */
async function approveWithPin(): Promise<void> {
  await approval().getByRole('combobox', { name: 'Manager' }).focus();
  await page.keyboard.press('M');
  await page.keyboard.press('Tab');
  await page.keyboard.type(MANAGER.pin, { delay: 60 });
  await page.keyboard.press('Enter');
  await approval().waitFor({ state: 'hidden' });
}

/** Tab (never the mouse) until the focused element is the one named. */
async function tabTo(name: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const focused = await page.evaluate<string>(
      "(document.activeElement?.getAttribute('aria-label') || document.activeElement?.labels?.[0]?.textContent || document.activeElement?.textContent || '').trim()",
    );
    if (focused === name) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${name}`);
}

describe('a clerk, with a manager’s PIN', () => {
  it('marks a line SCM refused DoNotSync; cancelled, nothing changes', async () => {
    await goTo(page, 'Transactions');
    await activate(page.getByRole('tab', { name: 'Aggregated' }));
    const grid = page
      .getByRole('tabpanel', { name: 'Aggregated' })
      .getByRole('grid', { name: 'Aggregated lines' });
    await activate(
      grid
        .locator('tbody tr')
        .filter({ has: page.getByRole('gridcell', { name: 'ZZ9999', exact: true }) })
        .locator('td')
        .first(),
    );
    const drawer = page.getByRole('dialog', { name: 'Aggregated line' });
    const actions = drawer.getByTestId('refusal-actions');
    // Enabled for the clerk, and saying who approves it.
    await actions.getByTestId('manager-approves').getByText(MANAGER_APPROVES).waitFor();
    const mark = actions.getByRole('button', { name: 'Mark this line DoNotSync…' });
    expect(await mark.isEnabled()).toBe(true);

    await activate(mark);
    const reason = page.getByRole('dialog', { name: 'Mark DoNotSync' });
    await reason.getByRole('textbox', { name: 'Reason' }).waitFor();
    await poll(() => focusedLabel(page)).toBe('Reason');
    await page.keyboard.type('Not our item', { delay: 20 });
    await page.keyboard.press('Enter');
    await approval().getByText('Marking lines DoNotSync needs a manager.').waitFor();
    // Escape cancels the manager's dialog only: the reason dialog and the drawer stay, the
    // refusal stands in the reason dialog, and the line is as it was.
    await page.keyboard.press('Escape');
    await approval().waitFor({ state: 'hidden' });
    expect(await reason.isVisible()).toBe(true);
    expect(await drawer.isVisible()).toBe(true);
    await reason.getByText('Marking lines DoNotSync needs a manager: ask one to sign in.').waitFor();
    expect(await refused()).toMatchObject({ status: 'FnOCreateError' });

    // Again, and the manager types their PIN: marked, with the clerk's reason.
    await activate(reason.getByRole('textbox', { name: 'Reason' }));
    await approval().getByText('Marking lines DoNotSync needs a manager.').waitFor();
    await approveWithPin();
    await reason.waitFor({ state: 'hidden' });
    await poll(refused).toMatchObject({ status: 'DoNotSync', statusReason: 'Not our item' });
    await drawer.getByText('Not sent to SCM because:').waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });

  it('applies a count: the lines are the clerk’s, approved by the manager', async () => {
    await goTo(page, 'Count');
    await page.getByRole('form', { name: 'Start a count' }).waitFor();
    await poll(() => page.getByRole('textbox', { name: 'Organization' }).inputValue()).toBe('usmf');
    await poll(() => focusedLabel(page)).toBe('Count reference');
    await page.keyboard.type('CNT-OVR');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('13');
    await page.keyboard.press('Enter');
    await poll(() => focusedLabel(page)).toBe('Barcode or item number');
    await page.keyboard.type('D0001');
    await page.keyboard.press('Enter');
    await page.keyboard.type('97');
    await page.keyboard.press('Enter');
    const rows = page.getByRole('table', { name: 'Counted items' }).locator('tbody tr');
    await poll(() => rows.nth(0).textContent()).toMatch(/^D000197IV 100 when counted/);

    await tabTo('Apply with a manager’s approval…');
    await page.keyboard.press('Enter');
    await approval().getByText('Applying a count needs a manager.').waitFor();
    await approveWithPin();
    await page.getByRole('status').filter({ hasText: 'Applied: 1 adjustment line entered' }).waitFor();
    const lines = await rpcCall<{ value: object[] }>(stack.server, 'lines.list', {
      externalReferenceId: 'CNT-OVR',
    });
    expect(lines.value).toMatchObject([
      { productId: 'D0001', quantity: -3, createdBy: CLERK.name, approvedBy: MANAGER.name },
    ]);
  });

  it('corrects another person’s line: the reversing line is the clerk’s, approved by the manager', async () => {
    const byTill = await rpcCall<{ value: { lineRecordId: string }[] }>(stack.server, 'lines.list', {
      externalReferenceId: 'ZZ-1',
    });
    await page.goto(
      `${stack.server.uiUrl.split('#')[0]}#/transactions?tab=detailed&line=${byTill.value[0]!.lineRecordId}`,
    );
    const drawer = page.getByRole('dialog', { name: 'Detailed line' });
    await activate(drawer.getByRole('button', { name: 'Correct with a manager’s approval…' }));
    const correct = page.getByRole('dialog', { name: 'Correct this line' });
    const post = correct.getByRole('button', { name: 'Post the reversing line' });
    await poll(() => post.evaluate((b) => b === b.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await approval().getByText('Correcting another person’s line needs a manager.').waitFor();
    await approveWithPin();
    await correct.waitFor({ state: 'hidden' });
    const lines = await rpcCall<{ value: object[] }>(stack.server, 'lines.list', { productId: 'ZZ9999' });
    expect(lines.value).toContainEqual(
      expect.objectContaining({ quantity: -3, createdBy: CLERK.name, approvedBy: MANAGER.name }),
    );
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });

  it('turns off Enable feature on Settings; the audit trail names the clerk and the manager', async () => {
    await goTo(page, 'Settings');
    await page.getByTestId('manager-approves').getByText(MANAGER_APPROVES, { exact: false }).waitFor();
    // The connection stays an administrator's.
    expect(await page.getByRole('textbox', { name: 'Tenant ID' }).isDisabled()).toBe(true);
    const feature = page.getByRole('switch', { name: 'Enable feature' });
    expect(await feature.isChecked()).toBe(true);
    await feature.focus();
    await page.keyboard.press('Space');
    expect(await feature.isChecked()).toBe(false);
    await activate(page.getByRole('button', { name: 'Save' }));
    await approval().getByText('Changing settings needs a manager.').waitFor();
    await approveWithPin();
    await page.getByText('Settings saved').waitFor();
    expect(await rpcCall(stack.server, 'settings.get')).toMatchObject({ enableFeature: false });

    const audit = await rpcCall<{ value: AuditEventView[] }>(stack.server, 'audit.list', {
      action: 'settings.update',
      outcome: 'done',
      top: 10,
    });
    const approved = audit.value.filter((e) => (e.target as { approvedBy?: string })?.approvedBy);
    expect(approved).toMatchObject([
      {
        actor: { name: CLERK.name },
        target: { approvedBy: MANAGER.name },
        oldValue: { enableFeature: true },
        newValue: { enableFeature: false },
      },
    ]);
  });
});

itLoggedNoConsoleError(session);
