import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Emulator, provisioningConfig, startEmulator } from '../upstream-emulator/index';

// Tests run from the project root (npm test, npx vitest).
const ROOT = process.cwd();
const SERVER = path.join(ROOT, 'out/main/server.js');
export const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');
const CHROMIUM = '/usr/bin/chromium';

/** Polls until `check` holds (usable in hooks, where expect.poll is not). */
export async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `store-ledger-e2e-${prefix}-`));
}

/**
 * The person every stack signs in as unless a test says otherwise: the first start's person (an
 * administrator), made over RPC as the first screen makes her, so the whole suite passes the role
 * check a store's window does. Tests of a clerk's or manager's view add those people themselves.
 */
export const ADMIN = { name: 'Ada Admin', pin: '2468' } as const;
/** A store system's key the stacks' provisioning file lists (a clerk's key: it posts lines). */
export const TILL_KEY = {
  name: 'Till 1',
  key: 'sl_e2e-till-key-0123456789abcdefghijklmnop',
  role: 'clerk',
} as const;
export const SESSION_HEADER = 'x-store-ledger-session';

/** The headless server (`npm run serve`), as a child process on port 0. */
export class ServerProcess {
  private proc: ChildProcess | null = null;
  uiUrl = '';
  baseUrl = '';
  output = '';
  /** The harness's own session (ADMIN's), for rpcCall; null before sign-in or in single-clerk mode. */
  session: string | null = null;

  constructor(
    readonly dataDir: string,
    readonly configFile: string | undefined,
  ) {}

  /** The running server's process ID (to read its memory), or undefined when stopped. */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** The run's token, from the printed address. */
  get token(): string {
    return new URL(this.uiUrl).hash.replace(/^#token=/, '');
  }

  /**
   * Starts the server and, unless `signIn` is false, signs ADMIN in over RPC: the first start on
   * a fresh ledger (she becomes its first administrator), or her PIN on a ledger that has people.
   */
  async start(options: { withConfig?: boolean; signIn?: boolean } = {}): Promise<void> {
    if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run npx electron-vite build first`);
    const args = [SERVER, '--data-dir', this.dataDir, '--port', '0'];
    if (this.configFile && options.withConfig !== false) args.push('--config', this.configFile);
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
    this.proc = proc;
    this.output = '';
    proc.stderr?.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    this.uiUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`server did not print its URL:\n${this.output}`)),
        20_000,
      );
      proc.stdout?.on('data', (d: Buffer) => {
        this.output += d.toString();
        const match = /Store Ledger UI: (\S+)/.exec(this.output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}:\n${this.output}`));
      });
    });
    this.baseUrl = new URL(this.uiUrl).origin;
    this.session = null;
    if (options.signIn !== false) await this.signInAdmin();
  }

  /** ADMIN signed in for the harness's RPC calls (helpers below). */
  async signInAdmin(): Promise<void> {
    const view = await rpcReply<{ mode: string; people: { personId: string; name: string }[] }>(
      this,
      'session.get',
    );
    if (view.value.mode === 'single-clerk') return;
    const reply =
      view.value.mode === 'unset'
        ? await rpcReply(this, 'people.setup', { mode: 'people', name: ADMIN.name, pin: ADMIN.pin })
        : await rpcReply(this, 'session.signIn', {
            personId: view.value.people.find((p) => p.name === ADMIN.name)?.personId,
            pin: ADMIN.pin,
          });
    if (!reply.session) throw new Error(`could not sign ${ADMIN.name} in: ${JSON.stringify(reply.value)}`);
    this.session = reply.session;
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    this.proc = null;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      proc.kill('SIGTERM');
    });
  }
}

export interface Stack {
  emulator: Emulator;
  server: ServerProcess;
  dataDir: string;
  close(): Promise<void>;
}

/** Emulator in-process, the provisioning file it describes, and the server pointed at it. */
export async function startStack(
  options: { importDelayMs?: number; postingDelayMs?: number } = {},
): Promise<Stack> {
  const emulator = await startEmulator({
    importDelayMs: options.importDelayMs ?? 20,
    postingDelayMs: options.postingDelayMs ?? 20,
  });
  const dataDir = tempDir('data');
  const configFile = path.join(tempDir('config'), 'provisioning.json');
  // The till's key is provisioned as store IT would: hashed when the file is applied.
  const config = { ...provisioningConfig(emulator), apiKeys: [TILL_KEY] };
  fs.writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
  const server = new ServerProcess(dataDir, configFile);
  try {
    await server.start();
    // With --config the server initializes itself (checks both upstreams); runs before that are skipped.
    await until(
      async () => (await rpcCall<{ initialized: boolean }>(server, 'sync.status')).initialized,
      20_000,
      'auto-initialize',
    );
  } catch (error) {
    // Never leave a server or the emulator behind a failed start.
    await server.stop();
    await emulator.close();
    throw error;
  }
  return {
    emulator,
    server,
    dataDir,
    close: async () => {
      await server.stop();
      await emulator.close();
    },
  };
}

/**
 * One chromium per test file, with a fresh profile; console errors are collected per page.
 * `locale` is the UI's language (navigator.language): numbers are typed and read in it.
 */
export async function launchBrowser(
  options: { locale?: string } = {},
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = tempDir('profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    colorScheme: 'light',
    ...(options.locale && { locale: options.locale }),
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions since the page opened. */
  errors: string[];
}

export async function openPage(context: BrowserContext, url: string): Promise<WatchedPage> {
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  // Fail fast: a missing element is a failed step, not a 30 s wait.
  page.setDefaultTimeout(10_000);
  await page.goto(url);
  await signInIfAsked(page);
  return { page, errors };
}

/**
 * On the sign-in screen, signs in as a person would with a keyboard: the name (typed, Enter),
 * then the PIN typed at a person's pace (a scanner's pace would read as a badge), then Enter.
 * Answers once the pages show. Off the sign-in screen it does nothing.
 */
export async function signInIfAsked(page: Page, who: { name: string; pin: string } = ADMIN): Promise<void> {
  await page.getByRole('heading', { name: 'Store Ledger' }).waitFor();
  const form = page.getByRole('form', { name: 'Sign in' });
  if (!(await form.isVisible())) return;
  await signInAs(page, who);
}

export async function signInAs(page: Page, who: { name: string; pin: string }): Promise<void> {
  const name = page.getByRole('combobox', { name: 'Your name' });
  if ((await name.inputValue()) !== who.name) {
    await name.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(who.name, { delay: 60 });
    await page.keyboard.press('Enter');
  }
  await page.getByLabel('PIN', { exact: true }).focus();
  await page.keyboard.type(who.pin, { delay: 120 });
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();
}

/** The label of the focused field, without its required-asterisk (a string: this file has no DOM types). */
export function focusedLabel(p: Page): Promise<string | null> {
  return p.evaluate<string | null>(
    "document.activeElement?.labels?.[0]?.textContent?.replace(/\\s*\\*$/, '') ?? null",
  );
}

export interface BrowserSession {
  stack: Stack;
  page: Page;
  watched: WatchedPage;
}

/**
 * One emulator, server and Chromium page for a test file: started before its tests (`seed`
 * runs against the stack before the page opens), closed after them.
 */
export function browserSession(seed?: (stack: Stack) => Promise<void>): BrowserSession {
  const session = {} as BrowserSession;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  beforeAll(async () => {
    session.stack = await startStack();
    await seed?.(session.stack);
    browser = await launchBrowser();
    session.watched = await openPage(browser.context, session.stack.server.uiUrl);
    session.page = session.watched.page;
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await session.stack?.close();
  });
  return session;
}

/** A file's last test: no page logged a console error (the server's output explains one). */
export function itLoggedNoConsoleError(session: BrowserSession): void {
  it('logged no console error on any page', () => {
    expect(session.watched.errors, `server output:\n${session.stack.server.output}`).toEqual([]);
  });
}

/** Goes to a page through the navigation, as a user would. */
export async function goTo(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: label }).click();
}

/** The page in the OS colour scheme given (the app follows it by default), transitions settled. */
export async function emulateColorScheme(page: Page, scheme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  await until(
    async () => (await page.locator('html').getAttribute('data-mantine-color-scheme')) === scheme,
    5_000,
    `colour scheme ${scheme}`,
  );
  // Let transitions (badges, drawers) settle.
  await page.waitForTimeout(250);
}

/** Light and dark pictures; dialogs and drawers are shot as the window shows them, pages whole. */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // A full-page picture of a scrolled page repeats the fixed header in the middle, and
  // toasts (fixed too) land mid-page: scroll to the top and leave the toasts out.
  await page.evaluate('window.scrollTo(0, 0)');
  const hideToasts = await page.addStyleTag({ content: '.mantine-Notifications-root { display: none; }' });
  for (const scheme of ['light', 'dark'] as const) {
    await emulateColorScheme(page, scheme);
    await page.screenshot({
      path: path.join(SCREENSHOTS, `${name}-${scheme}.png`),
      fullPage: options.fullPage ?? true,
    });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await hideToasts.evaluate((el) => (el as unknown as { remove(): void }).remove());
}

/**
 * One RPC over the browser shell's transport as the UI sends it: the run's token and a person's
 * session (the harness's ADMIN unless another is given). Answers the reply whole, and the session
 * the call signed in (the response header), if any.
 */
export async function rpcReply<T>(
  server: ServerProcess,
  name: string,
  input: object = {},
  session: string | null = server.session,
): Promise<{ ok: boolean; value: T; error?: { code: string; message: string }; session: string | null }> {
  const res = await fetch(`${server.baseUrl}/rpc/${name}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-store-ledger-token': server.token,
      ...(session && { [SESSION_HEADER]: session }),
    },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; value: T; error?: { code: string; message: string } };
  return { ...body, session: res.headers.get(SESSION_HEADER) || null };
}

/** One RPC as the harness's ADMIN; throws with main's words when refused. */
export async function rpcCall<T>(server: ServerProcess, name: string, input: object = {}): Promise<T> {
  const body = await rpcReply<T>(server, name, input);
  if (!body.ok) throw new Error(`${name}: ${body.error?.message}`);
  return body.value;
}

/** Calls the local adjustment API the way a store system does: with its own key (TILL_KEY). */
export async function apiPost(stack: Stack, lines: object[], instant = false): Promise<unknown> {
  const key = TILL_KEY.key;
  const env = stack.emulator.credentials.environmentId;
  const res = await fetch(
    `${stack.server.baseUrl}/api/environment/${env}/transaction/adjustment/bulk${instant ? '?createWithIVSync=true' : ''}`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(lines),
    },
  );
  if (!res.ok) throw new Error(`API answered ${res.status}: ${await res.text()}`);
  return res.json();
}

export function line(id: string, productId: string, quantity: number, extra: object = {}): object {
  return {
    id,
    organizationId: 'usmf',
    productId,
    quantityDataSource: '@iv',
    physicalMeasure: 'adjustment',
    quantity,
    dimensions: { siteId: '1', locationId: '13' },
    ...extra,
  };
}
