import type { RpcErrorBody, RpcEventName } from './rpc';

/**
 * What the Electron preload exposes as `window.storeLedger`. The renderer codes against this
 * (and the HTTP client for the browser shell); main re-validates every input, so the types
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

/** The global the preload defines, under this name. */
export const BRIDGE_GLOBAL = 'storeLedger';

/** IPC channel names shared by main and preload (the preload cannot import, so it repeats them). */
export const RPC_CHANNEL = 'rpc';
export const EVENT_CHANNEL_PREFIX = 'event:';
