import type { RpcErrorBody, RpcEventName } from './rpc';

/**
 * What the Electron preload exposes as `window.storeLedger`. The renderer codes against this
 * (and an HTTP client for the browser shell); main re-validates every input, so the types
 * here are a convenience, not a trust boundary.
 */
export type BridgeResult = { ok: true; value: unknown } | { ok: false; error: RpcErrorBody };

export interface StoreLedgerBridge {
  /** Calls one RPC handler in main; errors come back as data, never as a rejected promise. */
  invoke(name: string, input: unknown): Promise<BridgeResult>;
  /** Subscribes to an event main pushes; returns the unsubscribe function. */
  on(event: RpcEventName, cb: (data: unknown) => void): () => void;
  platform: 'electron';
}

/** The global the preload defines. */
export const BRIDGE_GLOBAL = 'storeLedger';

/** One ipcMain.handle channel per RPC name: `rpc:lines.list`, ... */
export const RPC_CHANNEL_PREFIX = 'rpc:';

/** Listing every event here (a Record, so a new event fails the type check until added). */
const EVENTS: Record<RpcEventName, true> = { 'sync.status': true, 'ledger.changed': true };
export const RPC_EVENT_NAMES = Object.keys(EVENTS) as RpcEventName[];

export function eventChannel(name: RpcEventName): string {
  return `event:${name}`;
}
