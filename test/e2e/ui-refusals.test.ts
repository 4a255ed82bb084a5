// Where the clerk looks, at 1024x700: a refusal's cause and what to do without opening the line,
// the drawer leading with them and the one action that fixes it, Sync status acting per cause,
// counts that say what they count, and voided lines saying so everywhere.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apiPost,
  browserSession,
  goTo,
  itLoggedNoConsoleError,
  line,
  rpcCall,
  type Stack,
  screenshot,
  until,
} from './harness';

let stack: Stack;
let page: Page;

interface Agg {
  aggregatedLineId: string;
  productId: string;
  status: string;
  updatedAt: string;
}
const aggregated = async (productId: string): Promise<Agg> =>
  (await rpcCall<{ value: Agg[] }>(stack.server, 'aggregated.list', { productId })).value[0]!;
const status = () =>
  rpcCall<{ aggregatedCounts: Record<string, number>; lineCounts: Record<string, number> }>(
    stack.server,
    'sync.status',
  );
const syncUntil = async (what: string, done: () => Promise<boolean>) =>
  until(
    async () => {
      await rpcCall(stack.server, 'sync.run', { job: 'all' });
      return done();
    },
    45_000,
    what,
  );

const session = browserSession(async (seeded) => {
  stack = seeded;
  await rpcCall(seeded.server, 'masterData.refresh', {});
  await apiPost(seeded, [
    line('ok-1', 'D0001', 5, { externalReferenceId: 'OK-1' }),
    line('item-1', 'ZZ9999', 3, { externalReferenceId: 'ITEM-1' }),
    line('item-2', 'T0001M0001', 2, { externalReferenceId: 'ITEM-2' }),
    line('name-1', 'D0005', 2, { externalReferenceId: 'NAME-1', fnoJournalNameId: 'NOPE' }),
  ]);
  await syncUntil('three lines refused', async () => (await status()).aggregatedCounts.FnOCreateError === 3);
  // An issue of an item SCM has none of: its journal is created and SCM's posting job passes it
  // over once a later journal of ours posts.
  await apiPost(seeded, [line('neg-1', 'T0002', -5, { externalReferenceId: 'NEG-1' })]);
  await syncUntil('the issue created in SCM', async () => (await aggregated('T0002')).status !== 'Created');
  await apiPost(seeded, [line('later-1', 'D0006', 4, { externalReferenceId: 'LATER-1' })]);
  await syncUntil('the issue passed over', async () => (await status()).aggregatedCounts.FnOPostError === 1);
  // From here the clerk acts: no timer sends anything meanwhile.
  await rpcCall(seeded.server, 'settings.update', {
    transactions: { periodicSyncToIV: false, periodicSyncToFno: false },
  });
  await apiPost(seeded, [
    line('void-1', 'D0007', 9, { externalReferenceId: 'VOID-1' }),
    line('wait-1', 'D0008', 1, { externalReferenceId: 'WAIT-1' }),
  ]);
  const lines = await rpcCall<{ value: { lineRecordId: string }[] }>(seeded.server, 'lines.list', {
    externalReferenceId: 'VOID-1',
  });
  await rpcCall(seeded.server, 'lines.void', {
    lineRecordId: lines.value[0]!.lineRecordId,
    reason: 'Scanned twice',
  });
});
beforeAll(async () => {
  ({ page } = session);
  await page.setViewportSize({ width: 1024, height: 700 });
});

/** A row of a grid by a cell's text. */
const rowOf = (grid: Locator, text: string) =>
  grid.locator('tbody tr').filter({ has: page.getByRole('gridcell', { name: text, exact: true }) });

/** Keyboard: focus a control and press Enter, as Tab and Enter would. */
async function activate(control: Locator): Promise<void> {
  await control.focus();
  await page.keyboard.press('Enter');
}

const rightEdge = (l: Locator) => l.evaluate((e) => e.getBoundingClientRect().right);

describe('where the clerk looks', () => {
  it("shows a refusal's cause and what to do in the grid, and the failed list fits at 1024 px", async () => {
    // The header's failure count opens the failed aggregated lines.
    await activate(page.getByTestId('failing'));
    const grid = page
      .getByRole('tabpanel', { name: 'Aggregated' })
      .getByRole('grid', { name: 'Aggregated lines' });
    await expect.poll(() => grid.locator('tbody tr').count()).toBe(4);
    const preview = async (product: string) =>
      (await rowOf(grid, product).getByTestId('refusal-preview').textContent()) ?? '';
    expect(await preview('ZZ9999')).toBe(
      'SCM does not know item ZZ9999 in usmf→ Check the item number or release it in SCM, then Retry',
    );
    expect(await preview('T0001M0001')).toContain('SCM does not know item T0001M0001 in usmf');
    // The journal's header was refused: its reason, the journal name, is the cause.
    expect(await preview('D0005')).toBe(
      'SCM does not know journal name NOPE in usmf→ Create the journal name in SCM, then Retry',
    );
    expect(await preview('T0002')).toBe(
      'Posting would take item T0002 below zero on-hand→ Count the item or post its receipt first',
    );
    // Quantity is in view, inside the grid's own box, without scrolling it sideways.
    const visibleRight = await grid.evaluate(
      (t) =>
        (t as unknown as { closest(s: string): { getBoundingClientRect(): { right: number } } })
          .closest('.mantine-ScrollArea-viewport')
          .getBoundingClientRect().right,
    );
    expect(visibleRight).toBeLessThanOrEqual(1024);
    const quantity = grid.locator('thead th').filter({ hasText: /^Quantity/ });
    expect(await rightEdge(quantity)).toBeLessThanOrEqual(visibleRight);
    for (const cell of await grid.locator('tbody tr td:nth-child(6)').all())
      expect(await rightEdge(cell)).toBeLessThanOrEqual(visibleRight);
    await screenshot(page, 'transactions-failed-1024', { fullPage: false });

    // The detailed line says the same under In SCM.
    await activate(page.getByRole('tab', { name: 'Detailed' }));
    const detailed = page
      .getByRole('tabpanel', { name: 'Detailed' })
      .getByRole('grid', { name: 'Detailed lines' });
    await expect
      .poll(() => rowOf(detailed, 'ITEM-1').getByTestId('refusal-preview').textContent())
      .toContain('SCM does not know item ZZ9999 in usmf');
  });

  it('leads the drawer with the cause, what to do and the one action that fixes it', async () => {
    await activate(page.getByRole('tab', { name: 'Aggregated' }));
    const grid = page
      .getByRole('tabpanel', { name: 'Aggregated' })
      .getByRole('grid', { name: 'Aggregated lines' });
    await rowOf(grid, 'T0002').locator('td').first().focus();
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog', { name: 'Aggregated line' });
    const error = drawer.getByTestId('upstream-error');
    await error
      .getByTestId('refusal-cause')
      .getByText('Posting would take item T0002 below zero on-hand')
      .waitFor();
    expect(await error.getByTestId('refusal-todo').textContent()).toContain(
      'Count T0002 (Count), or post its receipt',
    );
    // The first action is the one that fixes it: count the item.
    const first = error.getByTestId('refusal-actions').locator('a, button').first();
    expect(await first.textContent()).toBe('Count T0002');
    expect(await first.getAttribute('href')).toBe('#/count');
    await screenshot(page, 'aggregated-error-negative', { fullPage: false });
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    await rowOf(grid, 'ZZ9999').locator('td').first().focus();
    await page.keyboard.press('Enter');
    await error.getByTestId('refusal-cause').getByText('SCM does not know item ZZ9999 in usmf').waitFor();
    expect(await error.getByTestId('refusal-actions').locator('button').first().textContent()).toBe(
      'Retry this line',
    );
    // SCM's words stay, whole, after the cause.
    expect(await error.getByTestId('refusal-said').textContent()).toContain(
      "The value 'ZZ9999' in field 'Item number' is not found",
    );
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });

  it('counts what it says: not synced apart from waiting for SCM posting; voided lines say so', async () => {
    // Not synced: the line not yet in IV, and the three SCM refused before creating them.
    await expect.poll(() => page.getByTestId('unsynced').textContent()).toBe('4 not synced');
    expect(await page.getByTestId('awaiting-posting').textContent()).toBe('1 awaiting SCM posting');
    expect(await page.getByTestId('failing').textContent()).toBe('4 failed in SCM');
    await goTo(page, 'Sync status');
    expect(await page.getByTestId('count-unsynced').textContent()).toMatch(/not yet created in SCM4$/);
    expect(await page.getByTestId('count-awaiting-posting').textContent()).toMatch(/posting job1$/);
    expect(await page.getByTestId('count-line-Voided').textContent()).toMatch(/1$/);

    // The grid's status filter takes Voided, and the voided line says it never goes to SCM.
    await goTo(page, 'Inventory transactions');
    await activate(page.getByRole('tab', { name: 'Detailed' }));
    const panel = page.getByRole('tabpanel', { name: 'Detailed' });
    await panel.getByRole('button', { name: 'Clear filters' }).click();
    await panel.getByRole('combobox', { name: 'Status' }).focus();
    await page.keyboard.type('Voided');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    const grid = panel.getByRole('grid', { name: 'Detailed lines' });
    await expect.poll(() => grid.locator('tbody tr').count()).toBe(1);
    expect(await rowOf(grid, 'VOID-1').textContent()).toContain('voided: never sent');
    await rowOf(grid, 'VOID-1').locator('td').first().focus();
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog', { name: 'Detailed line' });
    expect(await drawer.getByTestId('line-scm').textContent()).toContain(
      'never: the line was voided before it left the ledger',
    );
    // biome-ignore lint/performance/useDomNodeTextContent: what shows, not hidden markup
    expect(await drawer.innerText()).not.toContain(
      'the line is aggregated after Inventory Visibility has it',
    );
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await panel.getByRole('button', { name: 'Clear filters' }).click();
  });

  it('groups Sync status by cause; Retry and DoNotSync act on one group, not across groups', async () => {
    await goTo(page, 'Sync status');
    const group = (cause: string) =>
      page
        .getByTestId('error-group')
        .filter({ has: page.getByTestId('group-cause').getByText(cause, { exact: true }) });
    const zz = group('SCM does not know item ZZ9999 in usmf');
    const t1 = group('SCM does not know item T0001M0001 in usmf');
    await zz.waitFor();
    await t1.waitFor();
    expect(await page.getByTestId('error-group').count()).toBe(4);
    expect(await zz.getByTestId('group-todo').textContent()).toContain('release the product in usmf in SCM');

    // Its lines, as a table whose Quantity fits at 1024 px.
    await activate(zz.getByRole('button', { name: 'Show lines' }));
    const lines = zz.getByRole('table');
    await lines.getByRole('cell', { name: 'ZZ9999' }).waitFor();
    expect(await rightEdge(lines.getByRole('columnheader', { name: 'Quantity' }))).toBeLessThanOrEqual(1024);
    expect(await rightEdge(lines.getByRole('cell', { name: '3', exact: true }))).toBeLessThanOrEqual(1024);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);
    await screenshot(page, 'sync-status-causes');

    // Retry in ZZ9999's group queues ZZ9999 again, and only it (SCM may refuse it again meanwhile:
    // SCM's job keeps following the unposted journal).
    const before = {
      zz: await aggregated('ZZ9999'),
      t1: await aggregated('T0001M0001'),
      name: await aggregated('D0005'),
    };
    await activate(zz.getByRole('button', { name: 'Retry this line' }));
    await expect.poll(async () => (await aggregated('ZZ9999')).updatedAt).not.toBe(before.zz.updatedAt);
    expect(await aggregated('T0001M0001')).toEqual(before.t1);
    expect(await aggregated('D0005')).toEqual(before.name);

    // DoNotSync in T0001M0001's group sets aside T0001M0001, and only it.
    await activate(t1.getByRole('button', { name: 'Mark this line DoNotSync…' }));
    const dialog = page.getByRole('dialog', { name: 'Mark DoNotSync' });
    await dialog.getByRole('textbox', { name: /Reason/ }).waitFor();
    await expect.poll(() => page.evaluate('document.activeElement?.tagName')).toBe('TEXTAREA');
    await page.keyboard.type('Test item, never stocked here');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(async () => (await aggregated('T0001M0001')).status).toBe('DoNotSync');
    expect((await aggregated('ZZ9999')).status).not.toBe('DoNotSync');
    expect(await aggregated('D0005')).toEqual(before.name);
    expect((await aggregated('T0002')).status).toBe('FnOPostError');
    await expect
      .poll(async () => page.getByTestId('error-group').filter({ hasText: 'T0001M0001' }).count())
      .toBe(0);
  });

  itLoggedNoConsoleError(session);
});
