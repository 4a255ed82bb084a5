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
  // A draft with rows to fix, on striped rows.
  const draft = await rpcCall<{ draftId: string }>(seeded.server, 'drafts.create', { name: 'Shelf A11Y' });
  await rpcCall(seeded.server, 'drafts.paste', {
    draftId: draft.draftId,
    text: 'Organization\tItem\tQty\tSite\tWarehouse\nusmf\tD0003\t12a\t1\t13\nusmf\tD0004\t2\t1\t\nusmf\tD0005\t1\t1\t13\nusmf\tD0006\t1\t\t13',
  });
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
    'detailed grid, a cell focused from the keyboard',
    async () => {
      await page.getByRole('grid', { name: 'Detailed lines' }).locator('tbody td').nth(1).focus();
      await page.keyboard.press('ArrowDown');
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
      await page.getByTestId('error-group').first().getByRole('button', { name: 'Show lines' }).click();
      await page.getByTestId('group-line').first().waitFor();
    },
  ],
  [
    'drafts with rows to fix',
    async () => {
      await goTo(page, 'Drafts and import');
      await page.getByRole('button', { name: /^Shelf A11Y/ }).click();
      await page.getByRole('table', { name: 'Rows to fix' }).waitFor();
      await page.getByRole('table', { name: 'Draft rows' }).locator('tbody tr').nth(3).waitFor();
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

  it('shows settings placeholders as examples, lighter than a value, in both themes', async () => {
    await goTo(page, 'Settings');
    for (const scheme of ['light', 'dark'] as const) {
      await emulateColorScheme(page, scheme);
      for (const name of ['Fno sync window: start', 'Fno sync window: end', 'IV dimension data source']) {
        const field = page.getByRole('textbox', { name });
        expect(await field.inputValue(), name).toBe('');
        const looks = await field.evaluate((el) => {
          type Style = { color: string; backgroundColor: string; fontStyle: string };
          const node = el as unknown as {
            placeholder: string;
            ownerDocument: { defaultView: { getComputedStyle(e: unknown, pseudo?: string): Style } };
          };
          const view = node.ownerDocument.defaultView;
          const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
          const lum = (c: string) => {
            const [r, g, b] = rgb(c).map((v) => {
              const x = v / 255;
              return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
            });
            return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
          };
          const ratio = (a: string, b: string) => {
            const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
            return (hi! + 0.05) / (lo! + 0.05);
          };
          const field = view.getComputedStyle(el);
          const placeholder = view.getComputedStyle(el, '::placeholder');
          return {
            text: node.placeholder,
            italic: placeholder.fontStyle === 'italic',
            // Readable on the field, and far enough from a typed value's colour to be told apart.
            onField: ratio(placeholder.color, field.backgroundColor),
            fromValue: ratio(placeholder.color, field.color),
          };
        });
        expect(looks.text, name).toMatch(/^e\.g\. \S/);
        expect(looks.italic, name).toBe(true);
        expect(looks.onField, `${scheme} ${name}`).toBeGreaterThanOrEqual(4.5);
        expect(looks.fromValue, `${scheme} ${name}`).toBeGreaterThanOrEqual(1.7);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  itLoggedNoConsoleError(session);
});
