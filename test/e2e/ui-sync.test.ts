// The UI over the sync engine: a line to FnOPosted and back, SCM refusing an unknown item,
// and the offline indicator. Chromium against `npm run serve` and the upstream emulator.
import type { Page } from 'playwright-core';
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
} from './harness';

let stack: Stack;
let page: Page;

/** Presses *Sync now* until `done` holds: a run may leave journals still importing in SCM. */
async function syncUntil(done: () => Promise<boolean>, timeoutMs = 45_000): Promise<void> {
  await goTo(page, 'Sync status');
  const button = page.getByRole('button', { name: 'Sync now' });
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('sync did not get there in time');
    await button.click();
    // The button shows a loader while the run is going, then comes back.
    await expect.poll(() => button.getAttribute('data-loading'), { timeout: 30_000 }).toBeNull();
  }
}

const aggregatedCount = async (status: string) =>
  Number(await page.getByTestId(`count-agg-${status}`).locator('p').textContent());

const session = browserSession();
beforeAll(async () => {
  ({ stack, page } = session);
});

describe('the UI over the sync engine', () => {
  it('follows a posted line to FnOPosted, to its aggregated line and back', async () => {
    await goTo(page, 'Create transaction');
    // A fresh ledger with no default organization in its settings: the form starts blank there.
    await page.locator('input').and(page.getByLabel('Organization')).fill('usmf');
    await page.getByRole('textbox', { name: 'Product' }).fill('D0001');
    await page.getByRole('textbox', { name: 'Site' }).fill('1');
    await page.getByRole('textbox', { name: 'Warehouse' }).fill('13');
    await page.getByRole('textbox', { name: 'Quantity' }).fill('4');
    await page.getByRole('textbox', { name: 'External reference ID' }).fill('SYNC-1');
    await page.getByRole('textbox', { name: 'External reference ID' }).press('Enter');
    await page.getByTestId('posted-confirmation').waitFor();

    await syncUntil(async () => (await aggregatedCount('FnOPosted')) >= 1);
    await expect.poll(() => page.getByTestId('upstream-iv').getAttribute('data-state')).toBe('online');
    await expect.poll(() => page.getByTestId('upstream-scm').getAttribute('data-state')).toBe('online');

    await goTo(page, 'Inventory transactions');
    const panel = page.getByRole('tabpanel', { name: 'Detailed' });
    await panel.getByRole('textbox', { name: 'External reference ID' }).fill('SYNC-1');
    await panel
      .getByRole('grid', { name: 'Detailed lines' })
      .getByRole('gridcell', { name: 'SYNC-1' })
      .click();
    const lineDrawer = page.getByRole('dialog', { name: 'Detailed line' });
    await lineDrawer.locator('[data-field="Status"]').getByText('Aggregated').waitFor();
    await lineDrawer.getByRole('link', { name: 'Open aggregated line' }).click();

    const aggDrawer = page.getByRole('dialog', { name: 'Aggregated line' });
    await aggDrawer.locator('[data-field="Status"]').getByText('FnOPosted').waitFor();
    expect(await aggDrawer.locator('[data-field="Journal number"]').textContent()).not.toBe('—');
    expect(await aggDrawer.locator('[data-field="Journal line number"]').textContent()).toMatch(/^\d+$/);
    const scmLink = aggDrawer.getByRole('link', { name: /Open the adjustment journals in SCM/ });
    expect(await scmLink.getAttribute('href')).toBe(
      `${stack.emulator.credentials.fnoEnvironmentUrl}/?cmp=usmf&mi=InventJournalTableLossProfit`,
    );
    await screenshot(page, 'aggregated-line', { fullPage: false });

    await aggDrawer.getByRole('link', { name: /Show its \d+ detailed line/ }).click();
    await aggDrawer.waitFor({ state: 'hidden' });
    const grid = page.getByRole('grid', { name: 'Detailed lines' });
    await grid.getByRole('gridcell', { name: 'SYNC-1' }).waitFor();
    await page.getByRole('link', { name: 'Back to the aggregated line' }).click();
    await aggDrawer.locator('[data-field="Status"]').getByText('FnOPosted').waitFor();
    await page.keyboard.press('Escape');
    await aggDrawer.waitFor({ state: 'hidden' });
    // Opened from the detailed line, the aggregated drawer closes back onto it.
    await page.getByRole('tab', { name: 'Detailed' }).click();
    await grid.getByRole('gridcell', { name: 'SYNC-1' }).click();
    await lineDrawer.getByRole('link', { name: 'Open aggregated line' }).click();
    await aggDrawer.waitFor();
    await page.keyboard.press('Escape');
    await lineDrawer.locator('[data-field="Status"]').getByText('Aggregated').waitFor();
    expect(await lineDrawer.getByTestId('line-scm').textContent()).toContain('FnOPosted');
    await page.keyboard.press('Escape');
    await lineDrawer.waitFor({ state: 'hidden' });
  }, 90_000);

  it('shows SCM refusing an unknown item in plain words, then marks it DoNotSync', async () => {
    // The store's copy of SCM's master data is fresh: the line is entered with its caution.
    await rpcCall(stack.server, 'masterData.refresh', {});
    await apiPost(stack, [line('unknown-1', 'ZZ9999', 3, { externalReferenceId: 'UNKNOWN-1' })]);
    await syncUntil(async () => (await aggregatedCount('FnOCreateError')) >= 1);

    // The header counts the failure, and the detailed line shows SCM's outcome.
    const failing = page.getByTestId('failing');
    await expect.poll(() => failing.textContent()).toBe('1 failed in SCM');
    await goTo(page, 'Inventory transactions');
    const panel = page.getByRole('tabpanel', { name: 'Detailed' });
    // The grid kept the first test's filter for the session: the clerk clears it.
    expect(await panel.getByRole('textbox', { name: 'External reference ID' }).inputValue()).toBe('SYNC-1');
    await panel.getByRole('button', { name: 'Clear filters' }).click();
    await panel.getByRole('textbox', { name: 'Product' }).fill('ZZ9999');
    const row = panel.getByRole('grid', { name: 'Detailed lines' }).getByRole('row', { name: /ZZ9999/ });
    await row.getByText('FnOCreateError').waitFor();
    await row.click();
    const lineScm = page.getByRole('dialog', { name: 'Detailed line' }).getByTestId('line-scm');
    await lineScm.getByText("is not found in the related table 'Items'", { exact: false }).waitFor();
    expect(await lineScm.textContent()).toContain('SCM could not create the journal line');
    // What the store's copy of the master data said at entry, beside SCM's refusal.
    const atEntry = lineScm.getByTestId('entry-check');
    await atEntry.getByText("Unknown to the store's copy too, when it was entered").waitFor();
    expect(await atEntry.textContent()).toContain('ZZ9999');
    await screenshot(page, 'detailed-line-scm-error', { fullPage: false });
    await page.keyboard.press('Escape');
    await panel.getByRole('textbox', { name: 'Product' }).fill('');
    await failing.click();
    const aggregatedGrid = page
      .getByRole('tabpanel', { name: 'Aggregated' })
      .getByRole('grid', { name: 'Aggregated lines' });
    await aggregatedGrid.getByRole('gridcell', { name: 'ZZ9999', exact: true }).waitFor();
    await expect.poll(() => aggregatedGrid.locator('tbody tr').count()).toBe(1);
    await goTo(page, 'Sync status');

    const group = page.getByTestId('error-group').filter({ hasText: 'ZZ9999' });
    await group.getByText("is not found in the related table 'Items'").waitFor();
    await screenshot(page, 'sync-status-errors');
    await group.getByRole('button', { name: 'Show lines' }).click();
    await group.getByRole('link', { name: /ZZ9999/ }).click();

    const drawer = page.getByRole('dialog', { name: 'Aggregated line' });
    const error = drawer.getByTestId('upstream-error');
    // The cause first, as the alert's title; SCM's words after it.
    await error.getByTestId('refusal-cause').getByText('SCM does not know item ZZ9999 in usmf').waitFor();
    expect(await error.textContent()).toContain("The value 'ZZ9999' in field 'Item number' is not found");
    expect(await error.textContent()).toContain('What to do');
    await screenshot(page, 'aggregated-error', { fullPage: false });

    await drawer.getByRole('button', { name: 'Mark this line DoNotSync…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Mark DoNotSync' });
    await dialog.getByRole('button', { name: 'Close' }).waitFor();
    // Keyboard only: focus is in Reason, so Enter with none says why it is needed...
    await expect.poll(() => page.evaluate('document.activeElement?.tagName')).toBe('TEXTAREA');
    await page.keyboard.press('Enter');
    await dialog.getByText('must say why').waitFor();
    // ...and what is typed lands in Reason, and Enter marks the line.
    await page.keyboard.type('Test item, never stocked here');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await drawer.locator('[data-field="Status"]').getByText('DoNotSync').waitFor();
    await drawer.getByText('Test item, never stocked here').first().waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  }, 90_000);

  it('takes a line with the emulator down, shows IV offline, and catches up when it is back', async () => {
    await stack.emulator.stop();
    try {
      // The engine learns an upstream is down when it has something to send: post one line.
      await goTo(page, 'Create transaction');
      await page.getByRole('textbox', { name: 'Product' }).fill('D0001');
      await page.getByRole('textbox', { name: 'Site' }).fill('1');
      await page.getByRole('textbox', { name: 'Warehouse' }).fill('13');
      await page.getByRole('textbox', { name: 'Quantity' }).fill('1');
      await page.getByRole('textbox', { name: 'External reference ID' }).fill('OFFLINE-1');
      await page.getByRole('textbox', { name: 'Quantity' }).press('Enter');
      await page.getByTestId('posted-confirmation').getByText('recorded in the ledger').waitFor();
      await syncUntil(
        async () => (await page.getByTestId('upstream-iv').getAttribute('data-state')) === 'offline',
      );
      // The card says why (its state may already read Running again: the engine retries on its own).
      await expect
        .poll(() => page.getByTestId('job-iv').textContent())
        .toContain(
          'Inventory Visibility cannot be reached; your lines are safe and will be sent when it is back',
        );
      // Words, not codes: no transport code, request line or UTC time a clerk reads.
      const RAW = /ECONNREFUSED|EAI_AGAIN|ENOTFOUND|(GET|POST) https?:\/\/|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is what shows, unlike textContent
      expect(await page.locator('body').innerText()).not.toMatch(RAW);
      const runs = page.getByRole('table', { name: 'Recent runs' });
      for (const row of await runs.getByTestId('run').all()) {
        if (/cannot be reached/.test((await row.textContent()) ?? ''))
          expect(await row.locator('[data-outcome]').textContent()).not.toMatch(/^(Done|Nothing to do)$/);
      }
      expect(Number((await page.getByTestId('unsynced').textContent())?.match(/\d+/)?.[0])).toBeGreaterThan(
        0,
      );
      await screenshot(page, 'offline');
      await goTo(page, 'Inventory transactions');
      await page.getByRole('tab', { name: 'Detailed' }).click();
      const detailed = page.getByRole('tabpanel', { name: 'Detailed' });
      await detailed.getByRole('button', { name: 'Clear filters' }).click();
      await detailed.getByRole('textbox', { name: 'External reference ID' }).fill('OFFLINE-1');
      await detailed
        .getByRole('grid', { name: 'Detailed lines' })
        .getByRole('gridcell', { name: 'OFFLINE-1' })
        .click();
      const drawer = page.getByRole('dialog', { name: 'Detailed line' });
      await drawer.getByText('Recorded in the ledger; not yet in Inventory Visibility').waitFor();
      // biome-ignore lint/performance/useDomNodeTextContent: what shows, not hidden markup
      expect(await drawer.innerText()).not.toMatch(RAW);
      await page.keyboard.press('Escape');
    } finally {
      await stack.emulator.start();
    }
    await syncUntil(
      async () => (await page.getByTestId('upstream-iv').getAttribute('data-state')) === 'online',
    );
    await syncUntil(
      async () => (await page.getByTestId('count-line-Created').locator('p').textContent()) === '0',
    );
  }, 120_000);

  itLoggedNoConsoleError(session);
});
