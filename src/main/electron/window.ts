import fs from 'node:fs';
import { BrowserWindow } from 'electron';

export interface MainWindowOptions {
  preload: string;
  indexHtml: string;
  isPackaged: boolean;
  icon?: string;
  log: (message: string, detail?: unknown) => void;
}

/** The one window. Its renderer gets no Node, runs sandboxed and isolated, and sees only the bridge. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Store Ledger',
    backgroundColor: '#ffffff',
    ...(options.icon && fs.existsSync(options.icon) && { icon: options.icon }),
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: !options.isPackaged,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.loadFile(options.indexHtml).catch((error: unknown) => {
    options.log(`Could not load ${options.indexHtml}`, error);
  });
  return win;
}
