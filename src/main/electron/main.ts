/**
 * Store Ledger's Electron shell: wires the business layer (the same one `npm run serve` runs
 * headless) to one window over IPC, keeps the loopback adjustment API listening while the app
 * is open, and owns the app lifecycle. Nothing here holds business logic.
 */
import fs from 'node:fs';
import path from 'node:path';
import { app, type BrowserWindow, dialog, ipcMain, Menu, safeStorage, session, shell } from 'electron';
import { version } from '../../../package.json';
import type { Preferences } from '../../shared/preferences';
import { DEFAULT_PORT, type LocalServer, startLocalServer } from '../api/local-server';
import { BusinessLayer } from '../business-layer';
import { systemClock } from '../clock';
import { LedgerDamagedError, LedgerOpenError, LedgerTooNewError } from '../ledger';
import { forwardEvents, type IpcWiring, registerRpcHandlers } from './ipc';
import { quitWarning } from './lifecycle';
import { FileLog } from './logger';
import { menuTemplate } from './menu';
import { chooseNativeBinding } from './native-binding';
import { electronStoreBackend } from './preferences';
import { saveThroughDialog } from './save-file';
import { SafeStorageSecretStore, SECRETS_FILE } from './secret-store';
import {
  appPageUrl,
  hardenWebContents,
  installSessionPolicy,
  isExternalLink,
  isTrustedSender,
} from './security';
import { AppTray } from './tray';
import { createMainWindow, windowBounds } from './window';

/** Overrides the local API port (default 7780); 0 picks a free one (tests). */
export const API_PORT_ENV = 'STORE_LEDGER_API_PORT';
const SHUTDOWN_LIMIT_MS = 15_000;

const fileLog = new FileLog();
const log = fileLog.log;

function apiPort(): number {
  const raw = process.env[API_PORT_ENV];
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (Number.isInteger(port) && port >= 0 && port <= 65535) return port;
  log(`${API_PORT_ENV}=${raw} is not a port number; using ${DEFAULT_PORT}`);
  return DEFAULT_PORT;
}

function openExternal(url: string): void {
  if (!isExternalLink(url)) return;
  shell.openExternal(url).catch((error: unknown) => log(`Could not open ${url}`, error));
}

function runApp(): void {
  const rendererIndex = path.join(__dirname, '../renderer/index.html');
  const pageUrl = appPageUrl(rendererIndex);
  let win: BrowserWindow | null = null;
  let layer: BusinessLayer | null = null;
  let server: LocalServer | null = null;
  let ipc: IpcWiring | null = null;
  let stopEvents: (() => void) | null = null;
  let tray: AppTray | null = null;
  // Set once Quit is decided: closing the window then really closes it.
  let quitting = false;
  let quitConfirmed = false;
  // From will-quit on the ledger closes: nothing may ask it for its status any more.
  let shuttingDown = false;

  // Every webContents, including any a bug or an attacker manages to create, gets the guards.
  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, pageUrl, openExternal, log),
  );

  // A second launch lands here: show the window we already have instead of a second ledger owner.
  const showWindow = () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };
  app.on('second-instance', showWindow);

  // The window closes to the tray: the local API the store's systems post to stays up.
  // Only Quit (tray, menu) ends the app; with no tray (it failed to start) closing quits.
  app.on('window-all-closed', () => {
    if (!tray) app.quit();
  });

  // Quit says how many lines still wait for SCM before it stops.
  app.on('before-quit', (event) => {
    quitting = true;
    if (quitConfirmed || shuttingDown || !layer) return;
    const warning = quitWarning(layer.sync.status());
    if (!warning) return;
    event.preventDefault();
    quitting = false;
    void dialog
      .showMessageBox({
        type: 'question',
        title: 'Store Ledger',
        buttons: ['Quit', 'Keep running'],
        defaultId: 1,
        cancelId: 1,
        ...warning,
      })
      .then(({ response }) => {
        if (response !== 0) return;
        quitConfirmed = true;
        app.quit();
      });
  });

  const start = async (): Promise<void> => {
    installSessionPolicy(session.defaultSession);
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(app.isPackaged, process.platform)));

    const dataDir = app.getPath('userData');
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fileLog.attach(dataDir);
    log(`Store Ledger ${version} starting (Electron ${process.versions.electron ?? '?'})`);
    const native = chooseNativeBinding({
      isPackaged: app.isPackaged,
      appPath: app.getAppPath(),
      resourcesPath: process.resourcesPath,
      abi: process.versions.modules,
      platform: process.platform,
      arch: process.arch,
    });
    log(native.message);
    // API keys are digests in the ledger now: no secret has to live in memory without a keyring.
    const secrets = new SafeStorageSecretStore(path.join(dataDir, SECRETS_FILE), safeStorage, { log });
    try {
      layer = BusinessLayer.open({
        dataDir,
        secrets,
        platform: 'electron',
        version,
        nativeBinding: native.nativeBinding,
        log,
        preferenceBackend: electronStoreBackend(),
        saveFile: saveThroughDialog(
          dialog,
          () => app.getPath('downloads'),
          () => (win && !win.isDestroyed() ? win : null),
        ),
        clock: systemClock,
      });
    } catch (error) {
      const message =
        error instanceof LedgerTooNewError ||
        error instanceof LedgerDamagedError ||
        error instanceof LedgerOpenError
          ? error.message
          : `The ledger in ${dataDir} could not be opened: ${error instanceof Error ? error.message : String(error)}`;
      log('Could not open the ledger', error);
      dialog.showErrorBox('Store Ledger cannot start', message);
      app.exit(1);
      return;
    }
    log(`Ledger: ${layer.info().ledgerPath}`);

    let apiProblem: string | null = null;
    const port = apiPort();
    try {
      server = await startLocalServer(layer, { port, log });
      log(`Store Ledger API: ${server.baseUrl}`);
    } catch (error) {
      apiProblem =
        (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
          ? `Port ${port} is already in use (another Store Ledger, or another program). Store Ledger works, but store systems cannot post adjustments to it until the port is free and the app is restarted.`
          : `The local adjustment API could not start: ${error instanceof Error ? error.message : String(error)}. Store Ledger works, but store systems cannot post adjustments to it.`;
      log(apiProblem);
    }

    const layerNow = layer;
    ipc = registerRpcHandlers(
      ipcMain,
      layerNow,
      (event) => isTrustedSender(event, win && !win.isDestroyed() ? win.webContents : null, pageUrl),
      log,
    );
    stopEvents = forwardEvents(layerNow, () => (win && !win.isDestroyed() ? win.webContents : null));

    const prefs = layerNow.preferences;
    win = createMainWindow({
      preload: path.join(__dirname, '../preload/index.js'),
      indexHtml: rendererIndex,
      isPackaged: app.isPackaged,
      icon: app.isPackaged ? undefined : path.join(app.getAppPath(), 'resources', 'icon.png'),
      bounds: prefs.get().window,
      log,
    });
    const mainWindow = win;
    mainWindow.on('close', (event) => {
      // Size and place are this PC's: kept for the next start (electron-store).
      prefs.setWindow(windowBounds(mainWindow));
      if (quitting || !tray) return;
      event.preventDefault();
      mainWindow.hide();
    });
    mainWindow.on('closed', () => {
      win = null;
    });

    const applyLoginItem = (p: Preferences) => {
      try {
        app.setLoginItemSettings({ openAtLogin: p.startAtLogin });
      } catch (error) {
        log('Could not change the start-at-login setting', error);
      }
    };
    applyLoginItem(prefs.get());
    prefs.on('changed', (p) => applyLoginItem(p));

    try {
      tray = new AppTray(
        app.isPackaged ? path.join(process.resourcesPath, 'tray') : path.join(app.getAppPath(), 'resources'),
        {
          open: showWindow,
          syncNow: () => {
            layerNow.sync.run('all').catch((error: unknown) => log('Sync now from the tray failed', error));
          },
          quit: () => app.quit(),
        },
      );
      tray.update(layerNow.sync.status());
      const refreshTray = () => {
        if (!shuttingDown) tray?.update(layerNow.sync.status());
      };
      layerNow.events.on('sync.status', refreshTray);
      layerNow.events.on('ledger.changed', refreshTray);
    } catch (error) {
      // Some Linux desktops have no tray: then closing the window quits, as before.
      tray = null;
      log('No system tray: closing the window quits Store Ledger', error);
    }
    if (apiProblem) {
      void dialog.showMessageBox(win, {
        type: 'warning',
        title: 'Store Ledger',
        message: 'The local adjustment API is not listening',
        detail: apiProblem,
      });
    }
    layerNow.sync.start({ autoInitialize: false });
    layerNow.masterData.start();
    layerNow.audit.checkInBackground();
  };

  const startup = app.whenReady().then(start);
  startup.catch((error: unknown) => {
    log('Store Ledger could not start', error);
    dialog.showErrorBox('Store Ledger cannot start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });

  // Quit waits for the API's requests in flight and a clean ledger close (WAL checkpoint).
  let stopped = false;
  let stopping = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    shuttingDown = true;
    const limit = setTimeout(() => {
      log('Closing took too long; exiting');
      app.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    const shutdown = async () => {
      await startup.catch(() => undefined);
      tray?.destroy();
      stopEvents?.();
      ipc?.dispose();
      await server?.close();
      await layer?.close();
      log('Ledger closed');
    };
    shutdown()
      .catch((error: unknown) => log('Error while closing', error))
      .finally(() => {
        clearTimeout(limit);
        stopped = true;
        app.quit();
      });
  });
}

// Two instances must never open one ledger: the second one hands over to the first and leaves.
if (app.requestSingleInstanceLock()) runApp();
else {
  console.log('[store-ledger] Store Ledger is already running; switching to it.');
  app.quit();
}
