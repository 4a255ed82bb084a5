'use strict';
/**
 * A stand-in for the `electron` package, enough to run the built main bundle under plain Node
 * (no Electron binary can run on CI machines). It records what main asks of Electron and lets
 * the test drive it over the child-process IPC channel: invoke a handler as a given sender,
 * navigate, open a window, fetch headers, quit. Configured by the FAKE_ELECTRON env variable.
 */
const { EventEmitter } = require('node:events');
const { pathToFileURL } = require('node:url');

const config = JSON.parse(process.env.FAKE_ELECTRON || '{}');
if (config.resourcesPath) process.resourcesPath = config.resourcesPath;

const state = {
  lockRequested: 0,
  windows: [],
  channels: [],
  menu: null,
  errorBoxes: [],
  messageBoxes: [],
  saveDialogs: [],
  external: [],
  sent: [],
  trays: [],
  loginItem: null,
};

function send(type, data) {
  if (process.send && process.connected) process.send({ type, ...data });
}

class FakeEvent {
  constructor(extra) {
    Object.assign(this, extra);
    this.defaultPrevented = false;
  }
  preventDefault() {
    this.defaultPrevented = true;
  }
}

let nextId = 1;
class WebFrameMain {
  constructor(url, parent = null) {
    this.url = url;
    this.parent = parent;
    this.processId = 1;
    this.routingId = nextId++;
  }
}

class WebContents extends EventEmitter {
  constructor() {
    super();
    this.id = nextId++;
    this.destroyed = false;
    this.mainFrame = new WebFrameMain('about:blank');
    this.windowOpenHandler = null;
  }
  isDestroyed() {
    return this.destroyed;
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  send(channel, data) {
    state.sent.push({ channel, data });
    send('sent', { channel, data });
  }
  getURL() {
    return this.mainFrame.url;
  }
}

const app = new EventEmitter();
let ready = false;
const readyPromise = new Promise((resolve) => {
  setImmediate(() => {
    ready = true;
    app.emit('ready');
    resolve();
  });
});

const windows = [];
class BrowserWindow extends EventEmitter {
  constructor(options = {}) {
    super();
    this.options = options;
    this.destroyed = false;
    this.record = { options, loadedFile: null, shown: false, focused: 0 };
    state.windows.push(this.record);
    this.webContents = new WebContents();
    windows.push(this);
    app.emit('web-contents-created', new FakeEvent(), this.webContents);
  }
  static getAllWindows() {
    return windows.slice();
  }
  loadFile(file) {
    this.record.loadedFile = file;
    this.webContents.mainFrame.url = pathToFileURL(file).href;
    setImmediate(() => {
      this.emit('ready-to-show');
      send('loaded', { file });
    });
    return Promise.resolve();
  }
  show() {
    this.record.shown = true;
    this.record.hidden = false;
  }
  hide() {
    this.record.hidden = true;
  }
  isMaximized() {
    return false;
  }
  maximize() {}
  getBounds() {
    const o = this.options;
    return { x: o.x ?? 10, y: o.y ?? 20, width: o.width ?? 800, height: o.height ?? 600 };
  }
  getNormalBounds() {
    return this.getBounds();
  }
  focus() {
    this.record.focused++;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  isDestroyed() {
    return this.destroyed;
  }
  close() {
    if (this.destroyed) return;
    const event = new FakeEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    windows.splice(windows.indexOf(this), 1);
    this.emit('closed');
  }
}

function finish(code) {
  process.exit(code);
}

// Like Electron: before-quit, windows close, will-quit (preventable), quit, exit.
function quitNow() {
  const before = new FakeEvent();
  app.emit('before-quit', before);
  if (before.defaultPrevented) return;
  for (const win of windows.slice()) win.close();
  const willQuit = new FakeEvent();
  app.emit('will-quit', willQuit);
  if (willQuit.defaultPrevented) return;
  app.emit('quit', new FakeEvent(), 0);
  finish(0);
}

Object.assign(app, {
  isPackaged: config.isPackaged === true,
  requestSingleInstanceLock() {
    state.lockRequested++;
    return config.lock !== false;
  },
  whenReady: () => readyPromise,
  isReady: () => ready,
  getPath(name) {
    if (name === 'userData') return config.userData;
    if (name === 'downloads') return require('node:path').join(config.userData, 'Downloads');
    throw new Error(`fake electron: getPath('${name}') is not faked`);
  },
  getAppPath: () => config.appPath,
  setLoginItemSettings(settings) {
    state.loginItem = settings;
  },
  getVersion: () => '0.0.0-fake',
  quit() {
    setImmediate(quitNow);
  },
  exit(code = 0) {
    finish(code);
  },
});

const handlers = new Map();
const ipcMain = {
  handle(channel, handler) {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, handler);
    state.channels.push(channel);
  },
  removeHandler(channel) {
    handlers.delete(channel);
  },
  // electron-store answers its renderer helper here; the app's windows never ask.
  on() {},
};

const trays = [];
class Tray extends EventEmitter {
  constructor(image) {
    super();
    this.record = { image: image.path, tooltip: '', menu: [], destroyed: false };
    state.trays.push(this.record);
    trays.push(this);
  }
  setToolTip(text) {
    this.record.tooltip = text;
  }
  setImage(image) {
    this.record.image = image.path;
  }
  setContextMenu(menu) {
    this.menu = menu;
    this.record.menu = menu.template.map((i) => i.label ?? i.type);
  }
  destroy() {
    this.record.destroyed = true;
  }
}
const nativeImage = { createFromPath: (p) => ({ path: p }) };
const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
};

const hooks = { headers: null, permissionRequest: null, permissionCheck: null };
const session = {
  defaultSession: {
    webRequest: {
      onHeadersReceived(listener) {
        hooks.headers = listener;
      },
    },
    setPermissionRequestHandler(handler) {
      hooks.permissionRequest = handler;
    },
    setPermissionCheckHandler(handler) {
      hooks.permissionCheck = handler;
    },
  },
};

const MAGIC = Buffer.from('FAKEENC1');
const encryption = config.encryption !== false;
const safeStorage = {
  isEncryptionAvailable: () => encryption && ready,
  getSelectedStorageBackend: () => (encryption ? 'gnome_libsecret' : 'basic_text'),
  encryptString(text) {
    if (!encryption) throw new Error('Encryption is not available.');
    const bytes = Buffer.from(text, 'utf8');
    for (let i = 0; i < bytes.length; i++) bytes[i] ^= 0x5a;
    return Buffer.concat([MAGIC, bytes]);
  },
  decryptString(buffer) {
    if (!encryption) throw new Error('Decryption is not available.');
    if (!buffer.subarray(0, MAGIC.length).equals(MAGIC))
      throw new Error('Error while decrypting the ciphertext');
    const bytes = Buffer.from(buffer.subarray(MAGIC.length));
    for (let i = 0; i < bytes.length; i++) bytes[i] ^= 0x5a;
    return bytes.toString('utf8');
  },
};

const shell = {
  openExternal(url) {
    state.external.push(url);
    return Promise.resolve();
  },
};

const dialog = {
  showErrorBox(title, content) {
    state.errorBoxes.push({ title, content });
    console.error(`[fake-electron] error box: ${title}: ${content}`);
  },
  // Answers with the path the test set (the saveAs command), or as if the person cancelled.
  showSaveDialog(...args) {
    const options = args.length > 1 ? args[1] : args[0];
    state.saveDialogs.push({ options, withWindow: args.length > 1 });
    const filePath = state.nextSavePath;
    state.nextSavePath = null;
    return Promise.resolve(
      filePath ? { canceled: false, filePath } : { canceled: true, filePath: undefined },
    );
  },
  showMessageBox(...args) {
    const options = args.length > 1 ? args[1] : args[0];
    state.messageBoxes.push(options);
    send('messageBox', { options });
    return Promise.resolve({ response: 0, checkboxChecked: false });
  },
};

const Menu = {
  buildFromTemplate: (template) => ({ template }),
  setApplicationMenu(menu) {
    state.menu = menu ? menu.template : null;
  },
};

const notInMain = () => {
  throw new Error('fake electron: renderer API used in main');
};
const contextBridge = { exposeInMainWorld: notInMain };
const ipcRenderer = { invoke: notInMain, on: notInMain, removeListener: notInMain };

// ---- driven by the test ----

function senderEvent(kind) {
  const win = windows[0];
  if (!win) throw new Error('no window');
  const contents = win.webContents;
  switch (kind) {
    case 'window':
      return { sender: contents, senderFrame: contents.mainFrame };
    case 'navigated-away':
      return { sender: contents, senderFrame: new WebFrameMain('https://attacker.example/') };
    case 'other-file':
      return { sender: contents, senderFrame: new WebFrameMain(pathToFileURL('/tmp/evil.html').href) };
    case 'subframe':
      return { sender: contents, senderFrame: new WebFrameMain(contents.mainFrame.url, contents.mainFrame) };
    case 'no-frame':
      return { sender: contents, senderFrame: null };
    case 'other-contents': {
      const other = new WebContents();
      other.mainFrame.url = contents.mainFrame.url;
      return { sender: other, senderFrame: other.mainFrame };
    }
    default:
      throw new Error(`unknown sender kind ${kind}`);
  }
}

const commands = {
  state: () => ({ ...state, ready }),
  async invoke({ channel, input, sender }) {
    const handler = handlers.get(channel);
    if (!handler) return { rejected: true, message: `No handler registered for '${channel}'` };
    const event = { ...senderEvent(sender ?? 'window'), frameId: 1, processId: 1 };
    try {
      // Values cross IPC by structured clone, both ways.
      const value = await handler(event, structuredClone(input));
      return { value: structuredClone(value) };
    } catch (error) {
      return { rejected: true, message: error instanceof Error ? error.message : String(error) };
    }
  },
  navigate({ url, event: name }) {
    const win = windows[0];
    const event = new FakeEvent({ url, isMainFrame: true });
    win.webContents.emit(name ?? 'will-navigate', event, url);
    return { prevented: event.defaultPrevented };
  },
  windowOpen({ url }) {
    const handler = windows[0].webContents.windowOpenHandler;
    if (!handler) return { noHandler: true };
    return handler({ url, frameName: '', features: '', disposition: 'foreground-tab', referrer: {} });
  },
  attachWebview() {
    const event = new FakeEvent();
    windows[0].webContents.emit('will-attach-webview', event, {}, {});
    return { prevented: event.defaultPrevented };
  },
  headers({ url, responseHeaders }) {
    return new Promise((resolve) => {
      if (!hooks.headers) return resolve({ noHook: true });
      hooks.headers({ url, responseHeaders, resourceType: 'mainFrame' }, (response) => resolve(response));
    });
  },
  permission({ permission }) {
    return new Promise((resolve) => {
      if (!hooks.permissionRequest) return resolve({ noHandler: true });
      const check = hooks.permissionCheck ? hooks.permissionCheck(null, permission, 'file://', {}) : null;
      hooks.permissionRequest(
        windows[0].webContents,
        permission,
        (granted) => resolve({ granted, check }),
        {},
      );
    });
  },
  secondInstance() {
    app.emit('second-instance', new FakeEvent(), ['electron', '.'], process.cwd());
    return { focused: state.windows[0]?.focused ?? 0 };
  },
  quit() {
    app.quit();
    return { quitting: true };
  },
  saveAs({ filePath }) {
    state.nextSavePath = filePath;
    return { next: filePath };
  },
  closeWindow() {
    const win = windows[0];
    if (!win) return { noWindow: true };
    win.close();
    return { hidden: win.record.hidden === true, destroyed: win.destroyed };
  },
  trayMenu({ label }) {
    const item = trays[0]?.menu?.template.find((i) => i.label === label);
    if (!item) return { noItem: true };
    item.click();
    return { clicked: label };
  },
};

process.on('message', (message) => {
  const command = commands[message.cmd];
  Promise.resolve()
    .then(() => {
      if (!command) throw new Error(`unknown command ${message.cmd}`);
      return command(message);
    })
    .then(
      (result) => send('reply', { id: message.id, result }),
      (error) => send('reply', { id: message.id, error: String(error?.stack ?? error) }),
    );
});
// Electron's process lives until the app quits or exits, whatever main keeps open.
setInterval(() => {}, 1 << 30);

module.exports = {
  app,
  BrowserWindow,
  ipcMain,
  session,
  safeStorage,
  shell,
  dialog,
  Menu,
  Tray,
  nativeImage,
  screen,
  contextBridge,
  ipcRenderer,
};
