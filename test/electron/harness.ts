import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';

export const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'out');

/** `npm test` builds before vitest; when run alone, build once here. */
export function ensureBuilt(): void {
  const needed = ['main/index.js', 'preload/index.js'].map((f) => path.join(OUT, f));
  if (needed.every((f) => fs.existsSync(f))) return;
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * A folder that looks like the project to the built main bundle: `out` linked to the real
 * build, `node_modules` linking every real dependency except `electron`, which is the stand-in.
 */
export function makeAppDir(): string {
  const appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-ledger-shell-'));
  fs.symlinkSync(OUT, path.join(appDir, 'out'), 'dir');
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(appDir, 'package.json'));
  const modules = path.join(appDir, 'node_modules');
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (entry === 'electron' || entry.startsWith('.')) continue;
    fs.symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(modules, entry), 'dir');
  }
  const fake = path.join(modules, 'electron');
  fs.mkdirSync(fake);
  fs.writeFileSync(path.join(fake, 'package.json'), JSON.stringify({ name: 'electron', main: 'index.js' }));
  fs.copyFileSync(path.join(__dirname, 'fake-electron.cjs'), path.join(fake, 'index.js'));
  return appDir;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface FakeConfig {
  userData: string;
  appPath: string;
  lock?: boolean;
  encryption?: boolean;
  isPackaged?: boolean;
  resourcesPath?: string;
}

type Message = { type: string; id?: number; result?: unknown; error?: string; [key: string]: unknown };

export interface WindowRecord {
  options: {
    webPreferences: Record<string, unknown>;
    [key: string]: unknown;
  };
  loadedFile: string | null;
  shown: boolean;
  hidden?: boolean;
  focused: number;
}

export interface FakeState {
  ready: boolean;
  lockRequested: number;
  windows: WindowRecord[];
  channels: string[];
  menu: { label?: string; role?: string; submenu?: { role?: string }[] }[] | null;
  errorBoxes: { title: string; content: string }[];
  messageBoxes: { message?: string; detail?: string; type?: string }[];
  saveDialogs: {
    options: { defaultPath?: string; filters?: { extensions: string[] }[] };
    withWindow: boolean;
  }[];
  external: string[];
  sent: { channel: string; data: unknown }[];
  trays: { image: string; tooltip: string; menu: string[]; destroyed: boolean }[];
  loginItem: { openAtLogin: boolean } | null;
}

export type InvokeOutcome =
  | { value: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } } }
  | { rejected: true; message: string };

/** The built main bundle running against the stand-in `electron`, driven over the IPC channel. */
export class ShellProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly messages: Message[] = [];
  private waiters: { test: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  private nextId = 1;

  constructor(appDir: string, config: FakeConfig, env: Record<string, string | undefined> = {}) {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, STORE_LEDGER_API_PORT: '0', ...env };
    delete childEnv.STORE_LEDGER_API_KEY;
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
    childEnv.FAKE_ELECTRON = JSON.stringify(config);
    this.child = spawn(
      process.execPath,
      ['--preserve-symlinks', '--preserve-symlinks-main', path.join(appDir, 'out/main/index.js')],
      // Advanced: a test's Uint8Array reaches the fake as bytes, as the window's does over IPC.
      { cwd: appDir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' },
    );
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.child.on('message', (message: Message) => {
      this.messages.push(message);
      const waiting = this.waiters.filter((w) => w.test(message));
      this.waiters = this.waiters.filter((w) => !w.test(message));
      for (const w of waiting) w.resolve(message);
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  get output(): string {
    return `--- stdout\n${this.stdout}\n--- stderr\n${this.stderr}`;
  }

  waitFor(test: (m: Message) => boolean, what: string, timeoutMs = 15_000): Promise<Message> {
    const seen = this.messages.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Timed out waiting for ${what}\n${this.output}`)),
        timeoutMs,
      );
      const done = (m: Message) => {
        clearTimeout(timer);
        resolve(m);
      };
      this.waiters.push({ test, resolve: done });
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`The app exited (${code}) while waiting for ${what}\n${this.output}`));
      });
    });
  }

  async loaded(): Promise<void> {
    await this.waitFor((m) => m.type === 'loaded', 'the window to load');
  }

  async command<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    if (!this.child.connected)
      throw new Error(`The app is no longer running; cannot send ${cmd}\n${this.output}`);
    // A send racing the child's exit fails here, and the wait below reports the exit.
    this.child.send({ id, cmd, ...args }, () => undefined);
    const reply = await this.waitFor((m) => m.type === 'reply' && m.id === id, `reply to ${cmd}`);
    if (reply.error) throw new Error(`${cmd} failed in the fake: ${reply.error}`);
    return reply.result as T;
  }

  state(): Promise<FakeState> {
    return this.command<FakeState>('state');
  }

  invoke(name: string, input: unknown, sender = 'window'): Promise<InvokeOutcome> {
    return this.command<InvokeOutcome>('invoke', { channel: `rpc:${name}`, input, sender });
  }

  /** The RPC reply of a trusted call, failing the test on a rejection or an error. */
  async call<T>(name: string, input: unknown = {}): Promise<T> {
    const outcome = await this.invoke(name, input);
    if ('rejected' in outcome) throw new Error(`${name} was rejected: ${outcome.message}`);
    if (!outcome.value.ok) throw new Error(`${name} failed: ${JSON.stringify(outcome.value.error)}`);
    return outcome.value.value as T;
  }

  async quit(): Promise<number | null> {
    await this.command('quit');
    return this.exitCode();
  }

  /** Waits for the process to end (bounded), killing it past the limit. */
  async exitCode(timeoutMs = 20_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const result = await Promise.race([this.exited, limit]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.child.kill('SIGKILL');
      throw new Error(`The app did not exit within ${timeoutMs} ms\n${this.output}`);
    }
    return result;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** The first start in single-clerk mode: the computer's user may do everything, as before people. */
export async function singleClerk(p: ShellProcess): Promise<void> {
  await p.call('people.setup', { mode: 'single-clerk' });
}

/**
 * A test file's launcher: the app folder built once, every shell it launched killed after its
 * test, and every folder it made (or was given in `dirs`) removed after the file.
 */
export function shellLauncher(): {
  launch: (
    config?: Partial<FakeConfig>,
    env?: Record<string, string | undefined>,
  ) => { p: ShellProcess; userData: string };
  appDir: () => string;
  dirs: string[];
} {
  let appDir = '';
  const running: ShellProcess[] = [];
  const dirs: string[] = [];
  beforeAll(() => {
    ensureBuilt();
    appDir = makeAppDir();
    dirs.push(appDir);
  });
  afterEach(() => {
    for (const p of running.splice(0)) p.kill();
  });
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    launch(config = {}, env = {}) {
      const userData = config.userData ?? tempDir('store-ledger-userdata-');
      if (!config.userData) dirs.push(userData);
      const p = new ShellProcess(appDir, { userData, appPath: appDir, ...config }, env);
      running.push(p);
      return { p, userData };
    },
    appDir: () => appDir,
    dirs,
  };
}
