import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { eventChannel, RPC_CHANNEL_PREFIX, RPC_EVENT_NAMES } from '../../shared/bridge';
import { RPC_NAMES } from '../../shared/rpc';
import type { BusinessLayer } from '../business-layer';
import { inForeground } from '../event-loop';
import { dispatch } from '../rpc/dispatch';

export interface IpcWiring {
  /** The channels registered, one per RPC name. */
  channels: string[];
  dispose(): void;
}

/**
 * Every RPC name gets its own `rpc:<name>` channel. Each call is checked twice: the sender
 * must be our window's top frame on our page, and dispatch() validates the input with the
 * contract's schema before any handler runs. A refused sender gets a rejected promise and
 * the handler never runs.
 */
export function registerRpcHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  layer: BusinessLayer,
  isTrusted: (event: IpcMainInvokeEvent) => boolean,
  log: (message: string, detail?: unknown) => void,
): IpcWiring {
  const channels = RPC_NAMES.map((name) => {
    const channel = `${RPC_CHANNEL_PREFIX}${name}`;
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!isTrusted(event)) {
        log(`Refused ${channel} from ${event.senderFrame?.url ?? 'an unknown frame'}`);
        throw new Error(`Refused: ${name} may only be called by the Store Ledger window`);
      }
      // The clerk waits on the window: long work steps back until this is answered.
      return inForeground(() =>
        dispatch(layer.handlers, name, input, (error) => log(`${name} failed`, error)),
      );
    });
    return channel;
  });
  return {
    channels,
    dispose: () => {
      for (const channel of channels) ipcMain.removeHandler(channel);
    },
  };
}

/** Pushes the business layer's events to the window; returns the unsubscribe function. */
export function forwardEvents(layer: BusinessLayer, target: () => WebContents | null): () => void {
  const offs = RPC_EVENT_NAMES.map((name) => {
    const listener = (data: unknown) => {
      const contents = target();
      if (contents && !contents.isDestroyed()) contents.send(eventChannel(name), data);
    };
    layer.events.on(name, listener);
    return () => layer.events.off(name, listener);
  });
  return () => {
    for (const off of offs) off();
  };
}
