/**
 * Writes the folder map of docs/architecture.md from the layer table (scripts/boundaries.cjs),
 * between its `<!-- layers:start -->` and `<!-- layers:end -->` markers, so the map says what the
 * lint enforces. `--check` (run by `npm run lint`) fails when the map is stale.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { UNITS } = require('./boundaries.cjs');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOC = path.join(ROOT, 'docs', 'architecture.md');
const START = '<!-- layers:start -->';
const END = '<!-- layers:end -->';

const short = (unit) => unit.replace(/^src\//, '');

export function layersTable() {
  const rows = UNITS.flatMap((u) => {
    const may = u.may.length > 0 ? u.may.map((m) => `\`${short(m)}\``).join(', ') : '—';
    const folder = /\.(tsx?|css)$/.test(u.unit) ? short(u.unit) : `${short(u.unit)}/`;
    return [
      `| \`${folder}\` | ${u.what} | ${may} |`,
      ...Object.entries(u.parts ?? {}).map(
        ([part, what]) => `| \`${folder}${part}/\` | ${what} | as \`${folder}\` |`,
      ),
    ];
  });
  return [
    START,
    '<!-- Generated from scripts/boundaries.cjs by `npm run docs:architecture`; edit the table there. -->',
    '',
    '| where | what happens there | may import (besides itself and npm packages) |',
    '|---|---|---|',
    ...rows,
    '',
    END,
  ].join('\n');
}

function withTable(text) {
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${path.relative(ROOT, DOC)} has no ${START} … ${END} markers`);
  return text.slice(0, from) + layersTable() + text.slice(to + END.length);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const text = fs.readFileSync(DOC, 'utf8');
  const next = withTable(text);
  if (process.argv.includes('--check')) {
    if (next !== text) {
      console.error('docs/architecture.md’s folder map is stale: run `npm run docs:architecture`.');
      process.exit(1);
    }
  } else if (next !== text) {
    fs.writeFileSync(DOC, next);
    console.log('docs/architecture.md: folder map rewritten from scripts/boundaries.cjs');
  }
}
