// The Count page, in Chromium at 1024x700, keyboard and scanner only (the scanner is
// page.keyboard.type with no delay, then Enter). Type-ahead: keys that arrive while a lookup or a
// record is in flight (made slow with page.route) land where the clerk meant them. Apply: with
// IV unreachable (the emulator's fault injection), Apply refuses in words and a manager chooses
// IV's last known figure per item; an item IV never gave a figure for is removed.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  browserSession,
  focusedLabel,
  goTo,
  itLoggedNoConsoleError,
  rpcCall,
  type Stack,
  screenshot,
} from './harness';

let stack: Stack;
let page: Page;

interface Count {
  countId: string;
  items: { productId: string; counted: number }[];
}

const session = browserSession(async (s) => {
  await rpcCall(s.server, 'settings.update', { defaultOrganizationId: 'usmf' });
  await rpcCall(s.server, 'masterData.refresh', {});
});
beforeAll(async () => {
  ({ stack, page } = session);
  await page.setViewportSize({ width: 1024, height: 700 });
});

// The machine is shared: a poll waits up to 10 s, as the harness's locators do.
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 10_000 });
const scanner = async (text: string) => {
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
};
const onShelf = () => page.getByRole('textbox', { name: 'On the shelf' });
const scanField = () => page.getByRole('textbox', { name: 'Barcode or item number' });
const rows = () => page.getByRole('table', { name: 'Counted items' }).locator('tbody tr');
const countsOf = async (reference: string) => {
  const list = await rpcCall<{ countId: string; reference: string }[]>(stack.server, 'counts.list');
  const id = list.find((c) => c.reference === reference)!.countId;
  return (await rpcCall<Count>(stack.server, 'counts.get', { countId: id })).items.map((i) => [
    i.productId,
    i.counted,
  ]);
};

/** Tab (never the mouse) until the focused element is the one named. */
async function tabTo(name: string | RegExp): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const focused = await page.evaluate<string>(
      "(document.activeElement?.getAttribute('aria-label') || document.activeElement?.labels?.[0]?.textContent || document.activeElement?.textContent || '').trim()",
    );
    if (typeof name === 'string' ? focused === name : name.test(focused)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${name}`);
}

/** A count started from the keyboard: the reference field has the focus; Organization is the store's default. */
async function startCount(reference: string): Promise<void> {
  // Away and back: the page starts afresh, with the start form.
  await goTo(page, 'On-hand');
  await goTo(page, 'Count');
  await page.getByRole('form', { name: 'Start a count' }).waitFor();
  await poll(() => page.getByRole('textbox', { name: 'Organization' }).inputValue()).toBe('usmf');
  await poll(() => focusedLabel(page)).toBe('Count reference');
  await page.keyboard.type(reference);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type('1');
  await page.keyboard.press('Tab');
  await page.keyboard.type('13');
  await page.keyboard.press('Enter');
  await poll(() => focusedLabel(page)).toBe('Barcode or item number');
}

/** Answers to these RPCs are held back, as on a slow PC: the scanner's next keys arrive first. */
async function slow(...names: string[]): Promise<() => Promise<void>> {
  const pattern = new RegExp(`/rpc/(${names.join('|').replace(/\./g, '\\.')})$`);
  const hold = async (route: import('playwright-core').Route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await route.continue();
  };
  await page.route(pattern, hold);
  return () => page.unroute(pattern, hold);
}

describe('type-ahead on Count', () => {
  it("'-2' is refused as a count, 'P0002' keeps its P, and two scans never merge", async () => {
    await startCount('CNT-RACE');
    const fast = await slow('masterData.lookup', 'counts.record');

    // A scan, then '-2' typed while its lookup is in flight: it lands in On the shelf, and a
    // shelf never holds a minus.
    await scanner('D0001');
    await scanner('-2');
    await page.getByText('On the shelf must be zero or more (what is on the shelf)').waitFor();
    expect(await onShelf().inputValue()).toBe('-2');
    expect(await scanField().inputValue()).toBe('');
    // The clerk types the count over it; the record is queued and the scanner is ready at once.
    await scanner('7');
    expect(await focusedLabel(page)).toBe('Barcode or item number');
    // The next scan while D0001 is being recorded goes whole into the scanner's field.
    await scanner('P0002');
    expect(await focusedLabel(page)).toBe('On the shelf');
    await poll(() => page.getByLabel('Item being counted').textContent()).toMatch(/^Counting P0002/);
    await scanner('4');

    // Two scans in a row while the first lookup is in flight: the second is not a count, and
    // neither is glued to the other.
    await scanner('D0003');
    await scanner('D0004');
    await page.getByText("On the shelf must be a number, not 'D0004': was that a scan?").waitFor();
    expect(await scanField().inputValue()).toBe('');
    expect(await onShelf().inputValue()).toBe('D0004');
    await scanner('3');

    await poll(() => rows().count()).toBe(3);
    await fast();
    expect(await countsOf('CNT-RACE')).toEqual([
      ['D0001', 7],
      ['P0002', 4],
      ['D0003', 3],
    ]);
    await poll(() => rows().nth(0).textContent()).toMatch(/^D00017IV 100 when counted/);
    await screenshot(page, 'count-type-ahead');
  });
});

describe('Apply with IV unreachable', () => {
  it('refuses in words, lists the items, and posts against the last known figure the manager ticks', async () => {
    await startCount('CNT-OFF');
    await scanner('D0001');
    await scanner('90');
    await poll(() => rows().nth(0).textContent()).toMatch(/^D000190IV 100 when counted/);
    stack.emulator.admin.setFault({ endpoint: 'ivToken', rate: 1, kinds: ['drop'] });
    stack.emulator.admin.setFault({ endpoint: 'ivQuery', rate: 1, kinds: ['drop'] });
    try {
      await scanner('T0002');
      await scanner('3');
      await poll(() => rows().nth(1).textContent()).toMatch(
        /^T00023Not known yet: IV has not answered for it/,
      );

      await tabTo('Apply count');
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Not applied: IV is not answering' });
      await dialog.waitFor();
      await dialog.getByText(/IV could not be asked for these 2 items\. Nothing was posted\./).waitFor();
      const lastKnown = dialog.getByRole('checkbox', {
        name: /^D0001: use last known on-hand 100 as of \d\d:\d\d today$/,
      });
      await lastKnown.waitFor();
      await dialog
        .getByText('No figure from IV ever: remove it from the count, or apply when IV answers.')
        .waitFor();
      const applyChosen = dialog.getByRole('button', { name: 'Apply with the chosen figures' });
      expect(await applyChosen.isDisabled()).toBe(true);
      await screenshot(page, 'count-iv-unreachable', { fullPage: false });
      expect(await countsOf('CNT-OFF')).toEqual([
        ['D0001', 90],
        ['T0002', 3],
      ]);
      let lines = await rpcCall<{ value: unknown[] }>(stack.server, 'lines.list', {
        externalReferenceId: 'CNT-OFF',
      });
      expect(lines.value).toEqual([]);

      // The manager ticks D0001's last known figure and takes T0002 out of the count.
      await tabTo(/^D0001: use last known on-hand 100/);
      await page.keyboard.press('Space');
      expect(await lastKnown.isChecked()).toBe(true);
      await tabTo('Remove T0002 from the count');
      await page.keyboard.press('Enter');
      await poll(() => applyChosen.isEnabled()).toBe(true);
      await tabTo('Apply with the chosen figures');
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: 'Applied: 1 adjustment line entered' }).waitFor();

      lines = await rpcCall<{ value: unknown[] }>(stack.server, 'lines.list', {
        externalReferenceId: 'CNT-OFF',
      });
      expect(
        (lines.value as { productId: string; quantity: number }[]).map((l) => [l.productId, l.quantity]),
      ).toEqual([['D0001', -10]]);
      await poll(() => rows().allTextContents()).toEqual([
        expect.stringMatching(
          /^D000190IV's last known 100 as of \d\d:\d\d today, chosen at Apply-10 posted$/,
        ),
      ]);
    } finally {
      stack.emulator.admin.clearFaults();
    }
  });
});

describe('a large difference at Apply', () => {
  it("is asked about in the pipeline's words before anything posts", async () => {
    await startCount('CNT-LARGE');
    await scanner('D0005');
    await scanner('500');
    await poll(() => rows().count()).toBe(1);
    await tabTo('Apply count');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Large difference' });
    await dialog
      .getByText(
        "D0005: 500 is at or beyond the store's large-quantity threshold of 100. Is the quantity right?",
      )
      .waitFor();
    expect(
      (await rpcCall<{ value: unknown[] }>(stack.server, 'lines.list', { externalReferenceId: 'CNT-LARGE' }))
        .value,
    ).toEqual([]);
    await tabTo('Yes, apply');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Applied: 1 adjustment line entered' }).waitFor();
  });
});

itLoggedNoConsoleError(session);
