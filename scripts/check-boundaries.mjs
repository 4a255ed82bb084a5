/**
 * Checks every import under src/ against the layer table (scripts/boundaries.cjs) and refuses
 * cycles between files; run by `npm run lint`. An import is accepted only when the table allows
 * it (an allow-list, like VS Code's layer check), so a new folder or a new upward import fails
 * until someone decides where it belongs.
 *
 * Why a script and not dependency-cruiser: dependency-cruiser 18 needs Node 22 and 17 reads .tsx
 * only through the TypeScript ≤ 6 compiler API, while this project builds with TypeScript 7
 * (native, without that API). The parser here is oxc's, the one our bundler (rolldown, under
 * vite and electron-vite) already uses to read the same files, so every import it sees is one
 * the build sees — type-only imports included, since they tie files together too.
 *
 * Usage: node scripts/check-boundaries.mjs            (exit 1 and one line per violation)
 */
import fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAst } from 'rolldown/parseAst';

const require = createRequire(import.meta.url);
const { UNITS, ELECTRON_UNITS, NO_NODE_UNITS } = require('./boundaries.cjs');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = /\.(ts|tsx|mts|cts)$/;
const CORE = new Set(builtinModules);
/** Files outside src/ that main may read at build time (the app's own version). */
const OUTSIDE_ALLOWED = new Set(['package.json']);

/** Every source file under src/, as a posix path relative to the root. */
function sourceFiles(root) {
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (SOURCE.test(entry.name)) out.push(rel);
    }
  };
  walk('src');
  return out;
}

/** Parsed files by path and source: a test's probes re-check the tree without re-parsing it. */
const PARSED = new Map();

/** The module specifiers a file imports: static, re-exports, dynamic import() and import('x') types. */
function specifiersOf(file, code) {
  const cached = PARSED.get(file);
  if (cached?.code === code) return cached.specs;
  const specs = parseSpecifiers(file, code);
  PARSED.set(file, { code, specs });
  return specs;
}

function parseSpecifiers(file, code) {
  const lang = file.endsWith('.tsx') ? 'tsx' : 'ts';
  const ast = parseAst(code, { lang, sourceType: 'module' }, file);
  const found = [];
  const visit = (node) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const source =
      (node.type === 'ImportDeclaration' ||
        node.type === 'ExportNamedDeclaration' ||
        node.type === 'ExportAllDeclaration' ||
        node.type === 'ImportExpression') &&
      node.source?.type === 'Literal'
        ? node.source.value
        : node.type === 'TSImportType' && node.argument?.type === 'Literal'
          ? node.argument.value
          : node.type === 'TSExternalModuleReference'
            ? node.expression?.value
            : null;
    if (typeof source === 'string') found.push(source);
    for (const key of Object.keys(node)) if (key !== 'parent') visit(node[key]);
  };
  visit(ast.body);
  return found;
}

/** A relative specifier → the file it names (posix, root-relative), or null when none exists. */
function resolveRelative(from, spec, exists) {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  const candidates = [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`];
  if (base.endsWith('.js')) candidates.push(base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'));
  return candidates.find((c) => exists(c)) ?? null;
}

/** The table's unit a path belongs to: the most specific folder, or a file unit. */
function unitOf(file) {
  let best = null;
  for (const u of UNITS) {
    const isFile = /\.(tsx?|css)$/.test(u.unit);
    const hit = isFile ? file === u.unit : file.startsWith(`${u.unit}/`);
    if (hit && (!best || u.unit.length > best.unit.length)) best = u;
  }
  return best;
}

const under = (file, units) => units.some((u) => file === u || file.startsWith(`${u}/`));

/** Strongly connected components (Tarjan), for cycles; only those with a real loop are returned. */
function cycles(graph) {
  let index = 0;
  const stack = [];
  const state = new Map();
  const out = [];
  const strong = (v) => {
    state.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!state.has(w)) {
        strong(w);
        state.get(v).low = Math.min(state.get(v).low, state.get(w).low);
      } else if (state.get(w).onStack) state.get(v).low = Math.min(state.get(v).low, state.get(w).index);
    }
    if (state.get(v).low === state.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        state.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? new Set()).has(v)) out.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!state.has(v)) strong(v);
  return out;
}

/**
 * Checks the tree at `root`. `overlay` adds or replaces files (root-relative path → source), so a
 * test can probe the rules without writing into src/.
 */
export function checkBoundaries(root = ROOT, overlay = {}) {
  const violations = [];
  const files = [...new Set([...sourceFiles(root), ...Object.keys(overlay)])].sort();
  const exists = (rel) =>
    rel in overlay || (fs.existsSync(path.join(root, rel)) && fs.statSync(path.join(root, rel)).isFile());
  const read = (rel) => overlay[rel] ?? fs.readFileSync(path.join(root, rel), 'utf8');

  // The table itself must be a DAG, so no folder cycle can hide behind allowed imports.
  const unitGraph = new Map(UNITS.map((u) => [u.unit, new Set(u.may)]));
  for (const loop of cycles(unitGraph))
    violations.push(`scripts/boundaries.cjs: the table allows a cycle: ${loop.join(' ↔ ')}`);
  for (const u of UNITS)
    for (const m of u.may)
      if (!unitGraph.has(m) && m !== 'src/renderer/src/styles.css')
        violations.push(
          `scripts/boundaries.cjs: ${u.unit} may import '${m}', which is not a unit of the table`,
        );

  // Every folder has its line in the map: a unit, or a part of one (a file unit stands for itself).
  const named = new Set(
    UNITS.flatMap((u) => [u.unit, ...Object.keys(u.parts ?? {}).map((p) => `${u.unit}/${p}`)]),
  );
  const unnamed = new Set(
    files.filter((f) => !named.has(f) && !named.has(path.posix.dirname(f))).map((f) => path.posix.dirname(f)),
  );
  for (const dir of unnamed)
    violations.push(
      `${dir}/: a folder the layer table (scripts/boundaries.cjs) does not name: add it as a unit or a part`,
    );

  const graph = new Map();
  for (const file of files) {
    const unit = unitOf(file);
    if (!unit) {
      violations.push(
        `${file}: not in the layer table (scripts/boundaries.cjs): add its folder and what it may import`,
      );
      continue;
    }
    let specs;
    try {
      specs = specifiersOf(file, read(file));
    } catch (error) {
      violations.push(`${file}: cannot be parsed (${error.message.split('\n')[0]})`);
      continue;
    }
    const edges = new Set();
    for (const spec of specs) {
      if (spec.startsWith('.')) {
        const target = resolveRelative(file, spec, exists);
        if (!target) {
          violations.push(`${file} → '${spec}': resolves to no file`);
          continue;
        }
        if (!target.startsWith('src/')) {
          if (!(OUTSIDE_ALLOWED.has(target) && file.startsWith('src/main/')))
            violations.push(`${file} → ${target}: source may not import files outside src/`);
          continue;
        }
        if (SOURCE.test(target)) edges.add(target);
        const targetUnit = unitOf(target);
        if (targetUnit === unit || (targetUnit && unit.may.includes(targetUnit.unit))) continue;
        if (!targetUnit && unit.may.includes(target)) continue; // a non-source file the table names (styles)
        violations.push(
          `${file} → ${target}: ${unit.unit} may not import ${targetUnit?.unit ?? target} (allowed: ${unit.may.join(', ') || 'nothing outside itself'})`,
        );
        continue;
      }
      const name = spec.startsWith('node:') ? spec.slice(5) : spec;
      if (spec.startsWith('node:') || CORE.has(name.split('/')[0])) {
        if (under(file, NO_NODE_UNITS))
          violations.push(`${file} → '${spec}': ${unit.unit} runs in the window: no Node built-ins`);
        continue;
      }
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if ((pkg === 'electron' || pkg === 'electron-store') && !under(file, ELECTRON_UNITS))
        violations.push(
          `${file} → '${spec}': only ${ELECTRON_UNITS.join(' and ')} may import electron (the headless server and the tests cannot load it)`,
        );
    }
    graph.set(file, edges);
  }
  for (const loop of cycles(graph)) violations.push(`cycle: ${loop.join(' ↔ ')}`);
  return { files: files.length, violations };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { files, violations } = checkBoundaries();
  for (const v of violations) console.error(`✖ ${v}`);
  if (violations.length > 0) {
    console.error(
      `\n${violations.length} import rule violation(s) in ${files} files (rules: scripts/boundaries.cjs)`,
    );
    process.exit(1);
  }
  console.log(`Import rules: ${files} files, no violation, no cycle.`);
}
