import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without types, the one `npm run lint` runs
import { checkBoundaries } from '../../scripts/check-boundaries.mjs';

const ROOT = path.resolve(__dirname, '../..');
type Report = { files: number; violations: string[] };
const check = (overlay: Record<string, string> = {}): Report => checkBoundaries(ROOT, overlay);

describe('import boundaries (scripts/boundaries.cjs, checked by npm run lint)', () => {
  it('the tree as committed has no violation and no cycle', () => {
    const report = check();
    expect(report.violations).toEqual([]);
    expect(report.files).toBeGreaterThan(200);
  });

  it('npm run lint runs the check, and the check exits 0 on the tree', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.lint).toContain('node scripts/check-boundaries.mjs');
    const out = execFileSync(process.execPath, ['scripts/check-boundaries.mjs'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(out).toMatch(/no violation, no cycle/);
  });

  it.each([
    [
      'src/main/ledger/probe.ts',
      "import { DraftService } from '../drafts/service';",
      /src\/main\/ledger may not import src\/main\/drafts/,
    ],
    [
      'src/main/ledger/probe.ts',
      "import type { BusinessLayer } from '../business-layer';",
      /may not import src\/main\/business-layer\.ts/,
    ],
    [
      'src/main/counts/probe.ts',
      "import { createHandlers } from '../rpc/handlers';",
      /src\/main\/counts may not import src\/main\/rpc/,
    ],
    [
      'src/main/upstream/probe.ts',
      "import { Ledger } from '../ledger';",
      /src\/main\/upstream may not import src\/main\/ledger/,
    ],
    [
      'src/main/sync/probe.ts',
      "import { dispatch } from '../rpc/dispatch';",
      /src\/main\/sync may not import src\/main\/rpc/,
    ],
    [
      'src/renderer/src/pages/probe.tsx',
      "import { App } from '../app/App';",
      /pages may not import src\/renderer\/src\/app/,
    ],
    [
      'src/renderer/src/components/probe.ts',
      "import { Ledger } from '../../../main/ledger';",
      /may not import src\/main\/ledger/,
    ],
  ])('refuses an upward or sideways import: %s ← %s', (file, source, words) => {
    const { violations } = check({ [file]: `${source}\nexport const probe = 1;\n` });
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(words);
  });

  it('refuses electron outside the desktop shell and Node built-ins in the window', () => {
    const { violations } = check({
      'src/main/sync/probe.ts': "import { app } from 'electron';\nexport const a = app;\n",
      'src/shared/probe.ts': "import fs from 'node:fs';\nexport const f = fs;\n",
      'src/renderer/src/components/probe.ts': "import path from 'path';\nexport const p = path;\n",
    });
    expect(violations.join('\n')).toMatch(
      /src\/main\/sync\/probe\.ts → 'electron': only src\/main\/electron and src\/preload/,
    );
    expect(violations.join('\n')).toMatch(/src\/shared\/probe\.ts → 'node:fs'.*no Node built-ins/);
    expect(violations.join('\n')).toMatch(/components\/probe\.ts → 'path'.*no Node built-ins/);
  });

  it('refuses a cycle between files of one folder, type-only imports included', () => {
    const { violations } = check({
      'src/main/sync/probe-a.ts': "import type { B } from './probe-b';\nexport type A = { b: B };\n",
      'src/main/sync/probe-b.ts': "import type { A } from './probe-a';\nexport type B = { a?: A };\n",
    });
    expect(violations).toEqual(['cycle: src/main/sync/probe-a.ts ↔ src/main/sync/probe-b.ts']);
  });

  it('refuses a folder the table does not name, and an import that resolves to nothing', () => {
    const { violations } = check({
      'src/main/newthing/x.ts': 'export const x = 1;\n',
      'src/main/sync/probe.ts': "import { y } from './no-such-file';\nexport const z = y;\n",
    });
    expect(violations).toContain(
      'src/main/newthing/x.ts: not in the layer table (scripts/boundaries.cjs): add its folder and what it may import',
    );
    expect(violations).toContain("src/main/sync/probe.ts → './no-such-file': resolves to no file");
  });
});
