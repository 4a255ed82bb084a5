import fs from 'node:fs';
import { BrowserWindow, screen } from 'electron';
import type { WindowBounds } from '../../shared/preferences';

export interface MainWindowOptions {
  preload: string;
  indexHtml: string;
  isPackaged: boolean;
  icon?: string;
  /** Size and place from the last run, when they still fit on a screen. */
  bounds?: WindowBounds | null;
  log: (message: string, detail?: unknown) => void;
}

/** The one window. Its renderer gets no Node, runs sandboxed and isolated, and sees only the bridge. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const bounds = onScreen(options.bounds ?? null);
  const win = new BrowserWindow({
    width: bounds?.width ?? 1280,
    height: bounds?.height ?? 820,
    ...(bounds?.x !== undefined && bounds.y !== undefined && { x: bounds.x, y: bounds.y }),
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
  win.once('ready-to-show', () => {
    if (bounds?.maximized) win.maximize();
    win.show();
  });
  win.loadFile(options.indexHtml).catch((error: unknown) => {
    options.log(`Could not load ${options.indexHtml}`, error);
  });
  return win;
}

/** The window's size and place as kept in the preferences (the normal bounds when maximized). */
export function windowBounds(win: BrowserWindow): WindowBounds {
  const maximized = win.isMaximized();
  const b = maximized ? win.getNormalBounds() : win.getBounds();
  return { width: b.width, height: b.height, x: b.x, y: b.y, maximized };
}

/** A remembered place on a screen that is gone (a laptop off its dock) is dropped, the size kept. */
function onScreen(bounds: WindowBounds | null): WindowBounds | null {
  if (!bounds || bounds.x === undefined || bounds.y === undefined) return bounds;
  const { x, y } = bounds;
  const visible = screen
    .getAllDisplays()
    .some(
      (d) =>
        x + 100 > d.workArea.x &&
        y + 50 > d.workArea.y &&
        x < d.workArea.x + d.workArea.width - 100 &&
        y < d.workArea.y + d.workArea.height - 50,
    );
  return visible ? bounds : { width: bounds.width, height: bounds.height, maximized: bounds.maximized };
}
