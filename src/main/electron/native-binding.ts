import fs from 'node:fs';
import path from 'node:path';

/**
 * better-sqlite3 built for Electron's ABI lives apart from node_modules/better-sqlite3/build,
 * which keeps the Node build that `npm test` loads. scripts/prepare-electron.mjs writes these
 * two files; electron-builder.yml ships them as resources/native. Keep the names in step with
 * that script (test/electron/prepare-electron.test.ts checks they agree).
 */
export const NATIVE_DIR_DEV = path.join('.electron-native', 'native');
export const NATIVE_DIR_PACKAGED = 'native';
export const BINDING_FILE = 'better_sqlite3.node';
export const BUILD_INFO_FILE = 'build-info.json';

export interface NativeBuildInfo {
  electronVersion: string;
  abi: string;
  platform: string;
  arch: string;
  betterSqlite3Version: string;
}

export interface NativeBindingContext {
  isPackaged: boolean;
  /** app.getAppPath(): the project folder when run as `electron .`. */
  appPath: string;
  /** process.resourcesPath in a packaged app. */
  resourcesPath: string;
  /** process.versions.modules of the running Electron. */
  abi: string;
  platform: string;
  arch: string;
}

export type NativeBindingChoice =
  | { nativeBinding: string; message: string }
  | { nativeBinding: undefined; message: string };

/**
 * Picks the Electron build of better-sqlite3 when one made for this very runtime exists;
 * otherwise the default resolution, which only works if node_modules happens to hold an
 * Electron build (the message says how to fix it when it does not).
 */
export function chooseNativeBinding(ctx: NativeBindingContext): NativeBindingChoice {
  const dir = ctx.isPackaged
    ? path.join(ctx.resourcesPath, NATIVE_DIR_PACKAGED)
    : path.join(ctx.appPath, NATIVE_DIR_DEV);
  const binding = path.join(dir, BINDING_FILE);
  const fallback = (why: string): NativeBindingChoice => ({
    nativeBinding: undefined,
    message: `${why}; using better-sqlite3 from node_modules instead. If opening the ledger fails with NODE_MODULE_VERSION, run \`node scripts/prepare-electron.mjs\` (npm start does).`,
  });
  if (!fs.existsSync(binding)) return fallback(`No Electron build of better-sqlite3 at ${binding}`);
  let info: Partial<NativeBuildInfo>;
  try {
    info = JSON.parse(fs.readFileSync(path.join(dir, BUILD_INFO_FILE), 'utf8')) as Partial<NativeBuildInfo>;
  } catch {
    return fallback(`${path.join(dir, BUILD_INFO_FILE)} is missing or unreadable`);
  }
  if (info.abi !== ctx.abi || info.platform !== ctx.platform || info.arch !== ctx.arch) {
    return fallback(
      `${binding} was built for ABI ${info.abi} ${info.platform}-${info.arch}, this runtime is ABI ${ctx.abi} ${ctx.platform}-${ctx.arch}`,
    );
  }
  return {
    nativeBinding: binding,
    message: `better-sqlite3 for Electron ${info.electronVersion} (ABI ${info.abi}): ${binding}`,
  };
}
