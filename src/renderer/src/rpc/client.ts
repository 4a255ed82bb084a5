import { BRIDGE_GLOBAL, type StoreLedgerBridge } from '../../../shared/bridge';
import { FILE_FIELD, RPC_INPUT_HEADER } from '../../../shared/file-upload';
import type {
  RpcErrorBody,
  RpcEventName,
  RpcEvents,
  RpcInput,
  RpcName,
  RpcOutputs,
} from '../../../shared/rpc';
import { fileLimitOf } from '../../../shared/rpc';
import { RpcError, type RpcErrorCode } from './errors';
import { readEventStream } from './sse';
import { currentSession, currentToken, keepSession } from './token';

export { RpcError } from './errors';

const TOKEN_HEADER = 'x-store-ledger-token';
const SESSION_HEADER = 'x-store-ledger-session';
const UNAUTHORIZED =
  'This UI session is not valid any more: open the address Store Ledger printed when it started.';
const UNREACHABLE = 'Store Ledger is not answering: check that it is still running.';

type Reply =
  | { ok: true; value: unknown }
  | { ok: false; error: { code: RpcErrorCode; message: string; errors?: RpcErrorBody['errors'] } };
/** A refusal of the HTTP transport itself (http.ts sendError). */
type Refusal = { error?: { message?: string }; errors?: RpcErrorBody['errors'] };
type Listener = (data: unknown) => void;

/** How the UI reaches the business layer: is the event feed up? */
export type ConnectionState = 'connecting' | 'connected' | 'unauthorized';

interface Transport {
  invoke(name: RpcName, input: unknown): Promise<Reply>;
  on(event: RpcEventName, listener: Listener): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  readonly platform: 'electron' | 'browser';
}

function bridge(): StoreLedgerBridge | undefined {
  return (window as unknown as Record<string, StoreLedgerBridge | undefined>)[BRIDGE_GLOBAL];
}

/** Electron: the preload's bridge over IPC. The window's event feed never drops. */
function electronTransport(b: StoreLedgerBridge): Transport {
  return {
    platform: 'electron',
    // As is: IPC copies the input by structured clone, so a file's Uint8Array arrives as bytes.
    invoke: (name, input) => b.invoke(name, input),
    on: (event, listener) => b.on(event, listener),
    onConnection: (listener) => {
      listener('connected');
      return () => {};
    },
  };
}

/**
 * The request of one action: JSON, or for an action that takes a file (FILE_INPUTS, shared/rpc.ts),
 * the file's bytes as the body and the rest of the input as JSON in a header, so the server
 * knows the limit before it reads a byte and a 15 MB file is never a 20 MB JSON string.
 */
function requestOf(name: RpcName, input: unknown, token: string): { headers: HeadersInit; body: BodyInit } {
  const session = currentSession();
  const auth: Record<string, string> = {
    [TOKEN_HEADER]: token,
    ...(session && { [SESSION_HEADER]: session }),
  };
  const file =
    fileLimitOf(name) && input && typeof input === 'object' ? (input as Record<string, unknown>) : null;
  if (file && file[FILE_FIELD] instanceof Uint8Array) {
    const { [FILE_FIELD]: content, ...rest } = file;
    return {
      headers: {
        'content-type': 'application/octet-stream',
        ...auth,
        [RPC_INPUT_HEADER]: encodeURIComponent(JSON.stringify(rest)),
      },
      body: content as Uint8Array<ArrayBuffer>,
    };
  }
  return {
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify(input ?? {}),
  };
}

/** The browser shell: POST /rpc/{name} and a server-sent event stream, both carrying the per-run token. */
function httpTransport(): Transport {
  const listeners = new Map<RpcEventName, Set<Listener>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let started = false;

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const l of connectionListeners) l(next);
  };

  const dispatchEvent = (event: string, data: unknown) => {
    for (const l of listeners.get(event as RpcEventName) ?? []) l(data);
  };

  async function streamOnce(token: string): Promise<'closed' | 'unauthorized'> {
    const res = await fetch('/rpc/events', { headers: { [TOKEN_HEADER]: token }, cache: 'no-store' });
    if (res.status === 401) return 'unauthorized';
    if (!res.ok || !res.body) throw new Error(`event stream answered ${res.status}`);
    setState('connected');
    // Whatever happened while disconnected was missed: everyone refreshes once.
    dispatchEvent('ledger.changed', { at: new Date().toISOString() });
    await readEventStream(res.body, ({ event, data }) => {
      try {
        dispatchEvent(event, JSON.parse(data));
      } catch {
        // A malformed event is dropped; the next one or a reconnect brings the state back.
      }
    });
    return 'closed';
  }

  async function loop(): Promise<void> {
    let delay = 500;
    for (;;) {
      const token = currentToken();
      if (!token) {
        setState('unauthorized');
        return;
      }
      try {
        const outcome = await streamOnce(token);
        if (outcome === 'unauthorized') {
          setState('unauthorized');
          return;
        }
        delay = 500;
      } catch {
        // Server gone or restarting: retry with backoff below.
      }
      if (state !== 'unauthorized') setState('connecting');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  }

  const start = () => {
    if (started) return;
    started = true;
    void loop();
  };

  return {
    platform: 'browser',
    async invoke(name, input) {
      const token = currentToken();
      if (!token) return { ok: false, error: { code: 'unauthorized', message: UNAUTHORIZED } };
      let res: Response;
      try {
        res = await fetch(`/rpc/${encodeURIComponent(name)}`, {
          method: 'POST',
          ...requestOf(name, input, token),
          cache: 'no-store',
        });
      } catch {
        return { ok: false, error: { code: 'unreachable', message: UNREACHABLE } };
      }
      if (res.status === 401) {
        setState('unauthorized');
        return { ok: false, error: { code: 'unauthorized', message: UNAUTHORIZED } };
      }
      // Signing in or out answers the tab's new session (empty: none).
      const bound = res.headers.get(SESSION_HEADER);
      if (bound !== null) keepSession(bound || null);
      const body = (await res.json().catch(() => null)) as Reply | Refusal | null;
      if (body && 'ok' in body) return body;
      // Refused before it reached the action (too large, a bad header): the server's words.
      const message = body?.error?.message ?? `Store Ledger answered ${res.status}`;
      const code = res.status === 413 ? 'too_large' : res.status === 400 ? 'invalid_input' : 'internal';
      return { ok: false, error: { code, message, ...(body?.errors && { errors: body.errors }) } };
    },
    on(event, listener) {
      start();
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      return () => set.delete(listener);
    },
    onConnection(listener) {
      start();
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
  };
}

let chosen: Transport | null = null;
function transport(): Transport {
  if (!chosen) {
    const b = bridge();
    chosen = b ? electronTransport(b) : httpTransport();
  }
  return chosen;
}

const signedOutListeners = new Set<(message: string) => void>();

/**
 * Hears when main says nobody is signed in on this window any more (the session ended: idle,
 * restarted, signed out elsewhere): the window goes back to its sign-in screen, with the words.
 */
export function onSignedOut(listener: (message: string) => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/** Calls one action of the business layer; rejects with an RpcError carrying code, message and field errors. */
export async function rpc<N extends RpcName>(name: N, input: RpcInput<N>): Promise<RpcOutputs[N]> {
  const reply = await transport().invoke(name, input);
  if (reply.ok) return reply.value as RpcOutputs[N];
  if (reply.error.code === 'signed_out') for (const l of signedOutListeners) l(reply.error.message);
  throw new RpcError(reply.error as RpcErrorBody);
}

/** Subscribes to an event the business layer pushes; returns the unsubscribe function. */
export function onEvent<E extends RpcEventName>(
  event: E,
  listener: (data: RpcEvents[E]) => void,
): () => void {
  return transport().on(event, listener as Listener);
}

export function onConnection(listener: (state: ConnectionState) => void): () => void {
  return transport().onConnection(listener);
}

export function transportPlatform(): 'electron' | 'browser' {
  return transport().platform;
}
