import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { eventChannel, RPC_CHANNEL_PREFIX, RPC_EVENT_NAMES } from '../../shared/bridge';
import { RPC_NAMES } from '../../shared/rpc';
import type { BusinessLayer } from '../business-layer';
import { inForeground } from '../event-loop';
import { type Caller, dispatch } from '../rpc/dispatch';

export interface IpcWiring {
  /** The channels registered, one per RPC name. */
  channels: string[];
  dispose(): void;
}

/**
 * Every RPC name gets its own `rpc:<name>` channel. Each call is checked three times: the sender
 * must be our window's top frame on our page, dispatch() checks the role of the person signed in
 * on that window, and validates the input with the contract's schema before any handler runs. A
 * refused sender gets a rejected promise and the handler never runs.
 *
 * The person signed in is the window's: main keeps each window's session token here, by the
 * sender's webContents ID, and the page never holds it (nothing in the renderer to steal). A
 * window that closes or reloads elsewhere ends its session.
 */
export function registerRpcHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  layer: BusinessLayer,
  isTrusted: (event: IpcMainInvokeEvent) => boolean,
  log: (message: string, detail?: unknown) => void,
): IpcWiring {
  const sessions = new Map<number, string>();
  const callerOf = (event: IpcMainInvokeEvent): Caller => {
    const sender = event.sender;
    const id = sender.id;
    return {
      session: sessions.get(id) ?? null,
      bind: (token) => {
        if (!token) {
          sessions.delete(id);
          return;
        }
        // A window that goes away takes its person's session with it.
        if (!sessions.has(id))
          sender.once('destroyed', () => {
            layer.people.signOut({ session: sessions.get(id) ?? null });
            sessions.delete(id);
          });
        sessions.set(id, token);
      },
    };
  };
  const channels = RPC_NAMES.map((name) => {
    const channel = `${RPC_CHANNEL_PREFIX}${name}`;
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!isTrusted(event)) {
        log(`Refused ${channel} from ${event.senderFrame?.url ?? 'an unknown frame'}`);
        throw new Error(`Refused: ${name} may only be called by the Store Ledger window`);
      }
      // The clerk waits on the window: long work steps back until this is answered.
      const caller = callerOf(event);
      return inForeground(() =>
        dispatch(layer, name, input, caller, (error) => log(`${name} failed`, error)),
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
