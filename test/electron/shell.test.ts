/**
 * The Electron shell, proven without the Electron binary: the built main bundle runs under
 * Node against a stand-in `electron` package (test/electron/fake-electron.cjs) that records
 * what main asks of Electron and lets these tests act as the window, a foreign frame, a
 * second launch, or the user quitting.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/main/api/static-files';
import { RPC_NAMES } from '../../src/shared/rpc';
import { ROOT, shellLauncher, singleClerk, tempDir } from './harness';

const { launch, appDir, dirs } = shellLauncher();

function apiPortOf(info: { apiBaseUrl: string | null }): number {
  expect(info.apiBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  return Number(new URL(info.apiBaseUrl!).port);
}

const seedLine = {
  id: 'shell-test-1',
  organizationId: 'usmf',
  productId: 'D0001',
  quantityDataSource: '@iv',
  physicalMeasure: 'adjustment',
  quantity: 5,
  dimensions: { siteId: '1', locationId: '13', colorId: 'red', sizeId: 'S', styleId: 'women' },
};

describe('Electron main bundle against a stand-in electron', () => {
  it('starts, opens the ledger in userData, registers every RPC name and locks the window down', async () => {
    const { p, userData } = launch();
    await p.loaded();
    const state = await p.state();

    expect(state.lockRequested).toBe(1);
    expect(fs.existsSync(path.join(userData, 'ledger.sqlite'))).toBe(true);
    expect([...state.channels].sort()).toEqual(RPC_NAMES.map((n) => `rpc:${n}`).sort());

    expect(state.windows).toHaveLength(1);
    const win = state.windows[0]!;
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
    });
    const preload = win.options.webPreferences.preload as string;
    expect(path.relative(appDir(), preload)).toBe(path.join('out', 'preload', 'index.js'));
    expect(fs.existsSync(preload)).toBe(true);
    expect(path.relative(appDir(), win.loadedFile!)).toBe(path.join('out', 'renderer', 'index.html'));
    expect(win.shown).toBe(true);

    const info = await p.call<{ platform: string; ledgerPath: string; dataDir: string }>('app.info');
    expect(info).toMatchObject({ platform: 'electron', dataDir: userData });
    expect(info.ledgerPath).toBe(path.join(userData, 'ledger.sqlite'));

    // The CSP replaces whatever a response carried; no permission is ever granted.
    const headers = await p.command<{ responseHeaders: Record<string, string[]> }>('headers', {
      url: pathToFileURL(win.loadedFile!).href,
      responseHeaders: {
        'content-security-policy': ["default-src * 'unsafe-eval'"],
        'Content-Type': ['text/html'],
      },
    });
    const csp = Object.entries(headers.responseHeaders).filter(
      ([k]) => k.toLowerCase() === 'content-security-policy',
    );
    expect(csp).toEqual([['Content-Security-Policy', [CONTENT_SECURITY_POLICY]]]);
    expect(headers.responseHeaders['Content-Type']).toEqual(['text/html']);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      expect(await p.command('permission', { permission })).toEqual({ granted: false, check: false });
    }

    // The packaged app has no console: what main logs also goes to a file in userData.
    expect(fs.readFileSync(path.join(userData, 'logs', 'main.log'), 'utf8')).toContain(
      `Ledger: ${info.ledgerPath}`,
    );

    // Unpackaged: the developer menu items are there, next to Edit (copy/paste).
    const roles = JSON.stringify(state.menu);
    expect(roles).toContain('"editMenu"');
    expect(roles).toContain('"toggleDevTools"');
  });

  it('ships a page whose own CSP meta tag matches the header policy (file:// may get no headers)', () => {
    const html = fs.readFileSync(path.join(ROOT, 'out/renderer/index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
    expect(meta, 'out/renderer/index.html has a CSP meta tag').not.toBeNull();
    const directives = (policy: string) =>
      policy
        .split(';')
        .map((d) => d.trim().replace(/\s+/g, ' '))
        .filter(Boolean)
        .sort();
    // frame-ancestors is ignored in a meta tag; everything else must be the same policy.
    const header = directives(CONTENT_SECURITY_POLICY).filter((d) => !d.startsWith('frame-ancestors'));
    expect(directives(meta![1]!)).toEqual(header);
  });

  it('refuses navigation away from its page and every new window; https links go to the browser', async () => {
    const { p } = launch();
    await p.loaded();
    const page = pathToFileURL((await p.state()).windows[0]!.loadedFile!).href;

    const nav = (url: string, event?: string) =>
      p.command<{ prevented: boolean }>('navigate', { url, ...(event && { event }) });
    expect(await nav('https://attacker.example/login')).toEqual({ prevented: true });
    expect(await nav('http://insecure.example/')).toEqual({ prevented: true });
    expect(await nav(pathToFileURL('/etc/passwd').href)).toEqual({ prevented: true });
    expect(await nav('javascript:alert(1)')).toEqual({ prevented: true });
    expect(await nav('https://attacker.example/redirected', 'will-redirect')).toEqual({ prevented: true });
    // Its own page (a reload, a client-side route) stays allowed.
    expect(await nav(`${page}#/lines`)).toEqual({ prevented: false });
    expect(await p.command('attachWebview')).toEqual({ prevented: true });

    const open = (url: string) => p.command<{ action: string }>('windowOpen', { url });
    expect(await open('https://scm.example.operations.dynamics.com/?mi=InventJournalTable')).toEqual({
      action: 'deny',
    });
    expect(await open('http://plain.example/')).toEqual({ action: 'deny' });
    expect(await open(pathToFileURL('/tmp/other.html').href)).toEqual({ action: 'deny' });
    expect(await open(page)).toEqual({ action: 'deny' });

    // Only the https URLs reached the system browser, and nothing else did.
    expect((await p.state()).external).toEqual([
      'https://attacker.example/login',
      'https://attacker.example/redirected',
      'https://scm.example.operations.dynamics.com/?mi=InventJournalTable',
    ]);
  });

  it('answers its own window over IPC, refuses every other sender, and validates input', async () => {
    const { p } = launch();
    await p.loaded();
    // The first start over IPC: the first manager, signed in on this window (its slot in main).
    const setUp = await p.call<{ mode: string; actor: { id: string; name: string; role: string } }>(
      'people.setup',
      {
        mode: 'people',
        name: 'Mia Manager',
        pin: '2468',
      },
    );
    expect(setUp).toMatchObject({ mode: 'people', actor: { name: 'Mia Manager', role: 'administrator' } });
    expect(await p.call('session.get')).toMatchObject({ actor: { name: 'Mia Manager' } });
    const before = await p.call<unknown[]>('apiKeys.list');

    for (const sender of ['navigated-away', 'other-file', 'subframe', 'no-frame', 'other-contents']) {
      const outcome = await p.invoke('apiKeys.create', { name: `from ${sender}` }, sender);
      expect(outcome, sender).toMatchObject({ rejected: true });
      expect('rejected' in outcome && outcome.message, sender).toMatch(/Refused/);
    }
    // None of the refused calls ran: no key was created.
    expect(await p.call('apiKeys.list')).toEqual(before);

    const bad = await p.invoke('lines.list', { top: 'ten', surprise: true });
    expect(bad).toMatchObject({ value: { ok: false, error: { code: 'invalid_input' } } });
    const fields = 'value' in bad && !bad.value.ok ? JSON.stringify(bad.value.error) : '';
    expect(fields).toContain('top');
    expect(fields).toContain('surprise');

    // Signed out, the window's calls are refused in words until someone signs in again.
    await p.call('session.signOut');
    expect(await p.invoke('lines.list', {})).toMatchObject({
      value: { ok: false, error: { code: 'signed_out' } },
    });
    await p.call('session.signIn', { personId: setUp.actor.id, pin: '2468' });

    // The whole path: settings, a line through the form RPC, the grid, and the pushed refresh.
    await p.call('settings.update', { environmentId: 'env-shell', enableFeature: true });
    const created = await p.call<{ id: string; created: boolean }>('lines.create', { line: seedLine });
    expect(created).toMatchObject({ id: 'shell-test-1', created: true });
    const page = await p.call<{ count: number; value: { id: string }[] }>('lines.list', {});
    expect(page.count).toBe(1);
    expect(page.value[0]!.id).toBe('shell-test-1');
    await p.waitFor(
      (m) => m.type === 'sent' && m.channel === 'event:ledger.changed',
      'ledger.changed pushed',
    );
  });

  it('keeps the adjustment API listening on its port and sharing the ledger with the window', async () => {
    const { p } = launch();
    await p.loaded();
    const info = await p.call<{ apiBaseUrl: string | null }>('app.info');
    const port = apiPortOf(info);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toBeTypeOf('object');

    await singleClerk(p);
    await p.call('settings.update', { environmentId: 'env-api', enableFeature: true });
    await p.call('lines.create', { line: seedLine });
    const { key: apiKey } = await p.call<{ key: string }>('apiKeys.create', { name: 'Shell test' });
    const lines = await fetch(
      `http://127.0.0.1:${port}/api/environment/env-api/transaction/adjustment/lines?productId=D0001`,
      { headers: { authorization: `Bearer ${apiKey}` } },
    );
    expect(lines.status).toBe(200);
    expect(((await lines.json()) as { count: number }).count).toBe(1);
    const wrongKey = await fetch(
      `http://127.0.0.1:${port}/api/environment/env-api/transaction/adjustment/lines`,
      {
        headers: { authorization: 'Bearer nope' },
      },
    );
    expect(wrongKey.status).toBe(401);
  });

  it('quits cleanly: closes the API listener and the ledger', async () => {
    const { p, userData } = launch();
    await p.loaded();
    const port = apiPortOf(await p.call('app.info'));
    const code = await p.quit();
    if (code !== 0) console.log(p.output);
    expect(code).toBe(0);
    expect(p.stdout).toContain('Ledger closed');
    // A clean close checkpoints and removes the WAL file.
    expect(fs.existsSync(path.join(userData, 'ledger.sqlite-wal'))).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('lives on in the tray when its window closes, the API still answering; Quit says what still waits', async () => {
    const { p } = launch();
    await p.loaded();
    const port = apiPortOf(await p.call('app.info'));
    let state = await p.state();
    expect(state.trays).toHaveLength(1);
    expect(state.trays[0]!.menu).toEqual(['Open Store Ledger', 'Sync now', 'separator', 'Quit']);
    expect(state.trays[0]!.tooltip).toMatch(/IV .* · SCM .*\n0 not synced/);

    await singleClerk(p);
    await p.call('settings.update', { environmentId: 'env-tray', enableFeature: true });
    await p.call('lines.create', { line: seedLine });
    expect(await p.command('closeWindow')).toEqual({ hidden: true, destroyed: false });
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    await expect.poll(async () => (await p.state()).trays[0]!.tooltip).toContain('1 not synced');

    await p.command('trayMenu', { label: 'Open Store Ledger' });
    state = await p.state();
    expect(state.windows[0]!.hidden).toBe(false);

    // Quit asks first (the fake answers with the first button, Quit), then stops cleanly.
    await p.command('trayMenu', { label: 'Quit' });
    const asked = await p.waitFor((m) => m.type === 'messageBox', 'the quit question');
    expect(asked.options).toMatchObject({
      message: '1 line is still waiting to reach SCM',
      buttons: ['Quit', 'Keep running'],
    });
    expect(await p.exitCode()).toBe(0);
    expect(p.stdout).toContain('Ledger closed');
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('keeps preferences in electron-store in userData: window size, theme, start at login', async () => {
    const { p, userData } = launch();
    await p.loaded();
    expect((await p.state()).loginItem).toEqual({ openAtLogin: false });
    await p.call('preferences.update', { theme: 'dark', startAtLogin: true });
    expect((await p.state()).loginItem).toEqual({ openAtLogin: true });
    await p.command('trayMenu', { label: 'Quit' });
    expect(await p.exitCode()).toBe(0);
    const stored = JSON.parse(fs.readFileSync(path.join(userData, 'preferences.json'), 'utf8'));
    expect(stored).toMatchObject({ version: 2, theme: 'dark', startAtLogin: true, window: { width: 1280 } });
    expect(JSON.stringify(stored)).not.toMatch(/secret|apiKey|sl_/i);

    const { p: again } = launch({ userData });
    await again.loaded();
    expect((await again.call<{ theme: string }>('preferences.get')).theme).toBe('dark');
    expect((await again.state()).windows[0]!.options).toMatchObject({ width: 1280, height: 820 });
    await again.quit();
  });

  it('a second instance (lock not granted) leaves without touching the ledger; the first takes focus', async () => {
    const { p: second, userData } = launch({ lock: false });
    expect(await second.exitCode()).toBe(0);
    expect(second.stdout).toContain('already running');
    expect(fs.readdirSync(userData)).toEqual([]);

    const { p: first } = launch();
    await first.loaded();
    expect(await first.command('secondInstance')).toEqual({ focused: 1 });
  });

  it('stays usable with a clear warning when the API port is taken', async () => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busyPort = (blocker.address() as AddressInfo).port;
    try {
      const { p } = launch({}, { STORE_LEDGER_API_PORT: String(busyPort) });
      await p.loaded();
      const box = await p.waitFor((m) => m.type === 'messageBox', 'the port warning');
      expect(JSON.stringify(box)).toContain(`Port ${busyPort} is already in use`);
      expect(await p.call('app.info')).toMatchObject({ apiBaseUrl: null, platform: 'electron' });
      await singleClerk(p);
      expect(await p.call('settings.get')).toBeTypeOf('object');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('stores secrets encrypted (0600, no plaintext) and reads them back after a restart', async () => {
    const userData = tempDir('store-ledger-userdata-');
    dirs.push(userData);
    const first = launch({ userData }).p;
    await first.loaded();
    await singleClerk(first);
    const { key: apiKey } = await first.call<{ key: string }>('apiKeys.create', { name: 'Shell test' });
    await first.call('settings.update', { connection: { clientSecret: 'client-secret-value-42' } });
    expect(await first.quit()).toBe(0);

    const file = path.join(userData, 'secrets.safe.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(apiKey);
    expect(text).not.toContain('client-secret-value-42');

    const second = launch({ userData }).p;
    await second.loaded();
    expect(await second.call('apiKeys.list')).toMatchObject([{ name: 'Shell test', revokedAt: null }]);
    expect(await second.call('settings.get')).toMatchObject({ hasClientSecret: true });
  });

  it('refuses to store a secret when the OS offers no encryption, and still runs', async () => {
    const { p, userData } = launch({ encryption: false });
    await p.loaded();
    await singleClerk(p);
    const refused = await p.invoke('settings.update', { connection: { clientSecret: 'would-be-plaintext' } });
    expect(refused).toMatchObject({ value: { ok: false, error: { code: 'not_configured' } } });
    expect(JSON.stringify(refused)).toMatch(/plain text/);
    expect(await p.call('settings.get')).toMatchObject({ hasClientSecret: false });
    // A store system's key is kept as a digest in the ledger, not as a secret: it still works.
    expect((await p.call<{ key: string }>('apiKeys.create', { name: 'Shell test' })).key).toMatch(/^sl_/);
    expect(fs.existsSync(path.join(userData, 'secrets.safe.json'))).toBe(false);
    for (const name of fs.readdirSync(userData, { recursive: true }) as string[]) {
      const file = path.join(userData, name);
      if (fs.statSync(file).isFile())
        expect(fs.readFileSync(file).includes('would-be-plaintext'), name).toBe(false);
    }
  });

  it('loads better-sqlite3 from the Electron build folder when it matches the runtime, else falls back', async () => {
    const nativeRoot = tempDir('store-ledger-native-');
    dirs.push(nativeRoot);
    const nativeDir = path.join(nativeRoot, '.electron-native', 'native');
    fs.mkdirSync(nativeDir, { recursive: true });
    // Stand-in for the Electron build: the Node build, labelled for the runtime running the test.
    fs.copyFileSync(
      path.join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'),
      path.join(nativeDir, 'better_sqlite3.node'),
    );
    const info = {
      electronVersion: 'test',
      abi: process.versions.modules,
      platform: process.platform,
      arch: process.arch,
      betterSqlite3Version: 'test',
    };
    fs.writeFileSync(path.join(nativeDir, 'build-info.json'), JSON.stringify(info));
    const matching = launch({ appPath: nativeRoot }).p;
    await matching.loaded();
    expect(matching.stdout).toContain(`better-sqlite3 for Electron test (ABI ${process.versions.modules})`);
    expect(await matching.call('app.info')).toMatchObject({ platform: 'electron' });
    await matching.quit();

    fs.writeFileSync(path.join(nativeDir, 'build-info.json'), JSON.stringify({ ...info, abi: '1' }));
    const stale = launch({ appPath: nativeRoot }).p;
    await stale.loaded();
    expect(stale.stdout).toContain('was built for ABI 1');
    expect(await stale.call('app.info')).toMatchObject({ platform: 'electron' });
  });

  it('shows an error and exits when the ledger cannot be opened', async () => {
    const userData = tempDir('store-ledger-userdata-');
    dirs.push(userData);
    fs.writeFileSync(
      path.join(userData, 'ledger.sqlite'),
      'this is not a database, it is a text file '.repeat(50),
    );
    const { p } = launch({ userData });
    expect(await p.exitCode()).toBe(1);
    expect(p.stderr).toMatch(/error box: Store Ledger cannot start/);
  });
});
