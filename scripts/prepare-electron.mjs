#!/usr/bin/env node
/**
 * Gets a developer machine ready for `npm start` (it needs the internet the first time):
 *
 *   1. the Electron binary: Electron 42+ no longer downloads it at `npm install`, only lazily;
 *      fetching it here fails early with a clear message instead of inside electron-vite;
 *   2. better-sqlite3 built for Electron's ABI, in .electron-native/, never in
 *      node_modules/better-sqlite3/build (that is Node's build, which `npm test` loads).
 *      Main loads it through better-sqlite3's `nativeBinding` option
 *      (src/main/electron/native-binding.ts); electron-builder.yml ships the same file.
 *
 * Both steps are skipped when already done for this Electron version, platform and arch.
 *
 *   node scripts/prepare-electron.mjs [--force] [--dry-run] [--json] [--skip-download] [--root DIR]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

// Keep in step with src/main/electron/native-binding.ts (test/electron/prepare-electron.test.ts checks).
export const NATIVE_ROOT = '.electron-native';
export const STAGE_DIR = path.join(NATIVE_ROOT, 'better-sqlite3');
export const OUTPUT_DIR = path.join(NATIVE_ROOT, 'native');
export const BINDING_FILE = 'better_sqlite3.node';
export const BUILD_INFO_FILE = 'build-info.json';
/** Node's build of the module, which this script must never write to. */
const PROTECTED = path.join('node_modules', 'better-sqlite3');
/** What the staging copy leaves out: any existing (Node-ABI) build output. */
const NOT_STAGED = new Set(['build', 'prebuilds', 'bin', 'node_modules']);

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export class PrepareError extends Error {}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The installed electron and better-sqlite3 packages, and Electron's ABI. */
export function readProject(root) {
  const electronDir = path.join(root, 'node_modules', 'electron');
  const sqliteDir = path.join(root, 'node_modules', 'better-sqlite3');
  for (const dir of [electronDir, sqliteDir]) {
    if (!fs.existsSync(path.join(dir, 'package.json'))) {
      throw new PrepareError(`${path.relative(root, dir)} is missing: run \`npm ci\` first.`);
    }
  }
  const electronVersion = readJson(path.join(electronDir, 'package.json')).version;
  const betterSqlite3Version = readJson(path.join(sqliteDir, 'package.json')).version;
  // The electron package ships its ABI number; node-abi knows it too, as a fallback.
  let abi = null;
  const abiFile = path.join(electronDir, 'abi_version');
  if (fs.existsSync(abiFile)) abi = fs.readFileSync(abiFile, 'utf8').trim();
  return { electronDir, sqliteDir, electronVersion, betterSqlite3Version, abi };
}

function electronPlatformPath(platform) {
  switch (platform) {
    case 'mas':
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'freebsd':
    case 'openbsd':
    case 'linux':
      return 'electron';
    case 'win32':
      return 'electron.exe';
    default:
      throw new PrepareError(`Electron builds are not available on platform ${platform}`);
  }
}

/** The same test node_modules/electron/install.js makes before downloading. */
export function electronBinaryStatus(electronDir, version, env = process.env, platform = process.platform) {
  const platformPath = electronPlatformPath(
    env.ELECTRON_INSTALL_PLATFORM || env.npm_config_platform || platform,
  );
  const read = (file) => {
    try {
      return fs.readFileSync(path.join(electronDir, file), 'utf8');
    } catch {
      return null;
    }
  };
  const executable = env.ELECTRON_OVERRIDE_DIST_PATH
    ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, platformPath)
    : path.join(electronDir, 'dist', platformPath);
  const distVersion = read(path.join('dist', 'version'));
  if (distVersion === null || distVersion.trim().replace(/^v/, '') !== version) {
    return {
      installed: false,
      executable,
      reason: distVersion === null ? 'not downloaded yet' : `dist holds ${distVersion.trim()}`,
    };
  }
  if (read('path.txt') !== platformPath)
    return { installed: false, executable, reason: 'path.txt missing or for another platform' };
  if (!fs.existsSync(executable)) return { installed: false, executable, reason: `${executable} is missing` };
  return { installed: true, executable, reason: `Electron ${version} is installed` };
}

/** Whether the Electron build of better-sqlite3 must be made, and where everything goes. */
export function planNative({
  root,
  electronVersion,
  abi,
  platform,
  arch,
  betterSqlite3Version,
  force = false,
}) {
  const stageDir = path.join(root, STAGE_DIR);
  const outputDir = path.join(root, OUTPUT_DIR);
  const binding = path.join(outputDir, BINDING_FILE);
  const buildInfo = { electronVersion, abi, platform, arch, betterSqlite3Version };
  const base = { stageDir, outputDir, binding, buildInfo };
  if (force) return { ...base, action: 'build', reason: '--force' };
  if (!fs.existsSync(binding)) return { ...base, action: 'build', reason: 'no Electron build yet' };
  let existing;
  try {
    existing = readJson(path.join(outputDir, BUILD_INFO_FILE));
  } catch {
    return {
      ...base,
      action: 'build',
      reason: `${BUILD_INFO_FILE} missing or unreadable (an interrupted build?)`,
    };
  }
  const changed = Object.keys(buildInfo).filter((key) => existing[key] !== buildInfo[key]);
  if (changed.length > 0) {
    const what = changed.map((key) => `${key} ${existing[key]} → ${buildInfo[key]}`).join(', ');
    return { ...base, action: 'build', reason: `built for something else (${what})` };
  }
  return {
    ...base,
    action: 'skip',
    reason: `already built for Electron ${electronVersion} (ABI ${abi}, ${platform}-${arch})`,
  };
}

function assertNotProtected(root, target) {
  const protectedDir = path.join(root, PROTECTED);
  const rel = path.relative(protectedDir, target);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
    throw new PrepareError(`Refusing to write into ${protectedDir}: npm test needs Node's build there`);
  }
}

/** Copies the module's sources (not its Node build) to the staging folder, fresh. */
export function stageSources(root, sourceDir, stageDir) {
  assertNotProtected(root, stageDir);
  fs.rmSync(stageDir, { recursive: true, force: true });
  fs.mkdirSync(stageDir, { recursive: true });
  const copied = [];
  for (const entry of fs.readdirSync(sourceDir)) {
    if (NOT_STAGED.has(entry)) continue;
    fs.cpSync(path.join(sourceDir, entry), path.join(stageDir, entry), {
      recursive: true,
      dereference: true,
    });
    copied.push(entry);
  }
  return copied.sort();
}

/** Publishes the built binding: the binary first, build-info.json last (it marks completion). */
export function publishBinding(root, plan, builtBinding) {
  assertNotProtected(root, plan.outputDir);
  fs.rmSync(plan.outputDir, { recursive: true, force: true });
  fs.mkdirSync(plan.outputDir, { recursive: true });
  fs.copyFileSync(builtBinding, plan.binding);
  fs.writeFileSync(
    path.join(plan.outputDir, BUILD_INFO_FILE),
    `${JSON.stringify(plan.buildInfo, null, 2)}\n`,
  );
}

async function electronAbi(project) {
  if (project.abi) return project.abi;
  const { getAbi } = (await import('node-abi')).default;
  return String(getAbi(project.electronVersion, 'electron'));
}

function downloadElectron(project, log) {
  log(
    `Downloading Electron ${project.electronVersion} (once; Electron 42+ no longer does it at npm install)...`,
  );
  const result = spawnSync(process.execPath, [path.join(project.electronDir, 'install.js')], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    throw new PrepareError(
      [
        `Could not download Electron ${project.electronVersion}.`,
        'It comes from GitHub (github.com/electron/electron/releases) unless ELECTRON_MIRROR is set;',
        'behind a proxy set HTTPS_PROXY; a cached zip can be used via electron_config_cache.',
        'Then run `npm start` again (or `npx install-electron`).',
      ].join('\n'),
    );
  }
}

async function buildNative(root, project, plan, rebuild, log) {
  log(
    `Building better-sqlite3 ${project.betterSqlite3Version} for Electron ${project.electronVersion} (ABI ${plan.buildInfo.abi}) in ${path.relative(root, plan.stageDir)}`,
  );
  log(
    '  (a prebuilt binary is downloaded when one exists; otherwise it compiles: Python 3 and a C++ toolchain needed)',
  );
  stageSources(root, project.sqliteDir, plan.stageDir);
  try {
    // buildPath is the staged copy itself; onlyModules [] keeps the walker from touching anything else.
    await rebuild({
      buildPath: plan.stageDir,
      projectRootPath: plan.stageDir,
      electronVersion: project.electronVersion,
      arch: plan.buildInfo.arch,
      onlyModules: [],
      force: true,
      mode: 'sequential',
    });
  } catch (error) {
    throw new PrepareError(
      `Building better-sqlite3 for Electron failed: ${error instanceof Error ? error.message : error}\n` +
        'It needs the internet (Electron headers or a prebuilt binary) and, without a prebuilt, Python 3 and a C++ compiler ' +
        '(Windows: Visual Studio Build Tools with "Desktop development with C++"; Debian: build-essential python3).',
    );
  }
  const built = path.join(plan.stageDir, 'build', 'Release', BINDING_FILE);
  if (!fs.existsSync(built)) throw new PrepareError(`The build finished but ${built} is missing`);
  publishBinding(root, plan, built);
  log(`Electron build of better-sqlite3: ${path.relative(root, plan.binding)}`);
}

async function defaultRebuild(options) {
  const { rebuild } = await import('@electron/rebuild');
  await rebuild(options);
}

/**
 * Both steps. `download` and `rebuild` are injectable so the decisions and file moves can be
 * tested without the network.
 */
export async function prepare({
  root = PROJECT_ROOT,
  force = false,
  dryRun = false,
  skipDownload = false,
  platform = process.platform,
  arch = process.arch,
  env = process.env,
  download = downloadElectron,
  rebuild = defaultRebuild,
  log = (line) => console.log(`[prepare-electron] ${line}`),
} = {}) {
  const project = readProject(root);
  const binary = electronBinaryStatus(project.electronDir, project.electronVersion, env, platform);
  const plan = planNative({
    root,
    electronVersion: project.electronVersion,
    abi: await electronAbi(project),
    platform,
    arch,
    betterSqlite3Version: project.betterSqlite3Version,
    force,
  });
  const electronAction = binary.installed || skipDownload ? 'skip' : 'download';
  const summary = {
    root,
    electron: { version: project.electronVersion, ...binary, action: electronAction },
    native: plan,
  };
  if (dryRun) return summary;
  if (electronAction === 'download') download(project, log);
  else log(`Electron binary: ${binary.installed ? binary.reason : 'download skipped (--skip-download)'}`);
  if (plan.action === 'build') await buildNative(root, project, plan, rebuild, log);
  else log(`better-sqlite3 for Electron: ${plan.reason}`);
  return summary;
}

const USAGE =
  'Usage: node scripts/prepare-electron.mjs [--force] [--dry-run] [--json] [--skip-download] [--root DIR]';

async function main(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        force: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'skip-download': { type: 'boolean', default: false },
        root: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new PrepareError(`${error.message}\n${USAGE}`);
  }
  if (values.help) return console.log(USAGE);
  const summary = await prepare({
    root: path.resolve(values.root ?? PROJECT_ROOT),
    force: values.force,
    dryRun: values['dry-run'],
    skipDownload: values['skip-download'],
  });
  if (!values['dry-run']) return;
  if (values.json) console.log(JSON.stringify(summary, null, 2));
  else {
    console.log(
      `[prepare-electron] Electron binary: ${summary.electron.action} (${summary.electron.reason})`,
    );
    console.log(
      `[prepare-electron] better-sqlite3 for Electron: ${summary.native.action} (${summary.native.reason}) → ${summary.native.binding}`,
    );
  }
}

const invokedDirectly =
  process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(
      `[prepare-electron] ${error instanceof PrepareError ? error.message : (error?.stack ?? error)}`,
    );
    process.exit(1);
  });
}
