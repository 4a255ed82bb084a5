// Void and Correct in Debian's chromium at 1024x700, keyboard only: a typo recorded while
// Inventory Visibility is unreachable is voided a minute later, after the IV job failed to send
// it several times, and nothing of it reaches IV when IV returns; a line IV may have taken is
// refused Void in words and corrected at the right site in one step; and a drawer where neither
// action is possible says why.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiPost, browserSession, itLoggedNoConsoleError, line, rpcCall, type Stack, until } from './harness';

let stack: Stack;
let page: Page;

interface Listed {
  lineRecordId: string;
  id: string;
  status: string;
  quantity: number;
  attempts: number;
  dimensions: Record<string, string>;
}
const linesOf = async (productId: string) =>
  (await rpcCall<{ value: Listed[] }>(stack.server, 'lines.list', { productId, top: 10 })).value;
const inIv = () => new Set(stack.emulator.admin.events().map((e) => e.id));
const runIv = () => rpcCall(stack.server, 'sync.run', { job: 'iv' });

/** A page of the navigation, reached from the keyboard. */
async function keyTo(label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: label }).focus();
  await page.keyboard.press('Enter');
}

/** Types into a field as a clerk does: focus, select what is there, type over it. */
async function typeInto(field: ReturnType<Page['getByRole']>, text: string): Promise<void> {
  await field.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

const drawer = () => page.getByRole('dialog', { name: 'Detailed line' });

/** Opens the drawer of the one line of this product in the Detailed grid, with Enter. */
async function openLineOf(productId: string): Promise<void> {
  await keyTo('Inventory transactions');
  await page.getByRole('tab', { name: 'Detailed' }).focus();
  await page.keyboard.press('Enter');
  const panel = page.getByRole('tabpanel', { name: 'Detailed' });
  const grid = panel.getByRole('grid', { name: 'Detailed lines' });
  await typeInto(panel.getByRole('textbox', { name: 'Product' }), productId);
  await grid.getByRole('gridcell', { name: productId }).first().waitFor();
  await expect.poll(() => grid.locator('tbody tr').count()).toBe(1);
  await grid.locator('tbody td').first().focus();
  await page.keyboard.press('Enter');
  await drawer().waitFor();
}

async function press(button: ReturnType<Page['getByRole']>): Promise<void> {
  await button.focus();
  await page.keyboard.press('Enter');
}

const session = browserSession();
beforeAll(async () => {
  ({ stack, page } = session);
  await page.setViewportSize({ width: 1024, height: 700 });
});

describe('void and correct offline, in a browser', () => {
  it('voids a typo recorded while IV is unreachable, after the IV job failed several times; nothing of it reaches IV later', async () => {
    await stack.emulator.stop();
    await keyTo('Create transaction');
    await typeInto(page.locator('input').and(page.getByLabel('Organization')), 'usmf');
    await typeInto(page.getByRole('textbox', { name: 'Site' }), '1');
    await typeInto(page.getByRole('textbox', { name: 'Warehouse' }), '13');
    await typeInto(page.getByRole('textbox', { name: 'Product' }), 'D0007');
    await page.keyboard.press('Enter');
    // The typo: 40 for 4.
    await page.keyboard.type('40');
    await page.keyboard.press('Enter');
    await page.getByTestId('posted-confirmation').getByText('D0007, quantity 40').waitFor();
    // A store system's line recorded meanwhile, which must reach IV once it is back.
    await apiPost(stack, [line('offline-control', 'D0008', 2)]);

    for (let run = 0; run < 3; run++) await runIv();
    const [typo] = await linesOf('D0007');
    expect(typo).toMatchObject({ status: 'Created', quantity: 40 });
    expect(typo!.attempts).toBeGreaterThanOrEqual(3);

    await openLineOf('D0007');
    await press(drawer().getByRole('button', { name: 'Void…' }));
    const dialog = page.getByRole('dialog', { name: 'Void this line' });
    await dialog.waitFor();
    await page.keyboard.type('Typed 40 for 4');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await drawer().getByText('Voided before it left the ledger: kept for audit, never sent').waitFor();
    await drawer().getByTestId('line-actions').getByText('Typed 40 for 4').waitFor();
    // Neither action is possible now, and the drawer says why.
    await drawer()
      .getByTestId('line-action-why')
      .getByText(/nothing to correct/)
      .waitFor();
    expect(
      await drawer()
        .getByRole('button', { name: /Void…|Correct…/ })
        .count(),
    ).toBe(0);
    await page.keyboard.press('Escape');
    await drawer().waitFor({ state: 'hidden' });

    await stack.emulator.start();
    await until(
      async () => {
        await runIv();
        return (await linesOf('D0008'))[0]?.status === 'IVPosted';
      },
      20_000,
      'the control line in IV',
    );
    expect(inIv().has(typo!.lineRecordId)).toBe(false);
    expect((await linesOf('D0007')).map((l) => l.status)).toEqual(['Voided']);
  });

  it('refuses Void in words for a line IV may have taken, corrects it to the right site in one step, and the reversing line says why it has no action', async () => {
    // The answer is lost after IV applied the line: IV counts it, the ledger cannot know.
    stack.emulator.admin.setFault({ endpoint: 'ivBulk', rate: 1, kinds: ['lost'] });
    try {
      await apiPost(stack, [line('wrong-site', 'D0009', 6)]);
      await runIv();
    } finally {
      stack.emulator.admin.clearFaults();
    }
    const [original] = await linesOf('D0009');
    expect(original).toMatchObject({ status: 'Created', attempts: 1 });

    await openLineOf('D0009');
    const why = drawer().getByTestId('line-action-why');
    await why.getByText(/Void is not possible/).waitFor();
    expect(await why.textContent()).toMatch(/never learned whether IV took it.*Correct it instead/);
    expect(await drawer().getByRole('button', { name: 'Void…' }).count()).toBe(0);

    await press(drawer().getByRole('button', { name: 'Correct…' }));
    const dialog = page.getByRole('dialog', { name: 'Correct this line' });
    await dialog.getByText('quantity -6').waitFor();
    await dialog.getByRole('checkbox', { name: /Also post the line it should have been/ }).focus();
    await page.keyboard.press('Space');
    const fields = dialog.getByTestId('replacement-fields');
    await fields.waitFor();
    expect(await dialog.getByRole('textbox', { name: 'Quantity of the replacing line' }).inputValue()).toBe(
      '6',
    );
    await typeInto(dialog.getByRole('textbox', { name: 'Site' }), '2');
    await typeInto(dialog.getByRole('textbox', { name: 'Warehouse' }), '21');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });

    // The drawer now shows the reversing line: neither Void nor Correct, and why.
    await drawer().getByText('D0009 · -6').waitFor();
    const reasons = drawer().getByTestId('line-action-why');
    await reasons.getByText(/Correct is not possible/).waitFor();
    expect(await reasons.textContent()).toMatch(/reverses another one.*itself a correction/);
    expect(
      await drawer()
        .getByRole('button', { name: /Void…|Correct…/ })
        .count(),
    ).toBe(0);
    await page.keyboard.press('Escape');

    const lines = await linesOf('D0009');
    expect(lines.map((l) => [l.quantity, l.dimensions.siteId, l.dimensions.locationId]).sort()).toEqual([
      [-6, '1', '13'],
      [6, '1', '13'],
      [6, '2', '21'],
    ]);
    await until(
      async () => {
        await runIv();
        return (await linesOf('D0009')).every((l) => l.status === 'IVPosted');
      },
      20_000,
      'the three lines in IV',
    );
    const onHand = (site: string) =>
      stack.emulator.admin
        .onHand({ productId: 'D0009' })
        .filter((r) =>
          Object.entries(r.dimensions).some(([k, v]) => k.toLowerCase() === 'siteid' && v === site),
        )
        .reduce((sum, r) => sum + (r.quantities['@iv']?.adjustment ?? 0), 0);
    expect(onHand('1')).toBe(0);
    expect(onHand('2')).toBe(6);
  });

  itLoggedNoConsoleError(session);
});
