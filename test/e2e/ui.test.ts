// The back-office UI in Debian's chromium against `npm run serve` and the upstream emulator:
// everything that does not need the sync engine to move lines (see ui-sync.test.ts for that).
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apiPost,
  browserSession,
  focusedLabel,
  goTo,
  itLoggedNoConsoleError,
  line,
  rpcCall,
  type Stack,
  screenshot,
  signInIfAsked,
} from './harness';

let stack: Stack;
let page: Page;

const rowCount = (p: Page, table: string, n: number) =>
  expect
    .poll(() => p.getByRole('grid', { name: table }).locator('tbody tr').count(), { timeout: 10_000 })
    .toBe(n);

async function readDownload(p: Page, click: () => Promise<void>): Promise<string[]> {
  const [download] = await Promise.all([p.waitForEvent('download'), click()]);
  const text = fs.readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '');
  return text.split('\r\n').filter((l) => l !== '');
}

const session = browserSession(async (seeded) => {
  await apiPost(seeded, [
    line('pos-1', 'D0001', 5, {
      externalReferenceCategory: 'POS transaction',
      externalReferenceId: 'POS-1001',
    }),
    line('pos-2', 'D0002', -2, {
      externalReferenceCategory: 'POS transaction',
      externalReferenceId: 'POS-1002',
    }),
    line('cnt-1', 'D0004', 12, {
      externalReferenceCategory: 'Inventory counting delta',
      externalReferenceId: 'CNT-7',
      dimensions: { siteId: '2', locationId: '21', colorId: 'blue', channel: 'web' },
    }),
  ]);
});
beforeAll(async () => {
  ({ stack, page } = session);
});

describe('the back-office UI in a browser', () => {
  it('keeps the token out of the address bar and shows the upstream indicators', async () => {
    expect(page.url()).not.toContain('token=');
    await page.getByTestId('upstream-iv').waitFor();
    await page.getByTestId('upstream-scm').waitFor();
    expect(await page.getByTestId('unsynced').textContent()).toMatch(/\d+ not synced/);
  });

  it('posts lines from the form by keyboard only, Enter after each scan', async () => {
    await goTo(page, 'Create transaction');
    await page.getByRole('button', { name: 'Post' }).waitFor();
    expect(await focusedLabel(page)).toBe('Product');
    // Site, warehouse and variant first (Tab), then back to Product (Shift+Tab) for the scan.
    await page.keyboard.press('Tab');
    await page.keyboard.type('1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('12');
    await page.keyboard.press('Tab');
    await page.keyboard.type('red');
    await page.keyboard.press('Tab');
    await page.keyboard.type('S');
    await page.keyboard.press('Tab');
    await page.keyboard.type('women');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+Tab');
    expect(await focusedLabel(page)).toBe('Product');
    // A scanner types the item number and Enter: with no quantity yet, Enter moves on to Quantity.
    await page.keyboard.type('D0003');
    await page.keyboard.press('Enter');
    expect(await focusedLabel(page)).toBe('Quantity');
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    const confirmation = page.getByTestId('posted-confirmation');
    // The confirmation names the line as stored: the item and its variant.
    await confirmation.getByText('D0003 (colour red, size S, style women), quantity 5').waitFor();
    // Focus is back on Product, the shared values kept, the item's own cleared.
    await expect.poll(() => page.evaluate<string>('document.activeElement?.value')).toBe('');
    expect(await focusedLabel(page)).toBe('Product');
    expect(await page.getByRole('textbox', { name: 'Site' }).inputValue()).toBe('1');
    expect(await page.getByRole('textbox', { name: 'Colour' }).inputValue()).toBe('');

    await page.keyboard.type('D0001');
    await page.keyboard.press('Enter');
    await page.keyboard.type('-2');
    await page.keyboard.press('Enter');
    await confirmation.getByText('D0001, quantity -2').waitFor();
    expect(
      await page.getByRole('table', { name: 'Lines posted from this window' }).getByRole('row').count(),
    ).toBe(3);

    // The API's own schema refuses a zero quantity, inline, before anything is sent.
    await page.keyboard.type('D0002');
    await page.keyboard.press('Enter');
    await page.keyboard.type('0');
    await page.keyboard.press('Enter');
    await page.getByText('must not be zero').waitFor();
    expect(await focusedLabel(page)).toBe('Quantity');
    const lines = await rpcCall<{ count: number }>(stack.server, 'lines.list', {
      productId: 'D0002',
      top: 1,
    });
    expect(lines.count).toBe(1);
  });

  it('shows the exact API body and a curl command in Developer reference', async () => {
    await page.getByRole('textbox', { name: 'Quantity' }).fill('3');
    await page.getByRole('button', { name: 'Developer reference' }).click();
    const dialog = page.getByRole('dialog', { name: 'Developer reference' });
    const single = JSON.parse(
      (await dialog.getByLabel('single line body', { exact: true }).textContent()) ?? '',
    );
    expect(single).toMatchObject({
      organizationId: 'usmf',
      productId: 'D0002',
      quantityDataSource: '@iv',
      physicalMeasure: 'adjustment',
      quantity: 3,
      dimensions: { siteId: '1', locationId: '12' },
    });
    await dialog.getByRole('tab', { name: 'curl' }).click();
    const curl = (await dialog.getByLabel('curl command', { exact: true }).textContent()) ?? '';
    expect(curl).toContain(
      `${stack.server.baseUrl}/api/environment/${stack.emulator.credentials.environmentId}`,
    );
    expect(curl).toContain('/transaction/adjustment/bulk');
    // A key is shown once, when created: the example says where the system's own key comes from.
    expect(curl).toContain('Authorization: Bearer <API key from Settings → API keys>');
    await screenshot(page, 'developer-reference', { fullPage: false });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('opens the new line from Check record, and finds it in the grid with filters', async () => {
    await page.getByRole('button', { name: 'Check record' }).click();
    const drawer = page.getByRole('dialog', { name: 'Detailed line' });
    await drawer.getByText('D0001 · -2').waitFor();
    expect(await drawer.locator('[data-field="Created by"]').textContent()).not.toBe('—');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    const panel = page.getByRole('tabpanel', { name: 'Detailed' });
    await panel.getByRole('textbox', { name: 'Product' }).fill('D0003');
    const grid = panel.getByRole('grid', { name: 'Detailed lines' });
    await grid.getByRole('gridcell', { name: 'D0003' }).waitFor();
    await rowCount(page, 'Detailed lines', 1);
    await grid.getByRole('gridcell', { name: 'D0003' }).click();
    await drawer.getByText('D0003 · 5').waitFor();
    expect(await drawer.locator('[data-field="Colour (colorId)"]').textContent()).toBe('red');
    expect(await drawer.locator('[data-field="Style (styleId)"]').textContent()).toBe('women');
    expect(await drawer.locator('[data-field="Source"]').textContent()).toBe('form');
    await screenshot(page, 'detailed-line', { fullPage: false });
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });

  it('exports each tab to CSV with the grid filters', async () => {
    const panel = page.getByRole('tabpanel', { name: 'Detailed' });
    const filtered = await readDownload(page, () =>
      panel.getByRole('button', { name: 'Export CSV' }).click(),
    );
    expect(filtered[0]?.split(',').slice(0, 5)).toEqual([
      'lineRecordId',
      'id',
      'status',
      'organizationId',
      'productId',
    ]);
    expect(filtered).toHaveLength(2);
    expect(filtered[1]).toContain(',usmf,D0003,1,12,');
    expect(filtered[1]).toContain(
      '"{""colorId"":""red"",""locationId"":""12"",""siteId"":""1"",""sizeId"":""S"",""styleId"":""women""}"',
    );

    await panel.getByRole('button', { name: 'Clear filters' }).click();
    await rowCount(page, 'Detailed lines', 5);
    const all = await readDownload(page, () => panel.getByRole('button', { name: 'Export CSV' }).click());
    expect(all).toHaveLength(6);
    expect(all.join('\n')).toContain('POS-1001');
    expect(all.join('\n')).toContain('Inventory counting delta,CNT-7');

    await page.getByRole('tab', { name: 'Aggregated' }).click();
    const aggregatedPanel = page.getByRole('tabpanel', { name: 'Aggregated' });
    const aggregated = await readDownload(page, () =>
      aggregatedPanel.getByRole('button', { name: 'Export CSV' }).click(),
    );
    expect(aggregated[0]?.split(',').slice(0, 3)).toEqual(['aggregatedLineId', 'status', 'statusReason']);
    await screenshot(page, 'transactions-aggregated');
    await page.getByRole('tab', { name: 'Detailed' }).click();
    await screenshot(page, 'transactions-detailed');
  });

  it('adds, edits and deletes a mapping, with validation', async () => {
    await goTo(page, 'Settings');
    const section = page.getByRole('group', { name: 'Fno integration mappings' });
    await section.getByRole('cell', { name: 'adjustment', exact: true }).waitFor();

    await section.getByRole('button', { name: 'Add' }).click();
    let dialog = page.getByRole('dialog', { name: 'Add mapping' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('must not be blank').waitFor();
    await dialog.getByRole('textbox', { name: 'Physical measure name' }).fill('Adjustment');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText("'Adjustment' already has a mapping row").waitFor();
    await dialog.getByRole('textbox', { name: 'Physical measure name' }).fill('sold');
    // Keyboard only: pick Created in the list, then Enter on the closed list saves.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.getByRole('option', { name: 'Created' }).waitFor();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.getByRole('listbox').waitFor({ state: 'hidden' });
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    const soldRow = section.getByRole('row', { name: /sold/ });
    await soldRow.getByRole('cell', { name: 'Created' }).waitFor();

    await soldRow.click();
    await section.getByRole('button', { name: 'Edit' }).click();
    dialog = page.getByRole('dialog', { name: 'Edit mapping' });
    await dialog.getByLabel('Target FnO Transaction Status').click();
    await page.getByRole('option', { name: 'None' }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await soldRow.getByRole('cell', { name: 'None' }).waitFor();
    expect(await rpcCall(stack.server, 'mappings.list')).toContainEqual({
      physicalMeasure: 'sold',
      targetTransactionType: 'InventoryAdjustmentJournal',
      targetTransactionStatus: 'None',
    });

    await soldRow.click();
    await section.getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: 'Delete mapping?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await soldRow.waitFor({ state: 'detached' });
    expect(await rpcCall<unknown[]>(stack.server, 'mappings.list')).toHaveLength(1);
  });

  it('takes screenshots of the pages', async () => {
    await page.getByRole('button', { name: 'Initialize' }).click();
    await page.getByTestId('initialize-checks').waitFor();
    await screenshot(page, 'settings');
    await goTo(page, 'Create transaction');
    await page.getByRole('button', { name: 'Post' }).waitFor();
    await screenshot(page, 'create-transaction');
    await goTo(page, 'Sync status');
    await page.getByTestId('job-iv').waitFor();
    await screenshot(page, 'sync-status');
  });

  it('changes settings with inline errors, and they survive a restart', async () => {
    await goTo(page, 'Settings');
    const maxLines = page.getByRole('textbox', { name: 'Fno sync max line count in adjustment journal' });
    await maxLines.fill('0');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('must be at least 1').waitFor();
    await maxLines.fill('500');
    await page.getByRole('textbox', { name: 'Default organization' }).fill('usrt');
    await page
      .getByRole('switch', { name: 'Periodically synchronize transaction to Fno' })
      .uncheck({ force: true });
    await page.getByTestId('offset-warning').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Settings saved').waitFor();
    // Saving these leaves the activity ID and Is feature initialized as they were (they were reset once).
    expect(
      await page.getByRole('textbox', { name: 'Fno adjustment integration activity Id' }).inputValue(),
    ).toBe(stack.emulator.credentials.activityId);
    expect(await page.getByTestId('initialized').textContent()).toBe('True');
    expect(
      (await rpcCall<{ isFeatureInitialized: boolean }>(stack.server, 'settings.get')).isFeatureInitialized,
    ).toBe(true);

    // Leave the page first: a page polling a stopped server logs network errors.
    await page.goto('about:blank');
    await stack.server.stop();
    // Restarted with the same --config: an unchanged provisioning file keeps the settings-page changes.
    await stack.server.start({ withConfig: true });
    await page.goto(stack.server.uiUrl);
    // A restart ends every session (they live in the server's memory): the window asks again.
    await signInIfAsked(page);
    await goTo(page, 'Settings');
    const restarted = page.getByRole('textbox', { name: 'Fno sync max line count in adjustment journal' });
    await page.getByTestId('initialized').waitFor();
    expect(await restarted.inputValue()).toBe('500');
    expect(await page.getByRole('textbox', { name: 'Default organization' }).inputValue()).toBe('usrt');
    expect(
      await page.getByRole('switch', { name: 'Periodically synchronize transaction to Fno' }).isChecked(),
    ).toBe(false);
    expect(await page.getByTestId('offset-warning').count()).toBe(0);
  });

  it("edits the GA settings with words for bad input, and loads the data project's exported manifest", async () => {
    await goTo(page, 'Settings');
    const start = page.getByRole('textbox', { name: 'Fno sync window: start' });
    const end = page.getByRole('textbox', { name: 'Fno sync window: end' });
    await start.fill('22:00');
    await end.fill('06:00');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('must end after it starts, on the same day').waitFor();
    await end.fill('23:30');
    await page.getByRole('textbox', { name: 'Fno sync max journal count in package' }).fill('3');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Settings saved').waitFor();
    const saved = await rpcCall<{ transactions: Record<string, unknown> }>(stack.server, 'settings.get');
    expect(saved.transactions).toMatchObject({
      fnoSyncWindow: { start: '22:00', end: '23:30' },
      fnoSyncMaxJournalCountInPackage: 3,
    });

    // The data project's own export, as Data management downloads it (docs/dynamics-contract.md §1).
    const manifest = `<?xml version="1.0" encoding="utf-8"?>
<DataManagementPackageManifest xmlns="http://schemas.microsoft.com/dynamics/2015/01/DataManagement">
  <DefinitionGroupName>Contoso IV journals</DefinitionGroupName>
  <PackageEntityList>
    <DataManagementPackageEntityData>
      <EntityMapList>
        <EntityMap><EntityField>INVENTORYSERVICETRANSACTIONID</EntityField><XMLField>Transaction</XMLField></EntityMap>
        <EntityMap><EntityField>ITEMNUMBER</EntityField><XMLField>Item number</XMLField></EntityMap>
        <EntityMap><EntityField>INVENTORYQUANTITY</EntityField><XMLField>Quantity</XMLField></EntityMap>
        <EntityMap><EntityField>CATCHWEIGHTQUANTITY</EntityField><XMLField>CW</XMLField></EntityMap>
      </EntityMapList>
      <EntityName>IV journal lines</EntityName>
      <InputFilePath>lines.csv</InputFilePath>
      <SourceFormat>CSV</SourceFormat>
    </DataManagementPackageEntityData>
  </PackageEntityList>
</DataManagementPackageManifest>`;
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Load from exported package…' }).click(),
    ]);
    await chooser.setFiles({ name: 'Manifest.xml', mimeType: 'text/xml', buffer: Buffer.from(manifest) });
    await page.getByText('Data project Contoso IV journals').waitFor();
    await page.getByText('field CATCHWEIGHTQUANTITY is not one Store Ledger fills').waitFor();
    await page.getByRole('table', { name: 'Journal lines columns' }).getByText('Item number').waitFor();
    await screenshot(page, 'settings-import-profile');

    // Not a manifest: refused in words, nothing changes.
    const [again] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Load from exported package…' }).click(),
    ]);
    await again.setFiles({ name: 'notes.xml', mimeType: 'text/xml', buffer: Buffer.from('<Notes/>') });
    await page.getByText('not a data package manifest').waitFor();
    await page.getByText('Data project Contoso IV journals').waitFor();
  });

  itLoggedNoConsoleError(session);
});
