/**
 * The renderer's only door to main: `window.storeLedger` with invoke and on, nothing more.
 * Runs sandboxed, so it is bundled to one CommonJS file whose only require is 'electron'
 * (the shared constants below are inlined by the build).
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import {
  BRIDGE_GLOBAL,
  type BridgeResult,
  eventChannel,
  RPC_CHANNEL_PREFIX,
  RPC_EVENT_NAMES,
  type StoreLedgerBridge,
} from '../shared/bridge';
import type { RpcEventName } from '../shared/rpc';

function isEventName(name: unknown): name is RpcEventName {
  return typeof name === 'string' && (RPC_EVENT_NAMES as string[]).includes(name);
}

const bridge: StoreLedgerBridge = {
  invoke(name: string, input: unknown): Promise<BridgeResult> {
    if (typeof name !== 'string') {
      return Promise.resolve({
        ok: false,
        error: { code: 'not_found', message: 'An action name is required' },
      });
    }
    // Main answers every known name with data; a rejection means an unknown name or a refusal.
    return ipcRenderer.invoke(`${RPC_CHANNEL_PREFIX}${name}`, input).catch(
      (): BridgeResult => ({
        ok: false,
        error: { code: 'not_found', message: `Store Ledger could not run '${name}'` },
      }),
    );
  },
  on(event: RpcEventName, cb: (data: unknown) => void): () => void {
    if (!isEventName(event) || typeof cb !== 'function')
      throw new TypeError(`Unknown event '${String(event)}'`);
    const channel = eventChannel(event);
    // The IPC event object (with its sender) never reaches the page: only the data does.
    const listener = (_event: IpcRendererEvent, data: unknown) => cb(data);
    ipcRenderer.on(channel, listener);
    return () => {
      ipcRenderer.removeListener(channel, listener);
    };
  },
  platform: 'electron',
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
