// The desktop app as a clerk meets it, in the real Electron (Playwright's Electron support):
// the window opens, a line posts through the form, and the local API still answers once the
// window is closed (the app lives on in the tray). Run by `npm run test:desktop`.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type ElectronApplication, _electron as electron } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = process.cwd();
let app: ElectronApplication;
let port = 0;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'store-ledger-desktop-'));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as net.AddressInfo;
      server.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  const executablePath = process.env.STORE_LEDGER_ELECTRON;
  if (!executablePath) throw new Error('run through npm run test:desktop (it finds the Electron binary)');
  port = await freePort();
  app = await electron.launch({
    executablePath,
    args: [ROOT],
    cwd: ROOT,
    env: {
      ...(process.env as Record<string, string>),
      STORE_LEDGER_API_PORT: String(port),
      // A fresh user-data folder: Linux (XDG) and Windows (APPDATA) both look here.
      XDG_CONFIG_HOME: home,
      APPDATA: home,
    },
  });
});

afterAll(async () => {
  app?.process().kill();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('the desktop app', () => {
  it('opens its window, posts a line through the form, and keeps the API up after the window closes', async () => {
    const page = await app.firstWindow();
    await page.getByRole('heading', { name: 'Store Ledger' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('link', { name: 'Create transaction' })
      .click();
    await page.locator('input').and(page.getByLabel('Organization')).fill('usmf');
    await page.getByRole('textbox', { name: 'Site' }).fill('1');
    await page.getByRole('textbox', { name: 'Warehouse' }).fill('13');
    await page.getByRole('textbox', { name: 'Product' }).fill('D0001');
    await page.getByRole('textbox', { name: 'Quantity' }).fill('3');
    await page.getByRole('textbox', { name: 'Quantity' }).press('Enter');
    // Without an environment ID the ledger still records the line; the confirmation says so.
    await page.getByTestId('posted-confirmation').getByText('D0001, quantity 3').waitFor();

    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    const visible = await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((w) => w.isVisible()),
    );
    expect(visible).toEqual([false]);
  });
});
